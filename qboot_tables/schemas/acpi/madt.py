"""MADT ("APIC"): the Multiple APIC Description Table, its x86 interrupt controller subtables and name tables."""
from construct import Bytes, GreedyBytes, GreedyRange, Int8ul, Int16ul, Int24ul, Int32ul, Int64ul

from qboot_tables.schemas.common import optional_tail, table, type_length_subtable, with_extra

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

# ACPI 6.5 §5.2.12.9 I/O SAPIC Structure (type 6, 16 bytes)
io_sapic = with_extra(
    "io_apic_id" / Int8ul,
    "reserved" / Int8ul,
    "global_system_interrupt_base" / Int32ul,
    "io_sapic_address" / Int64ul,
)

# ACPI 6.5 §5.2.12.10 Local SAPIC Structure (type 7, 17 bytes or more): the UID string that ends it is
# NUL-terminated and as long as the firmware makes it, so it takes the rest of the subtable.
local_sapic = with_extra(
    "acpi_processor_id" / Int8ul,
    "local_sapic_id" / Int8ul,
    "local_sapic_eid" / Int8ul,
    "reserved" / Int24ul,
    "flags" / Int32ul,  # MADT_LAPIC_FLAGS (only ENABLED is defined for it)
    "acpi_processor_uid_value" / Int32ul,
    "acpi_processor_uid_string" / GreedyBytes,
)

# ACPI 6.5 §5.2.12.11 Platform Interrupt Source Structure (type 8, 16 bytes)
platform_interrupt_source = with_extra(
    "flags" / Int16ul,  # MPS INTI flags
    "interrupt_type" / Int8ul,  # PLATFORM_INTERRUPT_TYPES
    "processor_id" / Int8ul,
    "processor_eid" / Int8ul,
    "io_sapic_vector" / Int8ul,
    "global_system_interrupt" / Int32ul,
    "platform_interrupt_source_flags" / Int32ul,  # PLATFORM_INTERRUPT_SOURCE_FLAGS
)

# ACPI 6.5 §5.2.12.14 GIC CPU Interface (GICC) Structure (type 0xB). Its length grew with the spec: 76 bytes in
# ACPI 5.1 (up to the MPIDR), 80 in ACPI 6.0 (efficiency class and 3 reserved bytes, of which ACPI 6.3 made the
# last two the SPE overflow interrupt), 82 in ACPI 6.5 (TRBE interrupt). The later fields are absent in an older
# GICC rather than read from the next subtable.
gicc = with_extra(
    "reserved" / Int16ul,
    "cpu_interface_number" / Int32ul,
    "acpi_processor_uid" / Int32ul,
    "flags" / Int32ul,  # GICC_FLAGS
    "parking_protocol_version" / Int32ul,
    "performance_interrupt_gsiv" / Int32ul,
    "parked_address" / Int64ul,
    "physical_base_address" / Int64ul,
    "gicv" / Int64ul,
    "gich" / Int64ul,
    "vgic_maintenance_interrupt" / Int32ul,
    "gicr_base_address" / Int64ul,
    "mpidr" / Int64ul,
    *optional_tail(
        "processor_power_efficiency_class" / Int8ul,  # ACPI 6.0
        "reserved2" / Int8ul,
        "spe_overflow_interrupt" / Int16ul,  # ACPI 6.3
        "trbe_interrupt" / Int16ul,  # ACPI 6.5
    ),
)

# ACPI 6.5 §5.2.12.15 GIC Distributor (GICD) Structure (type 0xC, 24 bytes)
gicd = with_extra(
    "reserved" / Int16ul,
    "gic_id" / Int32ul,
    "physical_base_address" / Int64ul,
    "system_vector_base" / Int32ul,  # must be zero
    "gic_version" / Int8ul,  # GIC_VERSIONS
    "reserved2" / Int24ul,
)

# ACPI 6.5 §5.2.12.16 GIC MSI Frame Structure (type 0xD, 24 bytes)
gic_msi_frame = with_extra(
    "reserved" / Int16ul,
    "gic_msi_frame_id" / Int32ul,
    "physical_base_address" / Int64ul,
    "flags" / Int32ul,  # GIC_MSI_FRAME_FLAGS
    "spi_count" / Int16ul,
    "spi_base" / Int16ul,
)

# ACPI 6.5 §5.2.12.17 GIC Redistributor (GICR) Structure (type 0xE, 16 bytes)
gicr = with_extra(
    "reserved" / Int16ul,
    "discovery_range_base_address" / Int64ul,
    "discovery_range_length" / Int32ul,
)

# ACPI 6.5 §5.2.12.18 GIC Interrupt Translation Service (ITS) Structure (type 0xF, 20 bytes)
gic_its = with_extra(
    "reserved" / Int16ul,
    "gic_its_id" / Int32ul,
    "physical_base_address" / Int64ul,
    "reserved2" / Int32ul,
)

# ACPI 6.5 §5.2.12.19 Multiprocessor Wakeup Structure (type 0x10): 16 bytes for mailbox version 0. ACPI 6.6
# appends the reset vector (24 bytes, ACPICA actbl2.h ACPI_MADT_MULTIPROC_WAKEUP).
multiprocessor_wakeup = with_extra(
    "mailbox_version" / Int16ul,
    "reserved" / Int32ul,
    "mailbox_address" / Int64ul,
    *optional_tail("reset_vector" / Int64ul),
)

# ACPI 6.5 §5.2.12.20 Core Programmable Interrupt Controller (CORE PIC) Structure (type 0x11, 15 bytes). The
# LoongArch structures (types 0x11-0x17) are packed: their fields follow one another with no padding.
core_pic = with_extra(
    "version" / Int8ul,
    "acpi_processor_id" / Int32ul,
    "physical_processor_id" / Int32ul,
    "flags" / Int32ul,  # bit 0: ENABLED
)

# ACPI 6.5 §5.2.12.21 Legacy I/O Programmable Interrupt Controller (LIO PIC) Structure (type 0x12, 23 bytes)
lio_pic = with_extra(
    "version" / Int8ul,
    "base_address" / Int64ul,
    "size" / Int16ul,
    "cascade_vector" / Int16ul,  # one byte per cascaded output, as ACPICA's dmtbinfo2.c shows it
    "cascade_vector_mapping" / Int64ul,  # two 32-bit maps
)

# ACPI 6.5 §5.2.12.22 HyperTransport Programmable Interrupt Controller (HT PIC) Structure (type 0x13, 21 bytes)
ht_pic = with_extra(
    "version" / Int8ul,
    "base_address" / Int64ul,
    "size" / Int16ul,
    "cascade_vector" / Int64ul,  # eight bytes, one per output
)

# ACPI 6.5 §5.2.12.23 Extend I/O Programmable Interrupt Controller (EIO PIC) Structure (type 0x14, 13 bytes)
eio_pic = with_extra(
    "version" / Int8ul,
    "cascade_vector" / Int8ul,
    "node" / Int8ul,
    "node_map" / Int64ul,
)

# ACPI 6.5 §5.2.12.24 MSI Programmable Interrupt Controller (MSI PIC) Structure (type 0x15, 19 bytes)
msi_pic = with_extra(
    "version" / Int8ul,
    "message_address" / Int64ul,
    "start" / Int32ul,
    "count" / Int32ul,
)

# ACPI 6.5 §5.2.12.25 Bridge I/O Programmable Interrupt Controller (BIO PIC) Structure (type 0x16, 17 bytes)
bio_pic = with_extra(
    "version" / Int8ul,
    "base_address" / Int64ul,
    "size" / Int16ul,
    "hardware_id" / Int16ul,
    "gsi_base" / Int16ul,
)

# ACPI 6.5 §5.2.12.26 Low Pin Count Programmable Interrupt Controller (LPC PIC) Structure (type 0x17, 14 bytes)
lpc_pic = with_extra(
    "version" / Int8ul,
    "base_address" / Int64ul,
    "size" / Int16ul,
    "cascade_vector" / Int8ul,
)

# Subtable type -> body schema: every type of ACPI 6.5. Reserved (0x18-0x7F) and OEM (0x80-0xFF) types keep
# their body as raw bytes.
MADT_SUBTABLES = {
    0x0: processor_local_apic,
    0x1: io_apic,
    0x2: interrupt_source_override,
    0x3: nmi_source,
    0x4: local_apic_nmi,
    0x5: local_apic_address_override,
    0x6: io_sapic,
    0x7: local_sapic,
    0x8: platform_interrupt_source,
    0x9: processor_local_x2apic,
    0xA: local_x2apic_nmi,
    0xB: gicc,
    0xC: gicd,
    0xD: gic_msi_frame,
    0xE: gicr,
    0xF: gic_its,
    0x10: multiprocessor_wakeup,
    0x11: core_pic,
    0x12: lio_pic,
    0x13: ht_pic,
    0x14: eio_pic,
    0x15: msi_pic,
    0x16: bio_pic,
    0x17: lpc_pic,
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
# The spec length of each subtable type, header included; longer ones keep the rest in `extra`. A tuple holds
# every length some ACPI version gave the structure. The Local SAPIC (7) has no fixed length: its UID string
# ends it.
MADT_SUBTABLE_SIZES = {
    0x0: 8, 0x1: 12, 0x2: 10, 0x3: 8, 0x4: 6, 0x5: 12, 0x6: 16, 0x8: 16, 0x9: 16, 0xA: 12,
    0xB: (76, 80, 82),  # GICC: ACPI 5.1, 6.0 (6.3 the same size), 6.5
    0xC: 24, 0xD: 24, 0xE: 16, 0xF: 20,
    0x10: (16, 24),  # Multiprocessor Wakeup: ACPI 6.5 (mailbox version 0), ACPI 6.6 (reset vector)
    0x11: 15, 0x12: 23, 0x13: 21, 0x14: 13, 0x15: 19, 0x16: 17, 0x17: 14,
}

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

# ACPI 6.5 §5.2.12.11 Platform Interrupt Source Structure, Interrupt Type; 4-0xFF are reserved.
PLATFORM_INTERRUPT_TYPES = {1: "PMI", 2: "INIT", 3: "Corrected Platform Error Interrupt"}
# ACPI 6.5 §5.2.12.11 Platform Interrupt Source Flags, bit -> name.
PLATFORM_INTERRUPT_SOURCE_FLAGS = {0: "CPEI_PROCESSOR_OVERRIDE"}

# ACPI 6.5 §5.2.12.14 GICC CPU Interface Flags, bit -> name.
GICC_FLAGS = {0: "ENABLED", 1: "PERFORMANCE_INTERRUPT_MODE_EDGE", 2: "VGIC_MAINTENANCE_INTERRUPT_MODE_EDGE",
              3: "ONLINE_CAPABLE"}
# ACPI 6.5 §5.2.12.15 GIC version; 5-0xFF are reserved.
GIC_VERSIONS = {0: "No GIC version is specified", 1: "GICv1", 2: "GICv2", 3: "GICv3", 4: "GICv4"}
# ACPI 6.5 §5.2.12.16 GIC MSI Frame Flags, bit -> name: when set, SPI Count and Base override the frame's
# MSI_TYPER register.
GIC_MSI_FRAME_FLAGS = {0: "SPI_COUNT_BASE_SELECT"}
# ACPI 6.5 §5.2.12.20 CORE PIC flags, bit -> name.
CORE_PIC_FLAGS = {0: "ENABLED"}
