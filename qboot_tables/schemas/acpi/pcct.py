"""PCCT: the Platform Communications Channel Table, the shared-memory mailboxes (subspaces) between OSPM and
the platform."""
from enum import IntEnum, IntFlag

from construct import BytesInteger, Construct, GreedyRange, Int8ul, Int16ul, Int32ul, Int64ul

from qboot_tables.schemas.common import generic_address, table, type_length_subtable, with_extra

# ACPI 6.5 §14.1.3 Generic Communications Subspace Structure (type 0, 62 bytes)
generic_subspace = with_extra(
    "reserved" / BytesInteger(6, swapped=True),
    "base_address" / Int64ul,
    "address_length" / Int64ul,  # of the shared memory region
    "doorbell_register" / generic_address,
    "doorbell_preserve_mask" / Int64ul,
    "doorbell_write_mask" / Int64ul,
    "nominal_latency" / Int32ul,  # microseconds
    "maximum_periodic_access_rate" / Int32ul,  # commands per minute, 0: no limit
    "minimum_request_turnaround_time" / Int16ul,  # microseconds
)

# The fields types 1 and 2 share: ACPI 6.5 §14.1.4 HW-Reduced Communications Subspace Structure (type 1,
# 62 bytes), and §14.1.5 HW-Reduced Communications Subspace Structure type 2 (90 bytes), which adds the
# platform interrupt acknowledge register after them.
_hw_reduced_fields = (
    "platform_interrupt" / Int32ul,  # GSIV of the platform's completion interrupt
    "platform_interrupt_flags" / Int8ul,  # PCCT_INTERRUPT_FLAGS
    "reserved" / Int8ul,
    "base_address" / Int64ul,
    "address_length" / Int64ul,
    "doorbell_register" / generic_address,
    "doorbell_preserve_mask" / Int64ul,
    "doorbell_write_mask" / Int64ul,
    "nominal_latency" / Int32ul,
    "maximum_periodic_access_rate" / Int32ul,
    "minimum_request_turnaround_time" / Int16ul,
)
hw_reduced_subspace = with_extra(*_hw_reduced_fields)
hw_reduced_subspace_type2 = with_extra(
    *_hw_reduced_fields,
    "platform_interrupt_ack_register" / generic_address,
    "platform_interrupt_ack_preserve" / Int64ul,
    "platform_interrupt_ack_write" / Int64ul,
)

# ACPI 6.5 §14.1.6 Extended PCC Subspace Shared Memory Region (types 3 initiator and 4 responder, 164 bytes).
# Here the shared memory length is 4 bytes and the turnaround time 4 bytes, unlike types 0-2.
extended_subspace = with_extra(
    "platform_interrupt" / Int32ul,
    "platform_interrupt_flags" / Int8ul,  # PCCT_INTERRUPT_FLAGS
    "reserved" / Int8ul,
    "base_address" / Int64ul,
    "address_length" / Int32ul,
    "doorbell_register" / generic_address,
    "doorbell_preserve_mask" / Int64ul,
    "doorbell_write_mask" / Int64ul,
    "nominal_latency" / Int32ul,
    "maximum_periodic_access_rate" / Int32ul,
    "minimum_request_turnaround_time" / Int32ul,
    "platform_interrupt_ack_register" / generic_address,
    "platform_interrupt_ack_preserve" / Int64ul,
    "platform_interrupt_ack_set" / Int64ul,
    "reserved2" / Int64ul,
    "command_complete_check_register" / generic_address,
    "command_complete_check_mask" / Int64ul,
    "command_complete_update_register" / generic_address,
    "command_complete_update_preserve_mask" / Int64ul,
    "command_complete_update_set_mask" / Int64ul,
    "error_status_register" / generic_address,
    "error_status_mask" / Int64ul,
)

# ACPI 6.5 §14.1.7 HW Registers based Communications Subspace Structure (type 5, 96 bytes)
hw_registers_subspace = with_extra(
    "version" / Int16ul,
    "base_address" / Int64ul,
    "address_length" / Int64ul,
    "doorbell_register" / generic_address,
    "doorbell_preserve_mask" / Int64ul,
    "doorbell_write_mask" / Int64ul,
    "command_complete_check_register" / generic_address,
    "command_complete_check_mask" / Int64ul,
    "error_status_register" / generic_address,
    "error_status_mask" / Int64ul,
    "nominal_latency" / Int32ul,
    "minimum_request_turnaround_time" / Int32ul,
)


# ACPI 6.5 §14.1.1 Table 14.2 PCC Subspace Structure types; 6 and above are reserved.
class PcctType(IntEnum):
    GENERIC = 0
    HW_REDUCED = 1
    HW_REDUCED_TYPE2 = 2
    EXTENDED_INITIATOR = 3
    EXTENDED_RESPONDER = 4
    HW_REGISTERS = 5


# Subspace type -> body schema; any other type keeps its body as raw bytes.
PCCT_SUBTABLES: dict[int, Construct] = {
    PcctType.GENERIC: generic_subspace,
    PcctType.HW_REDUCED: hw_reduced_subspace,
    PcctType.HW_REDUCED_TYPE2: hw_reduced_subspace_type2,
    PcctType.EXTENDED_INITIATOR: extended_subspace,
    PcctType.EXTENDED_RESPONDER: extended_subspace,
    PcctType.HW_REGISTERS: hw_registers_subspace,
}

# ACPI 6.5 §14.1.2 Platform Communications Channel Table (PCCT); the subspaces follow from offset 48.
pcct = table(
    "flags" / Int32ul,  # PcctFlags
    "reserved" / Int64ul,
    "subtables" / GreedyRange(type_length_subtable(PCCT_SUBTABLES)),
)
PCCT_MIN_LENGTH = 48

# The spec's name of each subspace type, for display.
PCCT_TYPES = {
    PcctType.GENERIC: "Generic Communications Subspace",
    PcctType.HW_REDUCED: "HW-Reduced Communications Subspace",
    PcctType.HW_REDUCED_TYPE2: "HW-Reduced Communications Subspace Type 2",
    PcctType.EXTENDED_INITIATOR: "Extended PCC Initiator Subspace",
    PcctType.EXTENDED_RESPONDER: "Extended PCC Responder Subspace",
    PcctType.HW_REGISTERS: "HW Registers based Communications Subspace",
}
PCCT_SUBTABLE_SIZES = {PcctType.GENERIC: 62, PcctType.HW_REDUCED: 62, PcctType.HW_REDUCED_TYPE2: 90,
                       PcctType.EXTENDED_INITIATOR: 164, PcctType.EXTENDED_RESPONDER: 164, PcctType.HW_REGISTERS: 96}


# ACPI 6.5 §14.1.2 Table 14.1 PCCT flags: the platform can raise an SCI on command completion.
class PcctFlags(IntFlag):
    PLATFORM_INTERRUPT = 1 << 0


# ACPI 6.5 §14.1.4 Table 14.5 Platform Interrupt Flags: bit 0 polarity, bit 1 mode.
PCCT_INTERRUPT_FLAG_FIELDS = {
    "polarity": (0, 1, {0: "active high", 1: "active low"}),
    "mode": (1, 1, {0: "level", 1: "edge"}),
}
