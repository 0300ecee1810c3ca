"""TCPA: the TCG table for a TPM 1.2 platform, which says where the firmware's TPM event log is."""
from construct import IfThenElse, Int8ul, Int16ul, Int24ul, Int32ul, Int64ul, Struct

from qboot_tables.schemas.common import generic_address, table

TCPA_CLIENT_SIZE = 50
TCPA_SERVER_SIZE = 100
CLIENT, SERVER = 0, 1

# TCG ACPI Specification, Family "1.2" and "2.0", Level 00 Revision 00.37, §7.1.1 "TCPA ACPI Table for Client
# Platforms" (50 bytes): the log area's minimum length and its start address.
tcpa_client = Struct(
    "minimum_log_length" / Int32ul,  # LAML
    "log_address" / Int64ul,  # LASA
)

# The same, §7.1.2 "TCPA ACPI Table for Server Platforms" (100 bytes): a 64-bit log length and where the TPM is.
tcpa_server = Struct(
    "reserved1" / Int16ul,
    "minimum_log_length" / Int64ul,  # LAML
    "log_address" / Int64ul,  # LASA
    "spec_revision" / Int16ul,  # BCD, 0x0102 for TPM 1.2
    "device_flags" / Int8ul,  # TCPA_DEVICE_FLAGS
    "interrupt_flags" / Int8ul,  # TCPA_INTERRUPT_FLAGS
    "gpe_number" / Int8ul,
    "reserved2" / Int24ul,
    "global_interrupt" / Int32ul,  # GSI, when the interrupt flags say so
    "address" / generic_address,  # the TPM's base address
    "reserved3" / Int32ul,
    "config_address" / generic_address,  # its configuration space
    "pci_segment" / Int8ul,
    "pci_bus" / Int8ul,
    "pci_device" / Int8ul,
    "pci_function" / Int8ul,
)

# The platform class picks the layout; revision 1 tables (TCG PC Client 1.2) call the field reserved and are
# client tables. iasl looks at the platform class alone.
tcpa = table(
    "platform_class" / Int16ul,  # TCPA_PLATFORM_CLASSES
    "body" / IfThenElse(lambda ctx: ctx.platform_class == SERVER and ctx.header.revision >= 2,
                        tcpa_server, tcpa_client),
)

TCPA_PLATFORM_CLASSES = {CLIENT: "Client", SERVER: "Server"}
# The same, §7.1.2, Device Flags and Interrupt Flags, bit -> name.
TCPA_DEVICE_FLAGS = {0: "PCI_DEVICE", 1: "BUS_IS_PNP", 2: "ADDRESS_VALID"}
TCPA_INTERRUPT_FLAGS = {0: "EDGE_TRIGGERED", 1: "ACTIVE_LOW", 2: "GPE_SCI", 3: "GLOBAL_SYSTEM_INTERRUPT"}
