"""Intel MultiProcessor Specification 1.4 structures: the floating pointer, the configuration table and its entries."""
from construct import Array, Bytes, Error, GreedyBytes, Int8ul, Int16ul, Int32ul, Struct, Switch, this

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

# MPS 1.4 Table 4-8 Processor Entry Fields: CPU flags bits
MP_CPU_FLAGS = {0: "EN", 1: "BP"}  # enabled; the bootstrap processor
MP_CPU_ENABLED = 1 << 0
# MPS 1.4 Table 4-11 Interrupt Type Values
MP_INTERRUPT_TYPES = {0: "INT", 1: "NMI", 2: "SMI", 3: "ExtINT"}
# MPS 1.4 Table 4-8 Bus Type String Values (the ones a PC has)
MP_BUS_TYPES = {b"PCI   ": "PCI", b"ISA   ": "ISA", b"EISA  ": "EISA"}
