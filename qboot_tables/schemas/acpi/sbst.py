"""SBST: the Smart Battery Specification Table, the energy levels at which the OS warns and acts."""
from construct import Int32ul

from qboot_tables.schemas.common import table

SBST_SIZE = 48

# ACPI 6.5 §5.2.14 Smart Battery Table (SBST), 48 bytes; the levels are in mWh.
sbst = table(
    "warning_energy_level" / Int32ul,
    "low_energy_level" / Int32ul,
    "critical_energy_level" / Int32ul,
)
