"""SPCR: Microsoft's Serial Port Console Redirection Table, the serial console the firmware used."""
from construct import If, Int8ul, Int16ul, Int24ul, Int32ul, Struct

from qboot_tables.schemas.common import generic_address, table, through_nul

SPCR_SIZE = 80

# Microsoft "Serial Port Console Redirection Table" specification (revision 4, 2023), table 2. Revision 2 ends
# at byte 80 with a reserved dword at 76; revision 3 names that dword the UART clock frequency; revision 4 adds the
# precise baud rate and a namespace string at the offset it gives. iasl 20200925 knows revision 2.
spcr = table(
    "interface_type" / Int8ul,  # SPCR_INTERFACE_TYPES (the DBG2 serial port subtypes)
    "reserved1" / Int24ul,
    "serial_port" / generic_address,  # the UART's base address
    "interrupt_type" / Int8ul,  # SPCR_INTERRUPT_TYPES
    "pc_interrupt" / Int8ul,  # PC-AT IRQ
    "interrupt" / Int32ul,  # GSI
    "baud_rate" / Int8ul,  # SPCR_BAUD_RATES
    "parity" / Int8ul,  # 0: none
    "stop_bits" / Int8ul,  # 1: one stop bit
    "flow_control" / Int8ul,  # SPCR_FLOW_CONTROL
    "terminal_type" / Int8ul,  # SPCR_TERMINAL_TYPES
    "language" / Int8ul,  # reserved, 0
    "pci_device_id" / Int16ul,  # 0xFFFF when not a PCI device
    "pci_vendor_id" / Int16ul,
    "pci_bus" / Int8ul,
    "pci_device" / Int8ul,
    "pci_function" / Int8ul,
    "pci_flags" / Int32ul,  # bit 0: the OS must not suppress PNP device enumeration or disable power management
    "pci_segment" / Int8ul,
    "uart_clock_frequency" / Int32ul,  # revision 3 on; reserved (0) before
    "revision4" / If(lambda ctx: ctx.header.revision >= 4, Struct(
        "precise_baud_rate" / Int32ul,  # when nonzero, overrides baud_rate
        "namespace_string_length" / Int16ul,
        "namespace_string_offset" / Int16ul,
        "namespace_string" / through_nul,  # at the offset above, which the spec sets to 88, right here
    )),
)

# Microsoft "Debug Port Table 2 (DBG2)", table 3, the serial port subtypes SPCR uses as interface types.
SPCR_INTERFACE_TYPES = {0x00: "16550 compatible", 0x01: "16550 subset (DBGP revision 1)", 0x02: "MAX311xE SPI UART",
                        0x03: "ARM PL011 UART", 0x04: "MSM8x60", 0x05: "Nvidia 16550", 0x06: "TI OMAP",
                        0x08: "APM88xxxx", 0x09: "MSM8974", 0x0A: "SAM5250", 0x0B: "Intel USIF",
                        0x0C: "i.MX 6", 0x0D: "ARM SBSA (2.x only) Generic UART (deprecated)",
                        0x0E: "ARM SBSA Generic UART", 0x0F: "ARM DCC", 0x10: "BCM2835", 0x11: "SDM845 at 1.8432 MHz",
                        0x12: "16550 with Generic Address Structure", 0x13: "SDM845 at 7.372 MHz",
                        0x14: "Intel LPSS", 0x15: "RISC-V SBI console"}
# The same document, Interrupt Type, bit -> name.
SPCR_INTERRUPT_TYPES = {0: "PC-AT (8259) IRQ", 1: "I/O APIC", 2: "I/O SAPIC", 3: "ARMH GIC", 4: "RISC-V PLIC/APLIC"}
# Baud Rate: the codes the firmware used; 0 means "as is".
SPCR_BAUD_RATES = {0: "as is", 3: "9600", 4: "19200", 6: "57600", 7: "115200"}
# Flow Control, bit -> name.
SPCR_FLOW_CONTROL = {0: "DCD", 1: "RTS/CTS", 2: "XON/XOFF"}
SPCR_TERMINAL_TYPES = {0: "VT100", 1: "Extended VT100 (VT100+)", 2: "VT-UTF8", 3: "ANSI"}
