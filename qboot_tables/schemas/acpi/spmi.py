"""SPMI: the IPMI Service Processor Management Interface table, where the OS finds the BMC."""
from enum import IntEnum, IntFlag

from construct import Int8ul, Int16ul, Int32ul

from qboot_tables.schemas.common import generic_address, table

SPMI_SIZE = 65

# IPMI Specification 2.0 rev 1.1, Appendix C1 "Service Processor Management Interface Description Table"
# (65 bytes).
spmi = table(
    "interface_type" / Int8ul,  # SpmiInterfaceType
    "reserved1" / Int8ul,  # must be 1, for backward compatibility
    "spec_revision" / Int16ul,  # IPMI version, BCD: 0x0200 is 2.0
    "interrupt_type" / Int8ul,  # SpmiInterruptType
    "gpe_number" / Int8ul,
    "reserved2" / Int8ul,
    "pci_device_flag" / Int8ul,  # bit 0: the interface is a PCI device
    "interrupt" / Int32ul,  # GSI
    "ipmi_register" / generic_address,  # the interface's base address
    "pci_segment" / Int8ul,  # or bytes of _UID when not a PCI device
    "pci_bus" / Int8ul,
    "pci_device" / Int8ul,
    "pci_function" / Int8ul,
    "reserved3" / Int8ul,
)



# The same appendix, Interface Type; 0 and 5-255 are reserved.
class SpmiInterfaceType(IntEnum):
    KCS = 1
    SMIC = 2
    BT = 3
    SSIF = 4


# The same appendix, Interrupt Type.
class SpmiInterruptType(IntFlag):
    SCI_GPE = 1 << 0
    GLOBAL_SYSTEM_INTERRUPT = 1 << 1
