"""The SoC descriptors of a ResourceTemplate (ACPI 6.5 §6.4.3.8-§6.4.3.14: GPIO and serial-bus connections, pin
control, clock inputs): their fields, and iasl's ASL for them.

qboot_tables.aml.resources imports this module only when a template holds one (schemas.acpi.resources.SOC_ITEMS),
so that reading a PC's tables does not pay for what only SoC firmware writes.
"""
from __future__ import annotations

from qboot_tables.aml.resources import (_VARIABLE, CSI2_SINCE, _byte, _enum, _kw, _parse, _Printer, _quote, _split,
                                        _string, _window)
from qboot_tables.schemas.acpi import resources as rs
from qboot_tables.schemas.acpi import resources_soc as soc
from qboot_tables.schemas.acpi.resources import LargeItem

# How _check in aml.resources measures each descriptor's body: at least its fixed part.
LARGE_RULES: dict[int, tuple[int, int]] = {
    item: (_VARIABLE, schema.sizeof() - rs.LARGE_HEADER_SIZE) for item, schema in soc.DESCRIPTORS.items()}
_CLOCK_INPUT_SIZE = soc.clock_input.sizeof()
_TYPE_DATA_SIZE = {bus: schema.sizeof() for bus, schema in soc.SERIAL_BUS_TYPE_DATA.items()}
_SERIAL_MACROS = {soc.SerialBusType.I2C: "I2cSerialBusV2", soc.SerialBusType.SPI: "SpiSerialBusV2",
                  soc.SerialBusType.UART: "UartSerialBusV2", soc.SerialBusType.CSI2: "Csi2Bus"}
_SERIAL_TYPE_FLAGS = {soc.SerialBusType.I2C: soc.I2C_TYPE_FLAGS, soc.SerialBusType.SPI: soc.SPI_TYPE_FLAGS,
                      soc.SerialBusType.UART: soc.UART_TYPE_FLAGS, soc.SerialBusType.CSI2: soc.CSI2_TYPE_FLAGS}


def known_serial_bus(bus_type: int, version: int) -> bool:
    """Whether iasl of that version knows a serial bus type (CSI-2 came later)."""
    return soc.SerialBusType.I2C <= bus_type <= (soc.SerialBusType.CSI2 if version >= CSI2_SINCE
                                                 else soc.SerialBusType.UART)


def _words(buf: bytes, start: int, count: int) -> list[int]:
    raw = _window(buf, start, 2 * count)
    return [int.from_bytes(raw[i:i + 2], "little") for i in range(0, len(raw), 2)]


def _unwrapped(count: int) -> int:
    """A count iasl computes unsigned: when it comes out negative, iasl reads billions of pins or vendor bytes
    (and crashes); we read none."""
    return max(count, 0)


def _pin_count(table_offset: int, end_offset: int) -> int:
    # iasl counts the pins from the table to the string that follows it
    return _unwrapped(end_offset - table_offset) // 2


def _vendor(buf: bytes, pos: int, offset: int, length: int) -> bytes:
    return _window(buf, pos + offset, length) if length else b""


def _decode_gpio(buf: bytes, pos: int) -> tuple[str, dict]:
    c = _parse(soc.gpio, buf, pos)
    if c.connection_type == soc.GpioConnectionType.INTERRUPT:
        macro, fields = "GpioInt", _split(c.interrupt_io_flags, soc.GPIO_INT_FLAGS)
        fields["pin_config"] = _enum(soc.PinConfiguration, c.pin_config)
        fields["debounce_timeout"] = c.debounce_timeout
    else:  # GpioIo, or a reserved connection type that iasl only names as unknown
        io_flags = _split(c.interrupt_io_flags, soc.GPIO_IO_FLAGS)
        known = c.connection_type == soc.GpioConnectionType.IO
        macro, fields = ("GpioIo", {}) if known else ("Gpio", {"connection_type": c.connection_type})
        fields.update({"shared": io_flags["shared"], "pin_config": _enum(soc.PinConfiguration, c.pin_config),
                       "debounce_timeout": c.debounce_timeout, "drive_strength": c.drive_strength,
                       "io_restriction": io_flags["io_restriction"]})
    fields.update({
        "resource_source": _string(buf, pos + c.resource_source_offset) if c.resource_source_offset else None,
        "resource_source_index": c.resource_source_index,
        "resource_usage": _enum(rs.ResourceUsage, c.general_flags & 1),
        # iasl writes the vendor data argument whenever the offset is set, even for none: None marks its absence
        "vendor_data": _vendor(buf, pos, c.vendor_data_offset, c.vendor_data_length)
        if c.vendor_data_offset else None,
        "pins": _words(buf, pos + c.pin_table_offset, _pin_count(c.pin_table_offset, c.resource_source_offset)),
    })
    return macro, fields


def _decode_serial_bus(buf: bytes, pos: int) -> tuple[str, dict]:
    c = _parse(soc.serial_bus, buf, pos)
    bus = soc.SerialBusType(c.serial_bus_type)  # validated by _check
    general = _split(c.general_flags, soc.SERIAL_BUS_FLAGS)
    specific = _split(c.type_specific_flags, _SERIAL_TYPE_FLAGS[bus])
    type_data = soc.SERIAL_BUS_TYPE_DATA[bus]
    start = pos + soc.SERIAL_BUS_COMMON_SIZE
    t = _parse(type_data, buf, start)
    if bus == soc.SerialBusType.I2C:
        fields = {"slave_address": t.slave_address, "slave_mode": general["slave_mode"],
                  "connection_speed": t.connection_speed, "addressing_mode": specific["addressing_mode"]}
    elif bus == soc.SerialBusType.SPI:
        fields = {"device_selection": t.device_selection,
                  "device_selection_polarity": specific["device_selection_polarity"],
                  "wire_mode": specific["wire_mode"], "data_bit_length": t.data_bit_length,
                  "slave_mode": general["slave_mode"], "connection_speed": t.connection_speed,
                  "clock_polarity": _enum(soc.ClockPolarity, t.clock_polarity),
                  "clock_phase": _enum(soc.ClockPhase, t.clock_phase)}
    elif bus == soc.SerialBusType.UART:
        fields = {"initial_baud_rate": t.initial_baud_rate, "bits_per_byte": specific["bits_per_byte"],
                  "stop_bits": specific["stop_bits"], "lines_in_use": t.lines_in_use,
                  "is_big_endian": specific["is_big_endian"], "parity": _enum(soc.Parity, t.parity),
                  "flow_control": specific["flow_control"], "receive_buffer_size": t.receive_buffer_size,
                  "transmit_buffer_size": t.transmit_buffer_size}
    else:
        fields = {"slave_mode": general["slave_mode"], **specific}
    # The type data length counts the bus's own fields and the vendor data after them.
    vendor_length = _unwrapped(c.type_data_length - _TYPE_DATA_SIZE[bus])
    fields.update({
        "resource_source": _string(buf, start + c.type_data_length),
        "resource_source_index": c.resource_source_index,
        "resource_usage": general["resource_usage"],
    })
    if bus != soc.SerialBusType.CSI2:
        fields["shared"] = general["shared"]
    fields["vendor_data"] = _window(buf, start + _TYPE_DATA_SIZE[bus], vendor_length)
    return _SERIAL_MACROS[bus], fields


def _decode_pin_function(buf: bytes, pos: int) -> tuple[str, dict]:
    c = _parse(soc.pin_function, buf, pos)
    return "PinFunction", {
        "shared": _enum(rs.Sharing, c.flags & 1),
        "pin_pull_configuration": _enum(soc.PinConfiguration, c.pin_pull_configuration),
        "function_number": c.function_number,
        "resource_source": _string(buf, pos + c.resource_source_offset) if c.resource_source_offset else None,
        "resource_source_index": c.resource_source_index,
        "resource_usage": rs.ResourceUsage.ResourceConsumer,  # a pin function has no producer bit
        "vendor_data": _vendor(buf, pos, c.vendor_data_offset, c.vendor_data_length),
        "pins": _words(buf, pos + c.pin_table_offset, _pin_count(c.pin_table_offset, c.resource_source_offset)),
    }


def _decode_pin_config(buf: bytes, pos: int) -> tuple[str, dict]:
    c = _parse(soc.pin_config, buf, pos)
    return "PinConfig", {
        "shared": _enum(rs.Sharing, c.flags & 1),
        "pin_config_type": c.pin_config_type,
        "pin_config_value": c.pin_config_value,
        "resource_source": _string(buf, pos + c.resource_source_offset) if c.resource_source_offset else None,
        "resource_source_index": c.resource_source_index,
        "resource_usage": _enum(rs.ResourceUsage, c.flags >> 1 & 1),
        "vendor_data": _vendor(buf, pos, c.vendor_data_offset, c.vendor_data_length),
        "pins": _words(buf, pos + c.pin_table_offset, _pin_count(c.pin_table_offset, c.resource_source_offset)),
    }


def _decode_pin_group(buf: bytes, pos: int) -> tuple[str, dict]:
    c = _parse(soc.pin_group, buf, pos)
    return "PinGroup", {
        "resource_label": _string(buf, pos + c.resource_label_offset),
        "resource_usage": _enum(rs.ResourceUsage, c.flags & 1),
        "vendor_data": _vendor(buf, pos, c.vendor_data_offset, c.vendor_data_length),
        "pins": _words(buf, pos + c.pin_table_offset, _pin_count(c.pin_table_offset, c.resource_label_offset)),
    }


def _decode_pin_group_function(buf: bytes, pos: int) -> tuple[str, dict]:
    c = _parse(soc.pin_group_function, buf, pos)
    return "PinGroupFunction", {
        "shared": _enum(rs.Sharing, c.flags & 1),
        "function_number": c.function_number,
        "resource_source": _string(buf, pos + c.resource_source_offset),
        "resource_source_index": c.resource_source_index,
        "resource_source_label": _string(buf, pos + c.resource_source_label_offset),
        "resource_usage": _enum(rs.ResourceUsage, c.flags >> 1 & 1),
        "vendor_data": _vendor(buf, pos, c.vendor_data_offset, c.vendor_data_length),
    }


def _decode_pin_group_config(buf: bytes, pos: int) -> tuple[str, dict]:
    c = _parse(soc.pin_group_config, buf, pos)
    return "PinGroupConfig", {
        "shared": _enum(rs.Sharing, c.flags & 1),
        "pin_config_type": c.pin_config_type,
        "pin_config_value": c.pin_config_value,
        "resource_source": _string(buf, pos + c.resource_source_offset),
        "resource_source_index": c.resource_source_index,
        "resource_source_label": _string(buf, pos + c.resource_source_label_offset),
        "resource_usage": _enum(rs.ResourceUsage, c.flags >> 1 & 1),
        "vendor_data": _vendor(buf, pos, c.vendor_data_offset, c.vendor_data_length),
    }


def _decode_clock_input(buf: bytes, pos: int, length: int) -> tuple[str, dict]:
    c = _parse(soc.clock_input, buf, pos)
    fixed = _CLOCK_INPUT_SIZE
    flags = _split(c.flags, soc.CLOCK_INPUT_FLAGS)
    # iasl prints the resource source only when the body is longer than the whole fixed part, header included.
    named = length - rs.LARGE_HEADER_SIZE > fixed
    return "ClockInput", {
        "frequency_numerator": c.frequency_numerator,
        "frequency_divisor": c.frequency_divisor,
        "frequency_scale": flags["frequency_scale"],
        "mode": flags["mode"],
        "resource_source": _string(buf, pos + fixed + 1) if named else None,
        "resource_source_index": _byte(buf, pos + fixed) if named else None,
    }


def _raw_data_buffer(out: _Printer, level: int, data: bytes):
    """The VendorData argument of the connection and pin descriptors: a RawDataBuffer, eight bytes a line."""
    if not data:
        return
    out.write(f"RawDataBuffer (0x{len(data):02X})  // Vendor Data\n")
    out.indent(level + 1)
    out.write("{\n")
    out.indent(level + 2)
    for index, byte in enumerate(data):
        out.write(f"0x{byte:02X}")
        if index + 1 == len(data):
            break
        out.write(", ")
        if index % 8 == 7:
            out.write("\n")
            out.indent(level + 2)
    out.write("\n")
    out.indent(level + 1)
    out.write("}")


def _pin_list(out: _Printer, level: int, pins: list[int]):
    out.indent(level + 1)
    out.write("{   // Pin list\n")
    for index, pin in enumerate(pins):
        out.indent(level + 2)
        out.write(f"0x{pin:04X}", "," if index + 1 < len(pins) else "", "\n")
    out.indent(level + 1)
    out.write("}\n")


def _pull(value) -> str:
    return _kw(value, f"0x{int(value):02X}")  # 0x80-0xFF: vendor defined


def _asl_gpio(out, r, level):
    f = r.fields
    if r.macro == "Gpio":
        out.write("Unknown GPIO type\n")  # iasl writes this line without indentation, and nothing else
        return
    out.indent(level)
    if r.macro == "GpioInt":
        out.write(f"GpioInt ({f['edge_level'].name}, {_kw(f['active_level'], 'Reserved')}, {f['shared'].name}, "
                  f"{_pull(f['pin_config'])}, 0x{f['debounce_timeout']:04X},\n")
    else:
        out.write(f"GpioIo ({f['shared'].name}, {_pull(f['pin_config'])}, 0x{f['debounce_timeout']:04X}, "
                  f"0x{f['drive_strength']:04X}, {f['io_restriction'].name},\n")
    out.indent(level + 1)
    source = f["resource_source"]
    out.write(_quote(source) if source is not None else "",
              f", 0x{f['resource_source_index']:02X}, {f['resource_usage'].name}, ,")
    if f["vendor_data"] is not None:
        out.write("\n")
        out.indent(level + 1)
        _raw_data_buffer(out, level, f["vendor_data"])
    out.write(")\n")
    _pin_list(out, level, f["pins"])


def _serial_tail(out, r, level):
    """The lines every serial bus macro ends with: source index, usage, sharing, vendor data."""
    f = r.fields
    out.indent(level + 1)
    out.write(f"0x{f['resource_source_index']:02X}, {f['resource_usage'].name}, ")
    out.write(f", {f['shared'].name},\n" if "shared" in f else ",\n")
    out.indent(level + 1)
    _raw_data_buffer(out, level, f["vendor_data"])
    out.write(")\n")


def _asl_i2c(out, r, level):
    f = r.fields
    out.indent(level)
    out.write(f"I2cSerialBusV2 (0x{f['slave_address']:04X}, {f['slave_mode'].name}, "
              f"0x{f['connection_speed']:08X},\n")
    out.indent(level + 1)
    out.write(f"{f['addressing_mode'].name}, {_quote(f['resource_source'])},\n")
    _serial_tail(out, r, level)


def _asl_spi(out, r, level):
    f = r.fields
    out.indent(level)
    out.write(f"SpiSerialBusV2 (0x{f['device_selection']:04X}, {f['device_selection_polarity'].name}, "
              f"{f['wire_mode'].name}, 0x{f['data_bit_length']:02X},\n")
    out.indent(level + 1)
    # iasl reads only bit 0 of the clock polarity and phase bytes
    out.write(f"{f['slave_mode'].name}, 0x{f['connection_speed']:08X}, "
              f"{soc.ClockPolarity(int(f['clock_polarity']) & 1).name},\n")
    out.indent(level + 1)
    out.write(f"{soc.ClockPhase(int(f['clock_phase']) & 1).name}, {_quote(f['resource_source'])},\n")
    _serial_tail(out, r, level)


def _asl_uart(out, r, level):
    f = r.fields
    parity = _enum(soc.Parity, int(f["parity"]) & 0x07)  # iasl reads the low 3 bits of the parity byte
    out.indent(level)
    out.write(f"UartSerialBusV2 (0x{f['initial_baud_rate']:08X}, "
              f"{_kw(f['bits_per_byte'], '/* UNKNOWN Bits per byte */')}, {f['stop_bits'].name},\n")
    out.indent(level + 1)
    out.write(f"0x{f['lines_in_use']:02X}, {f['is_big_endian'].name}, "
              f"{_kw(parity, '/* UNKNOWN parity keyword */')}, "
              f"{_kw(f['flow_control'], '/* UNKNOWN flow control keyword */')},\n")
    out.indent(level + 1)
    out.write(f"0x{f['receive_buffer_size']:04X}, 0x{f['transmit_buffer_size']:04X}, "
              f"{_quote(f['resource_source'])},\n")
    _serial_tail(out, r, level)


def _asl_csi2(out, r, level):
    f = r.fields
    out.indent(level)
    out.write(f"Csi2Bus ({f['slave_mode'].name}, 0x{int(f['phy_type']):02X}, "
              f"0x{f['local_port_instance']:02X},\n")
    out.indent(level + 1)
    out.write(f"{_quote(f['resource_source'])},\n")
    _serial_tail(out, r, level)


def _pin_config_text(f: dict) -> str:
    kind = f["pin_config_type"]
    name = soc.PIN_CONFIG_TYPE_NAMES.get(kind)
    text = f"0x{kind:02X} /* {name} */, " if name else f"0x{kind:02X}, /* Vendor Defined */ "
    return text + f"0x{f['pin_config_value']:04X},\n"


def _vendor_argument(out, level, data: bytes):
    out.write(",")
    if data:
        out.write("\n")
        out.indent(level + 1)
        _raw_data_buffer(out, level, data)
    out.write(")\n")


def _optional_quote(name: str | None) -> str:
    return _quote(name) if name is not None else ""


def _asl_pin_function(out, r, level):
    f = r.fields
    out.indent(level)
    out.write(f"PinFunction ({f['shared'].name}, {_pull(f['pin_pull_configuration'])}, "
              f"0x{f['function_number']:04X}, {_optional_quote(f['resource_source'])}, "
              f"0x{f['resource_source_index']:02X},\n")
    out.indent(level + 1)
    out.write(f"{f['resource_usage'].name}, ")
    _vendor_argument(out, level, f["vendor_data"])
    _pin_list(out, level, f["pins"])


def _asl_pin_config(out, r, level):
    f = r.fields
    out.indent(level)
    out.write(f"PinConfig ({f['shared'].name}, {_pin_config_text(f)}")
    out.indent(level + 1)
    out.write(f"{_optional_quote(f['resource_source'])}, 0x{f['resource_source_index']:02X}, "
              f"{f['resource_usage'].name}, ")
    _vendor_argument(out, level, f["vendor_data"])
    _pin_list(out, level, f["pins"])


def _asl_pin_group(out, r, level):
    f = r.fields
    out.indent(level)
    out.write(f"PinGroup ({_quote(f['resource_label'])}, {f['resource_usage'].name}, ")
    _vendor_argument(out, level, f["vendor_data"])
    _pin_list(out, level, f["pins"])


def _asl_pin_group_function(out, r, level):
    f = r.fields
    out.indent(level)
    out.write(f"PinGroupFunction ({f['shared'].name}, 0x{f['function_number']:04X}, "
              f"{_quote(f['resource_source'])}, 0x{f['resource_source_index']:02X},\n")
    out.indent(level + 1)
    out.write(f"{_quote(f['resource_source_label'])}, {f['resource_usage'].name}, ")
    _vendor_argument(out, level, f["vendor_data"])


def _asl_pin_group_config(out, r, level):
    f = r.fields
    out.indent(level)
    out.write(f"PinGroupConfig ({f['shared'].name}, {_pin_config_text(f)}")
    out.indent(level + 1)
    out.write(f"{_quote(f['resource_source'])}, 0x{f['resource_source_index']:02X}, "
              f"{_quote(f['resource_source_label'])}, {f['resource_usage'].name}, ")
    _vendor_argument(out, level, f["vendor_data"])


def _asl_clock_input(out, r, level):
    f = r.fields
    out.indent(level)
    out.write(f"ClockInput (0x{f['frequency_numerator']:08X}, 0x{f['frequency_divisor']:04X}, "
              f"{_kw(f['frequency_scale'], str(int(f['frequency_scale'])))}, {f['mode'].name}, ")
    if f["resource_source"] is not None:
        out.write(f"{_quote(f['resource_source'])}, 0x{f['resource_source_index']:02X}")
    out.write(")\n")


def decode_large(buf: bytes, pos: int, item: int, length: int) -> tuple[str, dict]:
    """The macro and fields of the SoC descriptor at `pos`, which aml.resources has validated."""
    if item == LargeItem.GPIO:
        return _decode_gpio(buf, pos)
    if item == LargeItem.SERIAL_BUS:
        return _decode_serial_bus(buf, pos)
    if item == LargeItem.PIN_FUNCTION:
        return _decode_pin_function(buf, pos)
    if item == LargeItem.PIN_CONFIG:
        return _decode_pin_config(buf, pos)
    if item == LargeItem.PIN_GROUP:
        return _decode_pin_group(buf, pos)
    if item == LargeItem.PIN_GROUP_FUNCTION:
        return _decode_pin_group_function(buf, pos)
    if item == LargeItem.PIN_GROUP_CONFIG:
        return _decode_pin_group_config(buf, pos)
    return _decode_clock_input(buf, pos, length)


# The printer of each macro decode_large names.
ASL = {
    "GpioInt": _asl_gpio, "GpioIo": _asl_gpio, "Gpio": _asl_gpio, "I2cSerialBusV2": _asl_i2c,
    "SpiSerialBusV2": _asl_spi, "UartSerialBusV2": _asl_uart, "Csi2Bus": _asl_csi2,
    "PinFunction": _asl_pin_function, "PinConfig": _asl_pin_config, "PinGroup": _asl_pin_group,
    "PinGroupFunction": _asl_pin_group_function, "PinGroupConfig": _asl_pin_group_config,
    "ClockInput": _asl_clock_input,
}
