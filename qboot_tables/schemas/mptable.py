"""Intel MultiProcessor Specification 1.4 structures: the floating pointer, the configuration table and its entries."""
from construct import Array, Bytes, Error, GreedyBytes, Int8ul, Int16ul, Int32ul, Int64ul, Struct, Switch, this

from qboot_tables.schemas.common import type_length_subtable

# MPS 1.4 §4.1 MP Floating Pointer Structure (16 bytes), found by scanning for "_MP_" on a 16-byte boundary.
mp_floating_pointer = Struct(
    "signature" / Bytes(4),  # "_MP_"
    "physical_address_pointer" / Int32ul,  # the configuration table, 0 when a default configuration is used
    "length" / Int8ul,  # in 16-byte paragraphs: 1
    "spec_rev" / Int8ul,  # 1 (MPS 1.1) or 4 (MPS 1.4)
    "checksum" / Int8ul,  # all bytes of the structure sum to zero
    "feature1" / Int8ul,  # 0: a configuration table is present; 1-7: a default configuration (§5)
    "feature2" / Int8ul,  # bit 7 IMCRP: the IMCR is present and PIC mode is implemented
    "feature3_5" / Bytes(3),  # reserved
)
MP_FLOATING_POINTER_SIZE = 16

# MPS 1.4 §4.2 MP Configuration Table Header (44 bytes)
mp_config_header = Struct(
    "signature" / Bytes(4),  # "PCMP"
    "base_table_length" / Int16ul,  # the header and every base entry
    "spec_rev" / Int8ul,
    "checksum" / Int8ul,  # the base table sums to zero
    "oem_id" / Bytes(8),
    "product_id" / Bytes(12),
    "oem_table_pointer" / Int32ul,
    "oem_table_size" / Int16ul,
    "entry_count" / Int16ul,  # base entries
    "local_apic_address" / Int32ul,
    "extended_table_length" / Int16ul,
    "extended_table_checksum" / Int8ul,  # added to the extended entries' sum gives zero
    "reserved" / Int8ul,
)
MP_CONFIG_HEADER_SIZE = 44

# MPS 1.4 §4.3.1 Processor Entries (type 0, 20 bytes)
mp_processor = Struct(
    "local_apic_id" / Int8ul,
    "local_apic_version" / Int8ul,
    "cpu_flags" / Int8ul,  # MP_CPU_FLAGS
    "cpu_signature" / Int32ul,  # CPUID(1).EAX stepping, model, family
    "feature_flags" / Int32ul,  # CPUID(1).EDX
    "reserved" / Bytes(8),
)

# MPS 1.4 §4.3.2 Bus Entries (type 1, 8 bytes)
mp_bus = Struct(
    "bus_id" / Int8ul,
    "bus_type" / Bytes(6),  # MP_BUS_TYPES, blank-padded: "PCI   ", "ISA   "
)

# MPS 1.4 §4.3.3 I/O APIC Entries (type 2, 8 bytes)
mp_io_apic = Struct(
    "io_apic_id" / Int8ul,
    "io_apic_version" / Int8ul,
    "io_apic_flags" / Int8ul,  # bit 0 EN: usable
    "io_apic_address" / Int32ul,
)

# MPS 1.4 §4.3.4 I/O Interrupt Assignment Entries (type 3) and §4.3.5 Local Interrupt Assignment Entries
# (type 4): the same 8-byte layout, with the destination an I/O APIC input or a local APIC LINTIN pin.
mp_interrupt = Struct(
    "interrupt_type" / Int8ul,  # MP_INTERRUPT_TYPES
    "flags" / Int16ul,  # polarity (bits 0-1) and trigger mode (bits 2-3): MPS_INTI_FLAG_FIELDS in madt.py
    "source_bus_id" / Int8ul,
    "source_bus_irq" / Int8ul,  # ISA: the IRQ; PCI: device number in bits 2-6, INTA#-INTD# in bits 0-1
    "destination_apic_id" / Int8ul,  # 0xFF on a local interrupt: every local APIC
    "destination_intin" / Int8ul,  # I/O APIC INTINn or local APIC LINTINn
)

MP_PROCESSOR, MP_BUS, MP_IO_APIC, MP_IO_INTERRUPT, MP_LOCAL_INTERRUPT = 0, 1, 2, 3, 4
# MPS 1.4 §4.3 Table 4-3: base entry type -> body. Base entries carry no length field, so an unknown type
# cannot be stepped over: parsing stops with an error.
MP_ENTRY_BODIES = {
    MP_PROCESSOR: mp_processor,
    MP_BUS: mp_bus,
    MP_IO_APIC: mp_io_apic,
    MP_IO_INTERRUPT: mp_interrupt,
    MP_LOCAL_INTERRUPT: mp_interrupt,
}
MP_ENTRY_SIZES = {MP_PROCESSOR: 20, MP_BUS: 8, MP_IO_APIC: 8, MP_IO_INTERRUPT: 8, MP_LOCAL_INTERRUPT: 8}
MP_ENTRY_TYPES = {
    MP_PROCESSOR: "Processor",
    MP_BUS: "Bus",
    MP_IO_APIC: "I/O APIC",
    MP_IO_INTERRUPT: "I/O Interrupt Assignment",
    MP_LOCAL_INTERRUPT: "Local Interrupt Assignment",
}

mp_entry = Struct(
    "type" / Int8ul,
    "body" / Switch(this.type, MP_ENTRY_BODIES, default=Error),
)

# MPS 1.4 §4.2: the header, then entry_count base entries; any extended entries follow in `extra`.
mp_config_table = Struct(
    "header" / mp_config_header,
    "entries" / Array(this.header.entry_count, mp_entry),
    "extra" / GreedyBytes,
)

# MPS 1.4 §4.4.1 System Address Space Mapping Entries (type 128, 20 bytes): an address range a bus decodes.
mp_address_space = Struct(
    "bus_id" / Int8ul,
    "address_type" / Int8ul,  # MP_ADDRESS_TYPES
    "address_base" / Int64ul,
    "address_length" / Int64ul,
)

# MPS 1.4 §4.4.2 Bus Hierarchy Descriptor Entry (type 129, 8 bytes): which bus a bus hangs from.
mp_bus_hierarchy = Struct(
    "bus_id" / Int8ul,
    "bus_information" / Int8ul,  # bit 0 SD: the bus decodes subtractively
    "parent_bus" / Int8ul,
    "reserved" / Bytes(3),
)

# MPS 1.4 §4.4.3 Compatibility Bus Address Space Modifier Entry (type 130, 8 bytes): a predefined range of ISA
# addresses added to, or taken from, a bus's address space.
mp_compatibility_modifier = Struct(
    "bus_id" / Int8ul,
    "address_modifier" / Int8ul,  # bit 0 PR: 1 the range is subtracted, 0 it is added
    "predefined_range_list" / Int32ul,  # MP_PREDEFINED_RANGES
)

MP_ADDRESS_SPACE, MP_BUS_HIERARCHY, MP_COMPATIBILITY_MODIFIER = 128, 129, 130
# MPS 1.4 §4.4: extended entry type -> body. These carry a length (type and length bytes counted),
# so an entry of a type we do not know is stepped over and kept as bytes.
MP_EXTENDED_BODIES = {
    MP_ADDRESS_SPACE: mp_address_space,
    MP_BUS_HIERARCHY: mp_bus_hierarchy,
    MP_COMPATIBILITY_MODIFIER: mp_compatibility_modifier,
}
MP_EXTENDED_SIZES = {MP_ADDRESS_SPACE: 20, MP_BUS_HIERARCHY: 8, MP_COMPATIBILITY_MODIFIER: 8}
MP_EXTENDED_TYPES = {
    MP_ADDRESS_SPACE: "System Address Space Mapping",
    MP_BUS_HIERARCHY: "Bus Hierarchy Descriptor",
    MP_COMPATIBILITY_MODIFIER: "Compatibility Bus Address Space Modifier",
}
mp_extended_entry = type_length_subtable(MP_EXTENDED_BODIES)
MP_EXTENDED_HEADER_SIZE = mp_extended_entry.header_size
MP_BASE_HEADER_SIZE = 1  # a base entry's type byte

# MPS 1.4 §4.1: the specification revisions
MP_SPEC_REVISIONS = {1: "MPS 1.1", 4: "MPS 1.4"}
# MPS 1.4 §4.1 and §5: feature byte 1 names a default configuration, 0 meaning a table is present.
MP_DEFAULT_CONFIGURATIONS = {
    0: "configuration table present",
    1: "default configuration 1: ISA, discrete APIC",
    2: "default configuration 2: EISA without IRQ0 or DMA chaining, discrete APIC",
    3: "default configuration 3: EISA, discrete APIC",
    4: "default configuration 4: MCA, discrete APIC",
    5: "default configuration 5: ISA and PCI, integrated APIC",
    6: "default configuration 6: EISA and PCI, integrated APIC",
    7: "default configuration 7: MCA and PCI, integrated APIC",
}
MP_IMCR_PRESENT = 1 << 7  # feature byte 2 bit 7 IMCRP: PIC mode, else virtual wire mode

# MPS 1.4 §4.3.1 Processor Entries: CPU flags bits
MP_CPU_FLAGS = {0: "EN", 1: "BP"}  # enabled; the bootstrap processor
MP_CPU_ENABLED = 1 << 0
MP_CPU_BOOTSTRAP = 1 << 1
# MPS 1.4 §4.3.1: the feature flags from CPUID(1).EDX: the bits the specification names
MP_FEATURE_FLAGS = {0: "FPU", 7: "MCE", 8: "CX8", 9: "APIC"}
# MPS 1.4 §4.3.3: I/O APIC flags
MP_IO_APIC_FLAGS = {0: "EN"}
# MPS 1.4 Table 4-11 Interrupt Type Values
MP_INTERRUPT_TYPES = {0: "INT", 1: "NMI", 2: "SMI", 3: "ExtINT"}
# MPS 1.4 §4.3.4: PO (bits 0-1) and EL (bits 2-3); 2 is reserved in both.
MP_POLARITY = {0: "conforms to the bus", 1: "active high", 2: "reserved", 3: "active low"}
MP_TRIGGER = {0: "conforms to the bus", 1: "edge", 2: "reserved", 3: "level"}
MP_INTI_FLAG_FIELDS = {"polarity": (0, 2, MP_POLARITY), "trigger": (2, 2, MP_TRIGGER)}
MP_INTI_RESERVED = 2
MP_ALL_APICS = 0xFF  # a destination of every local APIC (§4.3.5) or every I/O APIC (§4.3.4)
# MPS 1.4 §4.3.2: the bus type strings, blank-padded to six bytes
MP_BUS_TYPES = {name.ljust(6).encode(): name for name in (
    "CBUS", "CBUSII", "EISA", "FUTURE", "INTERN", "ISA", "MBI", "MBII", "MCA", "MPI", "MPSA", "NUBUS", "PCI",
    "PCMCIA", "TC", "VL", "VME", "XPRESS")}
# MPS 1.4 §4.4.1: address types
MP_ADDRESS_TYPES = {0: "I/O", 1: "memory", 2: "prefetch"}
MP_SUBTRACTIVE_DECODE = {0: "SD"}  # §4.4.2 bus information bit 0
MP_RANGE_SUBTRACTED = 1 << 0  # §4.4.3 address modifier bit 0 PR
# MPS 1.4 §4.4.3: the predefined range lists
MP_PREDEFINED_RANGES = {0: "ISA I/O (the 10-bit ISA addresses and their aliases)",
                        1: "VGA I/O (the 10-bit VGA addresses and their aliases)"}

# MPS 1.4 §4: where an OS looks for the floating pointer: the first KiB of the EBDA (its segment is the word at
# 0x40E of the BIOS data area), else the last KiB of base memory, and the BIOS ROM 0xF0000-0xFFFFF.
MP_EBDA_SEGMENT_POINTER = 0x40E
MP_BASE_MEMORY_LAST_KIB = (0x9FC00, 0xA0000)
MP_BIOS_ROM = (0xF0000, 0x100000)
MP_SCAN_SIZE = 1024
