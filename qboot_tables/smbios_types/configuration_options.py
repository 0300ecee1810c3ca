"""SMBIOS type 12, System Configuration Options: a count, and the options (jumper and switch settings) as strings."""
from qboot_tables.schemas import smbios as S, smbios_ext as X
from qboot_tables.smbios_types.descriptor import SmbiosDescriptor
from qboot_tables.smbios_types.oem_strings import check_count, count_meaning

# §7.13: the same layout as type 11.
DESCRIPTOR = SmbiosDescriptor(
    type=12, title=S.TYPE_NAMES[12], schema=X.system_configuration_options, spec="DSP0134 3.6.0 §7.13",
    min_length=0x05, meanings={"count": count_meaning}, checks=(check_count,),
)
