"""SMBIOS types 26, 28 and 29: Voltage, Temperature and Electrical Current Probes, which share one layout."""
from qboot_tables.schemas import smbios as S, smbios_ext as X
from qboot_tables.smbios_types.descriptor import SmbiosDescriptor
from qboot_tables.smbios_types.formats import hex32, packed

UNKNOWN = 0x8000  # §7.27-§7.30: every measurement field


def _signed(value: int) -> int:
    return value - 0x10000 if value & 0x8000 else value


def reading(scale: float, unit: str, decimals: int, signed: bool = True):
    """A value in 1/scale of `unit` (signed for readings, unsigned for resolutions)."""
    def describe(value, _context) -> str:
        if value == UNKNOWN:
            return "Unknown"
        number = (_signed(value) if signed else value) / scale
        return f"{number:.{decimals}f} {unit}"
    return describe


def accuracy(value, _context) -> str:
    return "Unknown" if value == UNKNOWN else f"{value / 100:.2f}%"  # 1/100 %


def probe_descriptor(type_: int, schema, spec: str, locations: dict, value, resolution) -> SmbiosDescriptor:
    return SmbiosDescriptor(
        type=type_, title=S.TYPE_NAMES[type_], schema=schema, spec=spec, min_length=0x14,
        strings=frozenset({"description"}),
        meanings={
            "location_and_status": packed(("Location", 0, 5, locations), ("Status", 5, 3, X.PROBE_STATUS)),
            "maximum_value": value, "minimum_value": value, "tolerance": value, "nominal_value": value,
            "resolution": resolution, "accuracy": accuracy, "oem_defined": hex32,
        },
    )


# §7.27: mV, resolution in 1/10 mV.
DESCRIPTOR = probe_descriptor(26, X.voltage_probe, "DSP0134 3.6.0 §7.27", X.VOLTAGE_PROBE_LOCATIONS,
                              reading(1000, "V", 3), reading(10, "mV", 1, signed=False))
