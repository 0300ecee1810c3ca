"""SMBIOS type 11, OEM Strings: a count, and the strings themselves in the string set."""
from qboot_tables.findings import WARNING, Finding
from qboot_tables.schemas import smbios as S, smbios_ext as X
from qboot_tables.smbios_types.descriptor import STRINGS, SmbiosDescriptor


def count_meaning(value, context) -> str:
    # §7.12: the count says how many strings of the set are the OEM's; each is shown as its own string row.
    have = len(context[STRINGS])
    return f"{value} strings" if value <= have else f"{value} strings, but the set has {have}"


def string_count_check(field: str):
    """A check that the count in `field` does not pass the string set's end (dmidecode prints <BAD INDEX>).

    A warning, not an error: Linux reads an index past the set as an empty string (drivers/firmware/dmi_scan.c,
    dmi_string_nosave), and QEMU 7.2 itself writes such a count when a `value=` is empty (hw/smbios/smbios.c
    smbios_build_type_11_table counts every value; smbios_build.h SMBIOS_TABLE_SET_STR_LIST skips empty ones).
    """
    def check(s) -> list[Finding]:
        count = s.parsed.body.get(field)
        if count is not None and count > len(s.strings):
            return [Finding(WARNING, s.name, field, f"{count}, but the string set has {len(s.strings)} strings")]
        return []
    return check


check_count = string_count_check("count")


DESCRIPTOR = SmbiosDescriptor(
    type=11, title=S.TYPE_NAMES[11], schema=X.oem_strings, spec="DSP0134 3.6.0 §7.12", min_length=0x05,
    meanings={"count": count_meaning}, checks=(check_count,),
)
