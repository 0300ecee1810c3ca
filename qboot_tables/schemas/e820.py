"""e820: the memory map QEMU passes in fw_cfg "etc/e820", packed 20-byte entries."""
from construct import GreedyBytes, GreedyRange, Int32ul, Int64ul, Struct

E820_ENTRY_SIZE = 20

# QEMU hw/i386/e820_memory_layout.h struct e820_entry (packed); types from ACPI 6.5 §15 Table 15.1.
e820_entry = Struct(
    "address" / Int64ul,
    "length" / Int64ul,
    "type" / Int32ul,
)
e820_table = Struct(
    "entries" / GreedyRange(e820_entry),
    "extra" / GreedyBytes,
)

# Where `dump-tables --out` writes the map, in this layout, beside the tables; a tables folder reads it back.
E820_DUMP_FILE = "e820.bin"

E820_RAM = 1
E820_RESERVED = 2
E820_ACPI = 3
E820_NVS = 4
E820_UNUSABLE = 5
E820_DISABLED = 6
E820_PMEM = 7
# Types Linux names besides the spec's (arch/x86/include/asm/e820/types.h): 12 for persistent memory before type
# 7 existed, and what UEFI marks EFI_MEMORY_SP (specific-purpose), which Linux's map shows as "Soft Reserved".
E820_PRAM = 12
E820_SOFT_RESERVED = 0xEFFFFFFF
E820_TYPES = {E820_RAM: "RAM", E820_RESERVED: "reserved", E820_ACPI: "ACPI reclaimable", E820_NVS: "ACPI NVS",
              E820_UNUSABLE: "unusable", E820_DISABLED: "disabled", E820_PMEM: "persistent memory",
              E820_PRAM: "persistent memory (legacy)", E820_SOFT_RESERVED: "soft reserved"}
