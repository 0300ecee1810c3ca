"""ASF!: the DMTF Alert Standard Format table, which describes a system's ASF management controller."""
from enum import IntEnum, IntFlag

from construct import Array, Bytes, Construct, FixedSized, GreedyRange, Int8ul, Int16ul, Int24ul, Int32ul, this

from qboot_tables.schemas.common import table, type_length_subtable, with_extra

# DMTF DSP0136 "Alert Standard Format (ASF) Specification" 2.0, §4.1.2 ASF! Description Table: after the header,
# records with a 1-byte type, a reserved byte and a 2-byte length that counts the record's 4-byte header. Bit 7
# of the type marks the last record; bits 6:0 are the record type.
LAST_RECORD = 0x80

# DSP0136 §4.1.2.1 ASF_INFO (type 0, 16 bytes).
asf_info = with_extra(
    "min_reset_value" / Int8ul,  # the watchdog's minimum reset timeout, seconds
    "min_poll_interval" / Int8ul,  # the shortest wait between two sensor polls, in 5 ms units
    "system_id" / Int16ul,
    "manufacturer_id" / Int32ul,  # IANA enterprise number, MSB first (iasl shows the 4 bytes as a u32, as here)
    "flags" / Int8ul,  # AsfInfoFlags
    "reserved" / Int24ul,
)

# DSP0136 §4.1.2.2 ASF_ALRT: one alert a legacy sensor device can raise (data_length bytes each, 12 in 2.0).
asf_alert_data = with_extra(
    "address" / Int8ul,  # the device's SMBus address
    "command" / Int8ul,
    "mask" / Int8ul,
    "value" / Int8ul,  # compare value, after the mask
    "sensor_type" / Int8ul,  # this and the fields that follow go into the Platform Event Trap
    "event_type" / Int8ul,
    "event_offset" / Int8ul,
    "source_type" / Int8ul,
    "severity" / Int8ul,
    "sensor_number" / Int8ul,
    "entity" / Int8ul,
    "instance" / Int8ul,
)
asf_alert = with_extra(
    "assert_mask" / Int8ul,
    "deassert_mask" / Int8ul,
    "alerts" / Int8ul,  # how many alert records follow
    "data_length" / Int8ul,  # each one's length
    "alert" / Array(this.alerts, FixedSized(this.data_length, asf_alert_data)),
)

# DSP0136 §4.1.2.3 ASF_RCTL: the SMBus commands for remote control (data_length bytes each, 4 in 2.0).
asf_control_data = with_extra(
    "function" / Int8ul,  # AsfControlFunction
    "address" / Int8ul,
    "command" / Int8ul,
    "value" / Int8ul,
)
asf_remote_control = with_extra(
    "controls" / Int8ul,
    "data_length" / Int8ul,
    "reserved" / Int16ul,
    "control" / Array(this.controls, FixedSized(this.data_length, asf_control_data)),
)

# DSP0136 §4.1.2.4 ASF_RMCP: the RMCP boot options the system supports (type 3, 23 bytes).
asf_rmcp = with_extra(
    "capabilities" / Bytes(7),  # supported special commands, boot options and OEM parameters, as bit masks
    "completion_code" / Int8ul,
    "enterprise_id" / Int32ul,  # IANA enterprise number
    "command" / Int8ul,
    "parameter" / Int16ul,
    "boot_options" / Int16ul,
    "oem_parameters" / Int16ul,
)

# DSP0136 §4.1.2.5 ASF_ADDR: the SMBus addresses of devices with fixed addresses.
asf_address = with_extra(
    "eeprom_address" / Int8ul,
    "devices" / Int8ul,
    "addresses" / Array(this.devices, Int8ul),
)


# DSP0136 §4.1.2 the record types (bits 6:0 of the type byte); 5 and above are reserved.
class AsfType(IntEnum):
    ASF_INFO = 0
    ASF_ALRT = 1
    ASF_RCTL = 2
    ASF_RMCP = 3
    ASF_ADDR = 4


# Record type, with and without the last-record bit -> the spec's name, for display.
ASF_TYPES: dict[int, str] = {kind: kind.name for kind in AsfType}
ASF_RECORD_NAMES: dict[int, str] = {**ASF_TYPES, **{kind | LAST_RECORD: name for kind, name in ASF_TYPES.items()}}

_RECORDS: dict[int, Construct] = {
    AsfType.ASF_INFO: asf_info, AsfType.ASF_ALRT: asf_alert, AsfType.ASF_RCTL: asf_remote_control,
    AsfType.ASF_RMCP: asf_rmcp, AsfType.ASF_ADDR: asf_address,
}
# Record type -> body, with and without the last-record bit.
ASF_RECORDS: dict[int, Construct] = {**_RECORDS, **{kind | LAST_RECORD: body for kind, body in _RECORDS.items()}}

asf = table(
    "subtables" / GreedyRange(type_length_subtable(ASF_RECORDS, length_field=Int16ul, between=("reserved" / Int8ul,))),
)

_SIZES: dict[int, int] = {AsfType.ASF_INFO: 16, AsfType.ASF_RMCP: 23}
ASF_RECORD_SIZES: dict[int, int] = {**_SIZES, **{kind | LAST_RECORD: size for kind, size in _SIZES.items()}}


# DSP0136 §4.1.2.1, ASF_INFO Feature Flags.
class AsfInfoFlags(IntFlag):
    ADD_IN_SMBUS_SUPPORTED = 1 << 0  # the platform supports the ASF SMBus protocols to add-in alert-sending devices


# DSP0136 §4.1.2.3, the functions of the four ASF_RCTL records, in order.
class AsfControlFunction(IntEnum):
    RESET = 0
    POWER_UP = 1
    POWER_DOWN = 2
    POWER_CYCLE_RESET = 3


# The spec's name of each function, for display.
ASF_CONTROL_FUNCTIONS = {AsfControlFunction.RESET: "Reset", AsfControlFunction.POWER_UP: "Power-up",
                         AsfControlFunction.POWER_DOWN: "Power-down",
                         AsfControlFunction.POWER_CYCLE_RESET: "Power cycle reset"}
