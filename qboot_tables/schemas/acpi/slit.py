"""SLIT: the System Locality Information Table, a square matrix of relative distances between localities."""
from construct import Array, Int8ul, Int64ul, Optional, this

from qboot_tables.schemas.common import table

# ACPI 6.5 §5.2.17 System Locality Distance Information Table (SLIT). matrix[i][j] is the distance from
# locality i to j; 10 means local, 255 unreachable, and 0-9 are reserved. A count that does not fit the
# table's bytes leaves `matrix` None and the bytes in `extra`, so any table parses and round-trips.
# Building a matrix whose shape differs from locality_count silently writes no matrix (construct's Optional):
# builders must derive locality_count from the matrix.
slit = table(
    "locality_count" / Int64ul,
    "matrix" / Optional(Array(this.locality_count, Array(this.locality_count, Int8ul))),
)

SLIT_LOCAL_DISTANCE = 10
SLIT_UNREACHABLE_DISTANCE = 255
