"""etc/table-loader: QEMU's 128-byte linker/loader commands that tell firmware how to place and patch tables."""
from construct import Bytes, FixedSized, GreedyBytes, GreedyRange, Int8ul, Int32ul, Struct, Switch, this

LOADER_ENTRY_SIZE = 128
LOADER_NAME_SIZE = 56

CMD_PADDING = 0
CMD_ALLOCATE = 1
CMD_ADD_POINTER = 2
CMD_ADD_CHECKSUM = 3
CMD_WRITE_POINTER = 4
COMMAND_NAMES = {CMD_PADDING: "PADDING", CMD_ALLOCATE: "ALLOCATE", CMD_ADD_POINTER: "ADD_POINTER",
                 CMD_ADD_CHECKSUM: "ADD_CHECKSUM", CMD_WRITE_POINTER: "WRITE_POINTER"}

ZONE_HIGH = 1
ZONE_FSEG = 2
ZONE_NAMES = {ZONE_HIGH: "HIGH", ZONE_FSEG: "FSEG"}

# Layouts from QEMU hw/acpi/bios-linker-loader.c (BiosLinkerLoaderEntry): a u32 command, then a 124-byte
# union. Each body keeps its unused tail in `padding` so an entry round-trips byte for byte.
allocate = Struct(
    "file" / Bytes(LOADER_NAME_SIZE),
    "align" / Int32ul,
    "zone" / Int8ul,
    "padding" / GreedyBytes,
)
add_pointer = Struct(
    "dest_file" / Bytes(LOADER_NAME_SIZE),
    "src_file" / Bytes(LOADER_NAME_SIZE),
    "offset" / Int32ul,
    "size" / Int8ul,
    "padding" / GreedyBytes,
)
add_checksum = Struct(
    "file" / Bytes(LOADER_NAME_SIZE),
    "offset" / Int32ul,
    "start" / Int32ul,
    "length" / Int32ul,
    "padding" / GreedyBytes,
)
write_pointer = Struct(
    "dest_file" / Bytes(LOADER_NAME_SIZE),
    "src_file" / Bytes(LOADER_NAME_SIZE),
    "dst_offset" / Int32ul,
    "src_offset" / Int32ul,
    "size" / Int8ul,
    "padding" / GreedyBytes,
)

loader_entry = Struct(
    "command" / Int32ul,
    "body" / FixedSized(LOADER_ENTRY_SIZE - 4, Switch(this.command, {
        CMD_ALLOCATE: allocate,
        CMD_ADD_POINTER: add_pointer,
        CMD_ADD_CHECKSUM: add_checksum,
        CMD_WRITE_POINTER: write_pointer,
    }, default=GreedyBytes)),
)
loader_script = GreedyRange(loader_entry)
