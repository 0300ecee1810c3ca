"""TCPA: the TCG table for a TPM 1.2 platform, which says where the firmware's TPM event log is."""
from enum import IntEnum, IntFlag

from construct import IfThenElse, Int8ul, Int16ul, Int24ul, Int32ul, Int64ul, Struct

from qboot_tables.schemas.common import generic_address, table

TCPA_CLIENT_SIZE = 50
TCPA_SERVER_SIZE = 100


# TCG ACPI Specification, Level 00 Revision 00.37, §7.1 Platform Class (revision 2 on).
class TcpaPlatformClass(IntEnum):
    CLIENT = 0
    SERVER = 1


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
    "device_flags" / Int8ul,  # TcpaDeviceFlags
    "interrupt_flags" / Int8ul,  # TcpaInterruptFlags
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
    "platform_class" / Int16ul,  # TcpaPlatformClass
    "body" / IfThenElse(lambda ctx: ctx.platform_class == TcpaPlatformClass.SERVER and ctx.header.revision >= 2,
                        tcpa_server, tcpa_client),
)

# The name of each platform class, for display.
TCPA_PLATFORM_CLASSES = {TcpaPlatformClass.CLIENT: "Client", TcpaPlatformClass.SERVER: "Server"}


# The same, §7.1.2, Device Flags.
class TcpaDeviceFlags(IntFlag):
    PCI_DEVICE = 1 << 0
    BUS_IS_PNP = 1 << 1
    ADDRESS_VALID = 1 << 2


# The same, §7.1.2, Interrupt Flags.
class TcpaInterruptFlags(IntFlag):
    EDGE_TRIGGERED = 1 << 0
    ACTIVE_LOW = 1 << 1
    GPE_SCI = 1 << 2
    GLOBAL_SYSTEM_INTERRUPT = 1 << 3
