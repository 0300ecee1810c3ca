"""SDEI: the Software Delegated Exception Interface table, whose presence alone says that the firmware
implements SDEI."""
from qboot_tables.schemas.common import table

# Arm Software Delegated Exception Interface (DEN 0054), "SDEI ACPI table": the standard header and nothing
# else; any bytes after it stay in `extra`.
sdei = table()
SDEI_LENGTH = 36
