"""MADT ("APIC"): the Multiple APIC Description Table, its x86 interrupt controller subtables and name tables."""
from enum import IntEnum, IntFlag

from construct import Bytes, Construct, GreedyBytes, GreedyRange, Int8ul, Int16ul, Int24ul, Int32ul, Int64ul

from qboot_tables.schemas.acpi import flag_bits
from qboot_tables.schemas.common import optional_tail, table, type_length_subtable, with_extra


# ACPI 6.5 §5.2.12 Interrupt Controller Structure Types. 0x18-0x7F are reserved, 0x80-0xFF are for
# OEM use.
class MadtType(IntEnum):
    LOCAL_APIC = 0x00
    IO_APIC = 0x01
    INTERRUPT_OVERRIDE = 0x02
    NMI_SOURCE = 0x03
    LOCAL_APIC_NMI = 0x04
    LOCAL_APIC_ADDRESS_OVERRIDE = 0x05
    IO_SAPIC = 0x06
    LOCAL_SAPIC = 0x07
    PLATFORM_INTERRUPT_SOURCE = 0x08
    LOCAL_X2APIC = 0x09
    LOCAL_X2APIC_NMI = 0x0A
    GICC = 0x0B
    GICD = 0x0C
    GIC_MSI_FRAME = 0x0D
    GICR = 0x0E
    GIC_ITS = 0x0F
    MULTIPROCESSOR_WAKEUP = 0x10
    CORE_PIC = 0x11
    LIO_PIC = 0x12
    HT_PIC = 0x13
    EIO_PIC = 0x14
    MSI_PIC = 0x15
    BIO_PIC = 0x16
    LPC_PIC = 0x17


# ACPI 6.5 §5.2.12.2 Processor Local APIC Structure (type 0, 8 bytes)
processor_local_apic = with_extra(
    "acpi_processor_uid" / Int8ul,
    "apic_id" / Int8ul,
    "flags" / Int32ul,  # LocalApicFlags
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
    "flags" / Int32ul,  # LocalApicFlags
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
    "flags" / Int32ul,  # LocalApicFlags (only ENABLED is defined for it)
    "acpi_processor_uid_value" / Int32ul,
    "acpi_processor_uid_string" / GreedyBytes,
)

# ACPI 6.5 §5.2.12.11 Platform Interrupt Source Structure (type 8, 16 bytes)
platform_interrupt_source = with_extra(
    "flags" / Int16ul,  # MPS INTI flags
    "interrupt_type" / Int8ul,  # PlatformInterruptType
    "processor_id" / Int8ul,
    "processor_eid" / Int8ul,
    "io_sapic_vector" / Int8ul,
    "global_system_interrupt" / Int32ul,
    "platform_interrupt_source_flags" / Int32ul,  # PlatformInterruptSourceFlags
)

# ACPI 6.5 §5.2.12.14 GIC CPU Interface (GICC) Structure (type 0xB). Its length grew with the spec: 76 bytes in
# ACPI 5.1 (up to the MPIDR), 80 in ACPI 6.0 (efficiency class and 3 reserved bytes, of which ACPI 6.3 made the
# last two the SPE overflow interrupt), 82 in ACPI 6.5 (TRBE interrupt). The later fields are absent in an older
# GICC rather than read from the next subtable.
gicc = with_extra(
    "reserved" / Int16ul,
    "cpu_interface_number" / Int32ul,
    "acpi_processor_uid" / Int32ul,
    "flags" / Int32ul,  # GiccFlags
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
    "gic_version" / Int8ul,  # GicVersion
    "reserved2" / Int24ul,
)

# ACPI 6.5 §5.2.12.16 GIC MSI Frame Structure (type 0xD, 24 bytes)
gic_msi_frame = with_extra(
    "reserved" / Int16ul,
    "gic_msi_frame_id" / Int32ul,
    "physical_base_address" / Int64ul,
    "flags" / Int32ul,  # GicMsiFrameFlags
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
    "flags" / Int32ul,  # CorePicFlags
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
# their body as raw bytes. Keyed by MadtType, looked up by the type byte a table holds.
MADT_SUBTABLES: dict[int, Construct] = {
    MadtType.LOCAL_APIC: processor_local_apic,
    MadtType.IO_APIC: io_apic,
    MadtType.INTERRUPT_OVERRIDE: interrupt_source_override,
    MadtType.NMI_SOURCE: nmi_source,
    MadtType.LOCAL_APIC_NMI: local_apic_nmi,
    MadtType.LOCAL_APIC_ADDRESS_OVERRIDE: local_apic_address_override,
    MadtType.IO_SAPIC: io_sapic,
    MadtType.LOCAL_SAPIC: local_sapic,
    MadtType.PLATFORM_INTERRUPT_SOURCE: platform_interrupt_source,
    MadtType.LOCAL_X2APIC: processor_local_x2apic,
    MadtType.LOCAL_X2APIC_NMI: local_x2apic_nmi,
    MadtType.GICC: gicc,
    MadtType.GICD: gicd,
    MadtType.GIC_MSI_FRAME: gic_msi_frame,
    MadtType.GICR: gicr,
    MadtType.GIC_ITS: gic_its,
    MadtType.MULTIPROCESSOR_WAKEUP: multiprocessor_wakeup,
    MadtType.CORE_PIC: core_pic,
    MadtType.LIO_PIC: lio_pic,
    MadtType.HT_PIC: ht_pic,
    MadtType.EIO_PIC: eio_pic,
    MadtType.MSI_PIC: msi_pic,
    MadtType.BIO_PIC: bio_pic,
    MadtType.LPC_PIC: lpc_pic,
}

# ACPI 6.5 §5.2.12 Multiple APIC Description Table (MADT). A GreedyRange stops at the first
# subtable that does not fit (zero length, truncated), so whatever follows stays in `extra`.
madt = table(
    "local_apic_address" / Int32ul,
    "flags" / Int32ul,  # MadtFlags
    "subtables" / GreedyRange(type_length_subtable(MADT_SUBTABLES)),
)

# The spec's name of each subtable type, for display.
MADT_TYPES = {
    MadtType.LOCAL_APIC: "Processor Local APIC",
    MadtType.IO_APIC: "I/O APIC",
    MadtType.INTERRUPT_OVERRIDE: "Interrupt Source Override",
    MadtType.NMI_SOURCE: "Non-Maskable Interrupt (NMI) Source",
    MadtType.LOCAL_APIC_NMI: "Local APIC NMI",
    MadtType.LOCAL_APIC_ADDRESS_OVERRIDE: "Local APIC Address Override",
    MadtType.IO_SAPIC: "I/O SAPIC",
    MadtType.LOCAL_SAPIC: "Local SAPIC",
    MadtType.PLATFORM_INTERRUPT_SOURCE: "Platform Interrupt Sources",
    MadtType.LOCAL_X2APIC: "Processor Local x2APIC",
    MadtType.LOCAL_X2APIC_NMI: "Local x2APIC NMI",
    MadtType.GICC: "GIC CPU Interface (GICC)",
    MadtType.GICD: "GIC Distributor (GICD)",
    MadtType.GIC_MSI_FRAME: "GIC MSI Frame",
    MadtType.GICR: "GIC Redistributor (GICR)",
    MadtType.GIC_ITS: "GIC Interrupt Translation Service (ITS)",
    MadtType.MULTIPROCESSOR_WAKEUP: "Multiprocessor Wakeup",
    MadtType.CORE_PIC: "Core Programmable Interrupt Controller (CORE PIC)",
    MadtType.LIO_PIC: "Legacy I/O Programmable Interrupt Controller (LIO PIC)",
    MadtType.HT_PIC: "HyperTransport Programmable Interrupt Controller (HT PIC)",
    MadtType.EIO_PIC: "Extend I/O Programmable Interrupt Controller (EIO PIC)",
    MadtType.MSI_PIC: "MSI Programmable Interrupt Controller (MSI PIC)",
    MadtType.BIO_PIC: "Bridge I/O Programmable Interrupt Controller (BIO PIC)",
    MadtType.LPC_PIC: "Low Pin Count Programmable Interrupt Controller (LPC PIC)",
}
# The spec length of each subtable type, header included; longer ones keep the rest in `extra`. A tuple holds
# every length some ACPI version gave the structure. The Local SAPIC (7) has no fixed length: its UID string
# ends it.
MADT_SUBTABLE_SIZES: dict[MadtType, int | tuple[int, ...]] = {
    MadtType.LOCAL_APIC: 8, MadtType.IO_APIC: 12, MadtType.INTERRUPT_OVERRIDE: 10, MadtType.NMI_SOURCE: 8,
    MadtType.LOCAL_APIC_NMI: 6, MadtType.LOCAL_APIC_ADDRESS_OVERRIDE: 12, MadtType.IO_SAPIC: 16,
    MadtType.PLATFORM_INTERRUPT_SOURCE: 16, MadtType.LOCAL_X2APIC: 16, MadtType.LOCAL_X2APIC_NMI: 12,
    MadtType.GICC: (76, 80, 82),  # ACPI 5.1, 6.0 (6.3 the same size), 6.5
    MadtType.GICD: 24, MadtType.GIC_MSI_FRAME: 24, MadtType.GICR: 16, MadtType.GIC_ITS: 20,
    MadtType.MULTIPROCESSOR_WAKEUP: (16, 24),  # ACPI 6.5 (mailbox version 0), ACPI 6.6 (reset vector)
    MadtType.CORE_PIC: 15, MadtType.LIO_PIC: 23, MadtType.HT_PIC: 21, MadtType.EIO_PIC: 13, MadtType.MSI_PIC: 19,
    MadtType.BIO_PIC: 17, MadtType.LPC_PIC: 14,
}

# ACPI 6.5 §5.2.12 Multiple APIC Flags.
class MadtFlags(IntFlag):
    PCAT_COMPAT = 1 << 0  # the system also has dual 8259s, to be masked before APIC mode


# ACPI 6.5 §5.2.12.2 Local APIC Flags (also the x2APIC flags, §5.2.12.12, and the Local SAPIC's,
# §5.2.12.10, which defines only ENABLED). ONLINE_CAPABLE (ACPI 6.3) means a disabled processor can be enabled
# at run time; it must be zero when ENABLED is set.
class LocalApicFlags(IntFlag):
    ENABLED = 1 << 0
    ONLINE_CAPABLE = 1 << 1


# {bit: name} of the two flag words above, as the schema tests index them.
MADT_FLAGS = flag_bits(MadtFlags)
MADT_LAPIC_FLAGS = flag_bits(LocalApicFlags)

# The Local APIC and x2APIC IDs that mean "no processor": acpi_parse_lapic and acpi_parse_x2apic
# (arch/x86/kernel/acpi/boot.c) ignore them ("Ignore invalid ID"), and firmware pads the MADT with them.
INVALID_APIC_IDS = {MadtType.LOCAL_APIC: 0xFF, MadtType.LOCAL_X2APIC: 0xFFFFFFFF}


# ACPI 6.5 §5.2.12.5 MPS INTI Flags, the same encoding as MPS 1.4 Table 4-10: two 2-bit fields.
class MpsIntiPolarity(IntEnum):
    CONFORMS = 0
    ACTIVE_HIGH = 1
    RESERVED = 2
    ACTIVE_LOW = 3


class MpsIntiTriggerMode(IntEnum):
    CONFORMS = 0
    EDGE = 1
    RESERVED = 2
    LEVEL = 3


MPS_INTI_POLARITY_SHIFT, MPS_INTI_TRIGGER_MODE_SHIFT = 0, 2
MPS_INTI_POLARITY = {MpsIntiPolarity.CONFORMS: "Conforms to the bus", MpsIntiPolarity.ACTIVE_HIGH: "Active high",
                     MpsIntiPolarity.RESERVED: "Reserved", MpsIntiPolarity.ACTIVE_LOW: "Active low"}
MPS_INTI_TRIGGER_MODE = {MpsIntiTriggerMode.CONFORMS: "Conforms to the bus", MpsIntiTriggerMode.EDGE: "Edge-triggered",
                         MpsIntiTriggerMode.RESERVED: "Reserved", MpsIntiTriggerMode.LEVEL: "Level-triggered"}
# Multi-bit fields of the flags word: name -> (first bit, bit count, value -> meaning).
MPS_INTI_FLAG_FIELDS = {
    "polarity": (MPS_INTI_POLARITY_SHIFT, 2, MPS_INTI_POLARITY),
    "trigger_mode": (MPS_INTI_TRIGGER_MODE_SHIFT, 2, MPS_INTI_TRIGGER_MODE),
}


def mps_inti_flags(polarity: MpsIntiPolarity, trigger_mode: MpsIntiTriggerMode) -> int:
    """The MPS INTI flags word of one polarity and trigger mode."""
    return polarity << MPS_INTI_POLARITY_SHIFT | trigger_mode << MPS_INTI_TRIGGER_MODE_SHIFT


# ACPI 6.5 §5.2.12.11 Platform Interrupt Source Structure, Interrupt Type; 4-0xFF are reserved.
class PlatformInterruptType(IntEnum):
    PMI = 1
    INIT = 2
    CORRECTED_PLATFORM_ERROR = 3


PLATFORM_INTERRUPT_TYPES = {PlatformInterruptType.PMI: "PMI", PlatformInterruptType.INIT: "INIT",
                            PlatformInterruptType.CORRECTED_PLATFORM_ERROR: "Corrected Platform Error Interrupt"}


# ACPI 6.5 §5.2.12.11 Platform Interrupt Source Flags.
class PlatformInterruptSourceFlags(IntFlag):
    CPEI_PROCESSOR_OVERRIDE = 1 << 0


# ACPI 6.5 §5.2.12.14 GICC CPU Interface Flags.
class GiccFlags(IntFlag):
    ENABLED = 1 << 0
    PERFORMANCE_INTERRUPT_MODE_EDGE = 1 << 1
    VGIC_MAINTENANCE_INTERRUPT_MODE_EDGE = 1 << 2
    ONLINE_CAPABLE = 1 << 3


# ACPI 6.5 §5.2.12.15 GIC version; 5-0xFF are reserved.
class GicVersion(IntEnum):
    UNSPECIFIED = 0
    GICV1 = 1
    GICV2 = 2
    GICV3 = 3
    GICV4 = 4


GIC_VERSIONS = {GicVersion.UNSPECIFIED: "No GIC version is specified", GicVersion.GICV1: "GICv1",
                GicVersion.GICV2: "GICv2", GicVersion.GICV3: "GICv3", GicVersion.GICV4: "GICv4"}


# ACPI 6.5 §5.2.12.16 GIC MSI Frame Flags: when set, SPI Count and Base override the frame's
# MSI_TYPER register.
class GicMsiFrameFlags(IntFlag):
    SPI_COUNT_BASE_SELECT = 1 << 0


# ACPI 6.5 §5.2.12.20 CORE PIC flags.
class CorePicFlags(IntFlag):
    ENABLED = 1 << 0
