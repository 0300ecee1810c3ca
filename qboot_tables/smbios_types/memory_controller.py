"""SMBIOS type 5, Memory Controller Information (obsolete since 2.1)."""
from qboot_tables.schemas import smbios as S, smbios_ext as X
from qboot_tables.smbios_types.descriptor import SmbiosDescriptor
from qboot_tables.smbios_types.formats import handle, names_of_bits

# §7.6.4 Memory Speeds (bits).
SPEEDS = {0: "Other", 1: "Unknown", 2: "70 ns", 3: "60 ns", 4: "50 ns"}
# §7.5.4 Processor voltage bits 2:0, reused for the module voltage.
VOLTAGES = {0: "5.0 V", 1: "3.3 V", 2: "2.9 V"}

DESCRIPTOR = SmbiosDescriptor(
    type=5, title=S.TYPE_NAMES[5], schema=X.memory_controller, spec="DSP0134 3.6.0 §7.6", min_length=0x0F,
    meanings={
        "error_correcting_capability": names_of_bits(X.ERROR_CORRECTING_CAPABILITIES),
        "enabled_error_correcting_capabilities": names_of_bits(X.ERROR_CORRECTING_CAPABILITIES),
        "maximum_memory_module_size": lambda value, _context: f"{1 << value} MB",
        "supported_speeds": names_of_bits(SPEEDS),
        "supported_memory_types": names_of_bits(X.MEMORY_MODULE_TYPES),
        "memory_module_voltage": names_of_bits(VOLTAGES, none="Unknown"),
        "memory_module_configuration_handles": handle,
    },
    enums={"error_detecting_method": X.ERROR_DETECTING_METHODS, "supported_interleave": X.INTERLEAVE_SUPPORT,
           "current_interleave": X.INTERLEAVE_SUPPORT},
)
