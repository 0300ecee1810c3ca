"""PMTT: the Platform Memory Topology Table, memory devices (sockets, memory controllers, DIMMs) as a tree.

Two layouts exist. Revision 1 (ACPI 5.0 to 6.3, the one iasl 20200925 knows) has 8-byte device headers and
a controller carries its latency, bandwidth and proximity domains. Revision 2 (ACPI 6.4 and 6.5) adds a count of
child devices to every header and to the table, and slims the type-specific data. Children sit inside their
parent's length. The tree is read three levels deep (socket, controller, DIMM, as the spec draws it); anything
deeper stays in its parent's `extra`.
"""
from enum import IntEnum

from construct import (Array, Bytes, FixedSized, GreedyBytes, GreedyRange, IfThenElse, Int8ul, Int16ul, Int32ul,
                       Struct, Switch, this)

from qboot_tables.schemas.common import table, with_extra

DEPTH = 3
REVISION_2 = 2


# ACPI 6.5 §5.2.22.1 memory device types; 3 to 0xFE are reserved.
class PmttType(IntEnum):
    SOCKET = 0
    MEMORY_CONTROLLER = 1
    DIMM = 2
    VENDOR_SPECIFIC = 0xFF


def _device_v2(depth: int):
    """ACPI 6.5 §5.2.22.1 Common Memory Device header (12 bytes) and the type's data, with its children."""
    children = ("devices" / GreedyRange(_device_v2(depth - 1)),) if depth > 1 else ()
    cases = {
        # ACPI 6.5 §5.2.22.2 Socket Type Data (4 bytes)
        PmttType.SOCKET: with_extra("socket_identifier" / Int16ul, "reserved" / Int16ul, *children),
        # ACPI 6.5 §5.2.22.3 Memory Controller Type Data (4 bytes)
        PmttType.MEMORY_CONTROLLER: with_extra("memory_controller_identifier" / Int16ul, "reserved" / Int16ul,
                                                *children),
        # ACPI 6.5 §5.2.22.4 DIMM Type Specific Data (4 bytes)
        PmttType.DIMM: with_extra("smbios_handle" / Int32ul, *children),
        # ACPI 6.5 §5.2.22.5 Vendor Specific Type Data: a UUID, then data the vendor defines (kept in `extra`)
        PmttType.VENDOR_SPECIFIC: with_extra("type_uuid" / Bytes(16)),
    }
    return Struct(
        "type" / Int8ul,  # PmttType
        "reserved" / Int8ul,
        "length" / Int16ul,  # of the device with its children
        "flags" / Int16ul,  # PMTT_FLAG_FIELDS
        "reserved2" / Int16ul,
        "number_of_memory_devices" / Int32ul,  # children
        "body" / FixedSized(this.length - 12, Switch(this.type, cases, default=GreedyBytes)),
    )


# ACPI 6.3 §5.2.22.1 Memory Aggregator Device Structure header (8 bytes), revision 1.
def _device_v1(depth: int, allowed=(PmttType.SOCKET, PmttType.MEMORY_CONTROLLER, PmttType.DIMM)):
    dimm = with_extra(  # ACPI 6.3 §5.2.22.4 Physical Component Identifier Structure (type 2)
        "physical_component_identifier" / Int16ul,
        "reserved" / Int16ul,
        "size_of_dimm" / Int32ul,  # MiB
        "smbios_handle" / Int32ul,
    )
    controller = with_extra(  # ACPI 6.3 §5.2.22.3 Memory Controller Structure (type 1)
        "read_latency" / Int32ul,  # picoseconds
        "write_latency" / Int32ul,
        "read_bandwidth" / Int32ul,  # MB/s
        "write_bandwidth" / Int32ul,
        "optimal_access_unit" / Int16ul,
        "optimal_access_alignment" / Int16ul,
        "reserved" / Int16ul,
        "number_of_proximity_domains" / Int16ul,
        "proximity_domains" / Array(this.number_of_proximity_domains, Int32ul),
        *(("devices" / GreedyRange(_device_v1(depth - 1, (PmttType.DIMM,))),) if depth > 1 else ()),
    )
    socket = with_extra(  # ACPI 6.3 §5.2.22.2 Socket Structure (type 0)
        "socket_identifier" / Int16ul,
        "reserved" / Int16ul,
        *(("devices" / GreedyRange(_device_v1(depth - 1, (PmttType.MEMORY_CONTROLLER,))),) if depth > 1 else ()),
    )
    kinds = ((PmttType.SOCKET, socket), (PmttType.MEMORY_CONTROLLER, controller), (PmttType.DIMM, dimm))
    cases = {kind: case for kind, case in kinds if kind in allowed}
    return Struct(
        "type" / Int8ul,
        "reserved" / Int8ul,
        "length" / Int16ul,
        "flags" / Int16ul,
        "reserved2" / Int16ul,
        "body" / FixedSized(this.length - 8, Switch(this.type, cases, default=GreedyBytes)),
    )


# ACPI 6.5 §5.2.22 Platform Memory Topology Table (PMTT), revision 2; ACPI 6.3 §5.2.22, revision 1, where the
# count at offset 36 was reserved.
pmtt = table(
    "number_of_memory_devices" / Int32ul,
    "devices" / IfThenElse(this.header.revision >= REVISION_2, GreedyRange(_device_v2(DEPTH)),
                           GreedyRange(_device_v1(DEPTH))),
)
PMTT_MIN_LENGTH = 40

# The spec's name of each memory device type, for display.
PMTT_TYPES = {PmttType.SOCKET: "Socket", PmttType.MEMORY_CONTROLLER: "Memory Controller", PmttType.DIMM: "DIMM",
              PmttType.VENDOR_SPECIFIC: "Vendor Specific"}
# ACPI 6.5 §5.2.22.1 memory device flags.
PMTT_FLAG_FIELDS = {
    "top_level": (0, 1, {0: "no", 1: "yes"}),
    "physical_element": (1, 1, {0: "logical", 1: "physical"}),
    "memory_type": (2, 2, {0: "volatile", 1: "persistent", 2: "volatile and persistent", 3: "reserved"}),
}
