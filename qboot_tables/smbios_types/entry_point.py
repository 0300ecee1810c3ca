"""The SMBIOS entry points: 2.1 (`_SM_`, §5.2.1), 3.0 (`_SM3_`, §5.2.2), legacy DMI (`_DMI_`), and their checksums."""
from __future__ import annotations

from qboot_tables.schemas import smbios as S
from qboot_tables.smbios_types.descriptor import SmbiosDescriptor

# The context key under which an entry point's bytes travel to the checksum meanings.
RAW = "_raw"


def checksum_ranges(entry_raw: bytes) -> list[tuple[str, int, int, int]]:
    """(field, checksum offset, start, end) for each checksum in an entry point, innermost first."""
    if entry_raw.startswith(S.ANCHOR_30):
        # §5.2.2: one checksum over the entry point length bytes.
        return [("checksum", 5, 0, min(entry_raw[6], len(entry_raw)))]
    if entry_raw.startswith(S.INTERMEDIATE_ANCHOR):
        # The legacy DMI entry point: one checksum over its 15 bytes.
        return [("checksum", 5, 0, min(S.ENTRY_POINT_LEGACY_SIZE, len(entry_raw)))]
    # §5.2.1: the intermediate checksum covers 10h-1Eh (15 bytes), the EPS checksum the entry point length
    # bytes. SeaBIOS sums only 00h-0Fh for the latter, which agrees once the intermediate sum is zero.
    length = min(entry_raw[5], len(entry_raw))
    return [("intermediate_checksum", 0x15, S.INTERMEDIATE_OFFSET, S.ENTRY_POINT_21_SIZE),
            ("checksum", 4, 0, length)]


def checksum_errors(entry_raw: bytes) -> list[tuple[str, int]]:
    """[(field, sum)] for every entry point checksum whose range does not sum to zero."""
    return [(name, sum(entry_raw[start:end]) & 0xFF) for name, _at, start, end in checksum_ranges(entry_raw)
            if sum(entry_raw[start:end]) & 0xFF]


def checksum_meaning(field: str):
    def describe(_value, context) -> str:
        bad = dict(checksum_errors(context[RAW]))
        return f"wrong: bytes sum to {bad[field]:#04x}" if field in bad else "valid"
    return describe


def bcd_revision(value, _context) -> str:
    return f"{value >> 4}.{value & 0xF}"  # §5.2.1: 2.8 is 28h


ENTRY_POINT_21 = SmbiosDescriptor(
    type=None, title="SMBIOS 2.1 (32-bit) Entry Point", schema=S.entry_point_21, spec="DSP0134 3.6.0 §5.2.1",
    min_length=S.ENTRY_POINT_21_SIZE,
    meanings={"checksum": checksum_meaning("checksum"),
              "intermediate_checksum": checksum_meaning("intermediate_checksum"),
              "bcd_revision": bcd_revision},
)
ENTRY_POINT_30 = SmbiosDescriptor(
    type=None, title="SMBIOS 3.0 (64-bit) Entry Point", schema=S.entry_point_30, spec="DSP0134 3.6.0 §5.2.2",
    min_length=S.ENTRY_POINT_30_SIZE, meanings={"checksum": checksum_meaning("checksum")},
)


ENTRY_POINT_LEGACY = SmbiosDescriptor(
    type=None, title="Legacy DMI Entry Point", schema=S.entry_point_legacy, spec="DSP0134 3.6.0 §5.2.1",
    min_length=S.ENTRY_POINT_LEGACY_SIZE,
    meanings={"checksum": checksum_meaning("checksum"), "bcd_revision": bcd_revision},
)


def entry_point_descriptor(entry_raw: bytes) -> SmbiosDescriptor:
    entry_raw = bytes(entry_raw)
    if entry_raw.startswith(S.ANCHOR_30):
        return ENTRY_POINT_30
    return ENTRY_POINT_LEGACY if entry_raw.startswith(S.INTERMEDIATE_ANCHOR) else ENTRY_POINT_21
