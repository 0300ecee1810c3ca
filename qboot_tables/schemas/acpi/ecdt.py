"""ECDT: the Embedded Controller Boot Resources Table, which lets the OS reach the EC before the namespace loads."""
from construct import GreedyBytes, Int8ul, Int32ul

from qboot_tables.schemas.common import generic_address, table, through_nul

ECDT_MIN_SIZE = 65

# ACPI 6.5 §5.2.15 Embedded Controller Boot Resources Table (ECDT). EC_ID, the EC's full namepath, runs to the
# end of the table: "ec_id" is the NUL-terminated string (with its NUL, as iasl counts it), and "ec_id_padding"
# whatever the firmware left after the NUL, still part of EC_ID. Both keep every byte.
ecdt = table(
    "ec_control" / generic_address,  # command/status register
    "ec_data" / generic_address,  # data register
    "uid" / Int32ul,  # the EC's _UID in the namespace
    "gpe_bit" / Int8ul,  # the GPE the EC's SCI is wired to
    "ec_id" / through_nul,
    "ec_id_padding" / GreedyBytes,
)
