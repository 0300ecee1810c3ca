"""DBG2: Microsoft's Debug Port Table 2, a list of debug device information structures."""
from construct import Array, Bytes, FixedSized, GreedyBytes, GreedyRange, Int8ul, Int16ul, Int32ul, Struct, this

from qboot_tables.schemas.common import generic_address, table, through_nul_within

DEVICE_INFO_HEADER_SIZE = 22


def _after(offset_field, previous_end):
    """Bytes between the end of the previous part and the offset a field gives (negative: not this layout)."""
    return Bytes(lambda ctx: ctx[offset_field] - previous_end(ctx))


def _registers_end(ctx):
    return ctx.base_address_offset + 12 * ctx.register_count


def _sizes_end(ctx):
    return ctx.address_size_offset + 4 * ctx.register_count


def _namepath_end(ctx):
    return ctx.namepath_offset + ctx.namepath_length


# Microsoft Debug Port Table 2 (DBG2) specification, Table 2 Debug Device Information structure. Its header
# gives the offsets, from the structure's start, of the register array, the address size array, the ACPI
# namespace string and the optional OEM data. This schema reads them in that order, the order of the
# specification's layout and of every real table seen; the bytes between parts are kept as padding. A
# structure whose parts are out of that order does not parse, and stays bytes in the table's `extra`.
device_info_body = Struct(
    "register_count" / Int8ul,
    "namepath_length" / Int16ul,
    "namepath_offset" / Int16ul,
    "oem_data_length" / Int16ul,
    "oem_data_offset" / Int16ul,  # 0: no OEM data
    "port_type" / Int16ul,  # DBG2_PORT_TYPES
    "port_subtype" / Int16ul,  # DBG2_PORT_SUBTYPES
    "reserved" / Int16ul,
    "base_address_offset" / Int16ul,
    "address_size_offset" / Int16ul,
    "registers_padding" / _after("base_address_offset", lambda ctx: DEVICE_INFO_HEADER_SIZE),
    "base_address_registers" / Array(this.register_count, generic_address),
    "sizes_padding" / _after("address_size_offset", _registers_end),
    "address_sizes" / Array(this.register_count, Int32ul),
    "namepath_padding" / _after("namepath_offset", _sizes_end),
    # A NUL-terminated ACPI path ("." when there is none) in a field of namepath_length bytes; iasl shows
    # the path alone, so the bytes after its NUL are padding.
    "namepath" / through_nul_within(this.namepath_length),
    "namepath_tail_padding" / Bytes(lambda ctx: ctx.namepath_length - len(ctx.namepath)),
    "oem_data_padding" / Bytes(lambda ctx: ctx.oem_data_offset - _namepath_end(ctx) if ctx.oem_data_offset else 0),
    "oem_data" / Bytes(lambda ctx: ctx.oem_data_length if ctx.oem_data_offset else 0),
    "extra" / GreedyBytes,
)
device_info = Struct(
    "revision" / Int8ul,
    "length" / Int16ul,  # the whole structure, revision and length included
    "body" / FixedSized(this.length - 3, device_info_body),
)

# Microsoft DBG2 specification, Table 1 Debug Port Table 2 format. The device information structures follow
# the header at offset 44, where info_offset points in every table seen; ACPICA's iasl (dmtbdump1.c
# AcpiDmDumpDbg2) reads them from there too, whatever info_offset says.
dbg2 = table(
    "info_offset" / Int32ul,
    "info_count" / Int32ul,
    "devices" / GreedyRange(device_info),
)

# Microsoft DBG2 specification, Table 3 Port types and subtypes.
DBG2_PORT_TYPES = {0x8000: "Serial", 0x8001: "1394", 0x8002: "USB", 0x8003: "Net"}
DBG2_PORT_SUBTYPES = {
    0x8000: {
        0x0000: "Fully 16550-compatible",
        0x0001: "16550 subset compatible with DBGP revision 1",
        0x0002: "MAX311xE SPI UART",
        0x0003: "Arm PL011 UART",
        0x0004: "MSM8x60",
        0x0005: "Nvidia 16550",
        0x0006: "TI OMAP",
        0x0008: "APM88xxxx",
        0x0009: "MSM8974",
        0x000A: "SAM5250",
        0x000B: "Intel USIF",
        0x000C: "i.MX 6",
        0x000D: "Arm SBSA Generic UART, 32-bit access only (deprecated)",
        0x000E: "Arm SBSA Generic UART",
        0x000F: "Arm DCC",
        0x0010: "BCM2835",
        0x0011: "SDM845 at 1.8432 MHz",
        0x0012: "16550-compatible with parameters in the GAS",
        0x0013: "SDM845 at 7.372 MHz",
        0x0014: "Intel LPSS",
        0x0015: "RISC-V SBI console",
    },
    0x8001: {0x0000: "IEEE1394 standard host controller"},
    0x8002: {0x0000: "XHCI-compliant controller with debug interface",
             0x0001: "EHCI-compliant controller with debug interface"},
}
