"""SMBIOS type 23, System Reset."""
from qboot_tables.schemas import smbios as S, smbios_ext as X
from qboot_tables.smbios_types.descriptor import SmbiosDescriptor
from qboot_tables.smbios_types.formats import number_unless, packed

capabilities = packed(
    ("Status", 0, 1, {0: "Disabled", 1: "Enabled"}),
    ("Boot Option", 1, 2, X.RESET_BOOT_OPTIONS),
    ("Boot Option On Limit", 3, 2, X.RESET_BOOT_OPTIONS),
    ("Watchdog Timer", 5, 1, {0: "Not Present", 1: "Present"}),
)

DESCRIPTOR = SmbiosDescriptor(
    type=23, title=S.TYPE_NAMES[23], schema=X.system_reset, spec="DSP0134 3.6.0 §7.24", min_length=0x0D,
    meanings={
        "capabilities": capabilities,
        "reset_count": number_unless(0xFFFF), "reset_limit": number_unless(0xFFFF),
        "timer_interval": number_unless(0xFFFF, unit="min"), "timeout": number_unless(0xFFFF, unit="min"),
    },
)
