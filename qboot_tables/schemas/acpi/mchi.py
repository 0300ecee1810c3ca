"""MCHI: the DMTF Management Controller Host Interface table, where the host reaches its MCTP endpoint."""
from enum import IntEnum, IntFlag

from construct import Int8ul, Int32ul, Int64ul

from qboot_tables.schemas.common import generic_address, table

MCHI_SIZE = 69

# DMTF DSP0256 "Management Component Transport Protocol (MCTP) Host Interface Specification" 1.0.0a, the MCHI
# ACPI table (69 bytes).
mchi = table(
    "interface_type" / Int8ul,  # MchiInterfaceType
    "protocol" / Int8ul,  # 1: MCTP
    "protocol_data" / Int64ul,  # protocol specific
    "interrupt_type" / Int8ul,  # MchiInterruptType
    "gpe" / Int8ul,
    "pci_device_flag" / Int8ul,  # bit 0: the interface is a PCI device
    "global_interrupt" / Int32ul,
    "control_register" / generic_address,  # the interface's base address
    "pci_segment" / Int8ul,
    "pci_bus" / Int8ul,
    "pci_device" / Int8ul,
    "pci_function" / Int8ul,
)


# DSP0256, Interface Type (the IPMI interface types, plus MCTP's); the rest are reserved.
class MchiInterfaceType(IntEnum):
    KCS = 1
    SMIC = 2
    BT = 3
    SMBUS_I2C = 4
    SERIAL = 5
    PCIE_VDM = 6


# The spec's name of each interface type, for display.
MCHI_INTERFACE_TYPES = {MchiInterfaceType.KCS: "KCS", MchiInterfaceType.SMIC: "SMIC", MchiInterfaceType.BT: "BT",
                        MchiInterfaceType.SMBUS_I2C: "SMBus/I2C", MchiInterfaceType.SERIAL: "Serial",
                        MchiInterfaceType.PCIE_VDM: "PCIe VDM"}


# DSP0256, Interrupt Type: one bit per kind of interrupt the interface can raise.
class MchiInterruptType(IntFlag):
    SCI_GPE = 1 << 0
    GLOBAL_SYSTEM_INTERRUPT = 1 << 1
