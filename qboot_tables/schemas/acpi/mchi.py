"""MCHI: the DMTF Management Controller Host Interface table, where the host reaches its MCTP endpoint."""
from construct import Int8ul, Int32ul, Int64ul

from qboot_tables.schemas.common import generic_address, table

MCHI_SIZE = 69

# DMTF DSP0256 "Management Component Transport Protocol (MCTP) Host Interface Specification" 1.0.0a, the MCHI
# ACPI table (69 bytes).
mchi = table(
    "interface_type" / Int8ul,  # MCHI_INTERFACE_TYPES
    "protocol" / Int8ul,  # 1: MCTP
    "protocol_data" / Int64ul,  # protocol specific
    "interrupt_type" / Int8ul,  # MCHI_INTERRUPT_TYPES
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
MCHI_INTERFACE_TYPES = {1: "KCS", 2: "SMIC", 3: "BT", 4: "SMBus/I2C", 5: "Serial", 6: "PCIe VDM"}
# DSP0256, Interrupt Type, bit -> name.
MCHI_INTERRUPT_TYPES = {0: "SCI_GPE", 1: "GLOBAL_SYSTEM_INTERRUPT"}
