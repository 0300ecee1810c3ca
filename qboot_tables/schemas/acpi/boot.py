"""BOOT: the Simple Boot Flag table, which says which CMOS byte holds the boot flags."""
from construct import Int8ul, Int24ul

from qboot_tables.schemas.common import table

BOOT_SIZE = 40

# Microsoft "Simple Boot Flag Specification" 2.1, §3 "BOOT Table" (40 bytes).
boot = table(
    "cmos_index" / Int8ul,  # the CMOS RAM index of the boot register
    "reserved" / Int24ul,
)
