"""SMBIOS type 127, End-of-Table."""
from qboot_tables.schemas import smbios as S
from qboot_tables.smbios_types.descriptor import SmbiosDescriptor

DESCRIPTOR = SmbiosDescriptor(
    type=S.TYPE_END_OF_TABLE, title=S.TYPE_NAMES[S.TYPE_END_OF_TABLE], schema=S.end_of_table,
    spec="DSP0134 3.6.0 §7.49", min_length=S.HEADER_SIZE,
)
