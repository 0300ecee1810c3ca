"""MPST: the Memory Power State Table, memory ranges (power nodes) and the power states OSPM may put them in."""
from enum import IntFlag

from construct import Array, Int8ul, Int16ul, Int24ul, Int32ul, Int64ul, Optional, Struct, this

from qboot_tables.schemas.common import table

# ACPI 6.5 §5.2.21, Memory Power State Structure (2 bytes): a power state and the index of its characteristics.
mpst_power_state = Struct(
    "power_state_value" / Int8ul,
    "power_state_information_index" / Int8ul,
)

# ACPI 6.5 §5.2.21, Memory Power Node Structure (32 bytes, then its power states and physical component IDs)
mpst_power_node = Struct(
    "flags" / Int8ul,  # MpstNodeFlags
    "reserved" / Int8ul,
    "memory_power_node_id" / Int16ul,
    "length" / Int32ul,  # of this node with its two arrays
    "base_address" / Int64ul,
    "range_length" / Int64ul,
    "number_of_power_states" / Int32ul,
    "number_of_physical_components" / Int32ul,
    "power_states" / Array(this.number_of_power_states, mpst_power_state),
    "physical_component_ids" / Array(this.number_of_physical_components, Int16ul),
)

# ACPI 6.5 §5.2.21, Power State Characteristics Structure (28 bytes)
mpst_power_state_characteristics = Struct(
    "power_state_structure_id" / Int8ul,  # bits 5:0 the ID, bits 7:6 the structure's revision
    "flags" / Int8ul,  # MpstCharacteristicsFlags
    "reserved" / Int16ul,
    "average_power_consumed" / Int32ul,  # milliwatts
    "relative_power_saving" / Int32ul,
    "exit_latency" / Int64ul,  # nanoseconds
    "reserved2" / Int64ul,
)

# ACPI 6.5 §5.2.21 Memory Power State Table (MPST). Both lists are counted; a count that runs past the table
# leaves that list out (Optional), with its bytes in `extra`.
mpst = table(
    "pcc_id" / Int8ul,
    "reserved" / Int24ul,
    "memory_power_node_count" / Int16ul,
    "reserved2" / Int16ul,
    "memory_power_nodes" / Optional(Array(this.memory_power_node_count, mpst_power_node)),
    "characteristics" / Optional(Struct(
        "power_state_characteristics_count" / Int16ul,
        "reserved" / Int16ul,
        "power_state_characteristics" / Array(this.power_state_characteristics_count,
                                              mpst_power_state_characteristics),
    )),
)
MPST_MIN_LENGTH = 44


# ACPI 6.5 §5.2.21 Memory Power Node flags.
class MpstNodeFlags(IntFlag):
    ENABLED = 1 << 0
    POWER_MANAGED = 1 << 1
    HOT_PLUGGABLE = 1 << 2


# ACPI 6.5 §5.2.21 Power State Characteristics flags.
class MpstCharacteristicsFlags(IntFlag):
    MEMORY_CONTENT_PRESERVED = 1 << 0
    AUTONOMOUS_ENTRY = 1 << 1
    AUTONOMOUS_EXIT = 1 << 2
