"""RASF: the ACPI RAS Feature Table, which names the PCC channel for RAS features such as patrol scrub."""
from construct import Bytes

from qboot_tables.schemas.common import table

# ACPI 6.5 §5.2.20 RASF Table Format (48 bytes). The channel ID is a 12-byte identifier of the
# PCC subspace; it stays bytes.
rasf = table(
    "rasf_pcc_channel_id" / Bytes(12),
)
RASF_LENGTH = 48
