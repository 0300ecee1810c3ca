"""ASF!: the DMTF Alert Standard Format table, which describes a system's ASF management controller."""
from construct import Array, Bytes, FixedSized, GreedyRange, Int8ul, Int16ul, Int24ul, Int32ul, this

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
    "flags" / Int8ul,  # ASF_INFO_FLAGS
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
    "function" / Int8ul,  # ASF_CONTROL_FUNCTIONS
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

ASF_INFO, ASF_ALRT, ASF_RCTL, ASF_RMCP, ASF_ADDR = range(5)
_RECORDS = {ASF_INFO: asf_info, ASF_ALRT: asf_alert, ASF_RCTL: asf_remote_control, ASF_RMCP: asf_rmcp,
            ASF_ADDR: asf_address}
# Record type -> body, with and without the last-record bit.
ASF_RECORDS = {**_RECORDS, **{kind | LAST_RECORD: body for kind, body in _RECORDS.items()}}

asf = table(
    "subtables" / GreedyRange(type_length_subtable(ASF_RECORDS, length_field=Int16ul, between=("reserved" / Int8ul,))),
)

ASF_TYPES = {ASF_INFO: "ASF_INFO", ASF_ALRT: "ASF_ALRT", ASF_RCTL: "ASF_RCTL", ASF_RMCP: "ASF_RMCP",
             ASF_ADDR: "ASF_ADDR"}
_SIZES = {ASF_INFO: 16, ASF_RMCP: 23}
ASF_RECORD_SIZES = {**_SIZES, **{kind | LAST_RECORD: size for kind, size in _SIZES.items()}}
# DSP0136 §4.1.2.1, ASF_INFO Feature Flags, bit -> name.
# Bit 0: the platform supports the ASF SMBus protocols to add-in alert-sending devices.
ASF_INFO_FLAGS = {0: "ADD_IN_SMBUS_SUPPORTED"}
# DSP0136 §4.1.2.3, the functions of the four ASF_RCTL records, in order.
ASF_CONTROL_FUNCTIONS = {0: "Reset", 1: "Power-up", 2: "Power-down", 3: "Power cycle reset"}
