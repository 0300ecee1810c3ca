"""SBST: its descriptor."""
from qboot_tables.schemas.acpi.sbst import SBST_SIZE, sbst
from qboot_tables.tables.descriptor import TableDescriptor


def milliwatt_hours(value, _context) -> str:
    return f"{value} mWh"


DESCRIPTOR = TableDescriptor(
    signature="SBST",
    title="Smart Battery Specification Table (SBST)",
    schema=sbst,
    spec="ACPI 6.5 §5.2.14",
    min_length=SBST_SIZE,
    meanings={(None, "warning_energy_level"): milliwatt_hours, (None, "low_energy_level"): milliwatt_hours,
              (None, "critical_energy_level"): milliwatt_hours},
)
