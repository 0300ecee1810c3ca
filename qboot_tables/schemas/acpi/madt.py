"""MADT ("APIC"): the Multiple APIC Description Table, its x86 interrupt controller subtables and name tables."""
from construct import Bytes, GreedyRange, Int8ul, Int16ul, Int32ul, Int64ul

from qboot_tables.schemas.common import table, type_length_subtable, with_extra

# ACPI 6.5 §5.2.12.2 Processor Local APIC Structure (type 0, 8 bytes)
processor_local_apic = with_extra(
    "acpi_processor_uid" / Int8ul,
    "apic_id" / Int8ul,
    "flags" / Int32ul,  # MADT_LAPIC_FLAGS
)

# ACPI 6.5 §5.2.12.3 I/O APIC Structure (type 1, 12 bytes)
io_apic = with_extra(
    "io_apic_id" / Int8ul,
    "reserved" / Int8ul,
    "io_apic_address" / Int32ul,
    "global_system_interrupt_base" / Int32ul,
)

# ACPI 6.5 §5.2.12.5 Interrupt Source Override Structure (type 2, 10 bytes)
interrupt_source_override = with_extra(
    "bus" / Int8ul,  # 0: ISA, the only bus the spec allows
    "source" / Int8ul,  # bus-relative IRQ
    "global_system_interrupt" / Int32ul,
    "flags" / Int16ul,  # MPS INTI flags: MPS_INTI_FLAG_FIELDS
)

# ACPI 6.5 §5.2.12.6 Non-Maskable Interrupt (NMI) Source Structure (type 3, 8 bytes)
nmi_source = with_extra(
    "flags" / Int16ul,  # MPS INTI flags
    "global_system_interrupt" / Int32ul,
)

# ACPI 6.5 §5.2.12.7 Local APIC NMI Structure (type 4, 6 bytes)
local_apic_nmi = with_extra(
    "acpi_processor_uid" / Int8ul,  # 0xFF: every processor
    "flags" / Int16ul,  # MPS INTI flags
    "local_apic_lint" / Int8ul,  # LINTn input the NMI is connected to
)

# ACPI 6.5 §5.2.12.8 Local APIC Address Override Structure (type 5, 12 bytes)
local_apic_address_override = with_extra(
    "reserved" / Int16ul,
    "local_apic_address" / Int64ul,
)

# ACPI 6.5 §5.2.12.12 Processor Local x2APIC Structure (type 9, 16 bytes)
processor_local_x2apic = with_extra(
    "reserved" / Int16ul,
    "x2apic_id" / Int32ul,
    "flags" / Int32ul,  # same bits as MADT_LAPIC_FLAGS
    "acpi_processor_uid" / Int32ul,
)

# ACPI 6.5 §5.2.12.13 Local x2APIC NMI Structure (type 0xA, 12 bytes)
local_x2apic_nmi = with_extra(
    "flags" / Int16ul,  # MPS INTI flags
    "acpi_processor_uid" / Int32ul,  # 0xFFFFFFFF: every processor
    "local_x2apic_lint" / Int8ul,
    "reserved" / Bytes(3),
)

# Subtable type -> body schema; any other type keeps its body as raw bytes.
MADT_SUBTABLES = {
    0x0: processor_local_apic,
    0x1: io_apic,
    0x2: interrupt_source_override,
    0x3: nmi_source,
    0x4: local_apic_nmi,
    0x5: local_apic_address_override,
    0x9: processor_local_x2apic,
    0xA: local_x2apic_nmi,
}

# ACPI 6.5 §5.2.12 Multiple APIC Description Table (MADT). A GreedyRange stops at the first
# subtable that does not fit (zero length, truncated), so whatever follows stays in `extra`.
madt = table(
    "local_apic_address" / Int32ul,
    "flags" / Int32ul,  # MADT_FLAGS
    "subtables" / GreedyRange(type_length_subtable(MADT_SUBTABLES)),
)

# ACPI 6.5 §5.2.12, Interrupt Controller Structure Types. 0x18-0x7F are reserved, 0x80-0xFF are for OEM use.
MADT_TYPES = {
    0x00: "Processor Local APIC",
    0x01: "I/O APIC",
    0x02: "Interrupt Source Override",
    0x03: "Non-Maskable Interrupt (NMI) Source",
    0x04: "Local APIC NMI",
    0x05: "Local APIC Address Override",
    0x06: "I/O SAPIC",
    0x07: "Local SAPIC",
    0x08: "Platform Interrupt Sources",
    0x09: "Processor Local x2APIC",
    0x0A: "Local x2APIC NMI",
    0x0B: "GIC CPU Interface (GICC)",
    0x0C: "GIC Distributor (GICD)",
    0x0D: "GIC MSI Frame",
    0x0E: "GIC Redistributor (GICR)",
    0x0F: "GIC Interrupt Translation Service (ITS)",
    0x10: "Multiprocessor Wakeup",
    0x11: "Core Programmable Interrupt Controller (CORE PIC)",
    0x12: "Legacy I/O Programmable Interrupt Controller (LIO PIC)",
    0x13: "HyperTransport Programmable Interrupt Controller (HT PIC)",
    0x14: "Extend I/O Programmable Interrupt Controller (EIO PIC)",
    0x15: "MSI Programmable Interrupt Controller (MSI PIC)",
    0x16: "Bridge I/O Programmable Interrupt Controller (BIO PIC)",
    0x17: "Low Pin Count Programmable Interrupt Controller (LPC PIC)",
}
# The spec length of each parsed subtable type, header included; longer ones keep the rest in `extra`.
MADT_SUBTABLE_SIZES = {0x0: 8, 0x1: 12, 0x2: 10, 0x3: 8, 0x4: 6, 0x5: 12, 0x9: 16, 0xA: 12}

# ACPI 6.5 §5.2.12, Multiple APIC Flags, bit -> name.
MADT_FLAGS = {0: "PCAT_COMPAT"}  # the system also has dual 8259s, to be masked before APIC mode

# ACPI 6.5 §5.2.12.2 Local APIC Flags (also the x2APIC flags, §5.2.12.12), bit -> name. ONLINE_CAPABLE
# (ACPI 6.3) means a disabled processor can be enabled at run time; it must be zero when ENABLED is set.
MADT_LAPIC_FLAGS = {0: "ENABLED", 1: "ONLINE_CAPABLE"}

# ACPI 6.5 §5.2.12.5 MPS INTI Flags, the same encoding as MPS 1.4 Table 4-10: two 2-bit fields.
MPS_INTI_POLARITY = {0: "Conforms to the bus", 1: "Active high", 2: "Reserved", 3: "Active low"}
MPS_INTI_TRIGGER_MODE = {0: "Conforms to the bus", 1: "Edge-triggered", 2: "Reserved", 3: "Level-triggered"}
# Multi-bit fields of the flags word: name -> (first bit, bit count, value -> meaning).
MPS_INTI_FLAG_FIELDS = {
    "polarity": (0, 2, MPS_INTI_POLARITY),
    "trigger_mode": (2, 2, MPS_INTI_TRIGGER_MODE),
}
