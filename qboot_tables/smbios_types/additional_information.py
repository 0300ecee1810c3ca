"""SMBIOS type 40, Additional Information: values for fields of other structures, each named by handle and offset."""
from qboot_tables.findings import ERROR, Finding
from qboot_tables.schemas import smbios as S, smbios_ext as X
from qboot_tables.smbios_types.descriptor import SmbiosDescriptor


def value_meaning(value, _context) -> str:
    # §7.41: the value is a BYTE, WORD or DWORD (entry length - 5); other sizes have no defined reading.
    if len(value) in (1, 2, 4):
        return f"0x{int.from_bytes(value, 'little'):0{2 * len(value)}x}"
    return "Unexpected size"


def check_entries(s) -> list[Finding]:
    body = s.parsed.body
    entries = body.entries or []
    end = 5 + sum(entry.entry_length for entry in entries)
    if entries and end > s.length:
        return [Finding(ERROR, s.name, "entries", f"{len(entries)} entries end at {end:#x}, past length "
                                                  f"{s.length:#x}")]
    return []


DESCRIPTOR = SmbiosDescriptor(
    type=40, title=S.TYPE_NAMES[40], schema=X.additional_information, spec="DSP0134 3.6.0 §7.41", min_length=0x0B,
    strings=frozenset({"string"}),
    meanings={"referenced_handle": lambda value, _context: f"0x{value:04x}",
              "referenced_offset": lambda value, _context: f"0x{value:02x}", "value": value_meaning},
    checks=(check_entries,),
)
