"""The table-loader: linking a good script; for every kind of broken command, a finding (and the rest of the
script still run) or, strict, a typed refusal; and fixed placements checked against the e820 map."""
import glob
import os

import pytest

import synthetic as S
from qboot_tables.errors import InputError, LoaderError, QbootTablesError
from qboot_tables.findings import ERROR, INFO, WARNING
from qboot_tables.read.loader import SMBIOS_ANCHOR, SMBIOS_TABLES, link
from qboot_tables.schemas.e820 import E820_RAM, E820_RESERVED
from qboot_tables.schemas.loader import ZONE_FSEG
from qboot_tables.read.snapshot import FwCfgSnapshot, read_capture
from qboot_tables.check.validate import validate
from qboot_tables.read.walk import placement_for_addresses, read_e820, walk_image, walk_snapshot


def test_good_script_links_and_walks_clean():
    snap = S.snapshot()
    image = link(snap)
    rsdp = image.allocations[S.RSDP_FILE]
    tables = image.allocations[S.TABLES_FILE]
    assert 0xE0000 <= rsdp.address < 0x100000 and rsdp.address % 16 == 0
    assert tables.address % 64 == 0 and tables.address + tables.size <= S.RAM
    ts = walk_image(image, snap)
    assert [t.signature for t in ts.acpi] == ["RSDT", "WAET"]
    assert ts.table("WAET").address == tables.address + S.WAET_OFFSET
    assert ts.rsdp.parsed.rsdt_address == tables.address
    assert validate(ts) == []


def test_no_rsdp_is_an_error_only_when_fw_cfg_carries_acpi():
    snap = S.snapshot()
    without_rsdp = FwCfgSnapshot(files={n: d for n, d in snap.files.items() if n != S.RSDP_FILE},
                                 selectors=snap.selectors)
    # A script whose RSDP file is missing: the guest finds no RSDP where the tables say there is ACPI.
    broken = [f for f in walk_image(link(without_rsdp), without_rsdp).findings if f.table == "RSDP"]
    assert [f.severity for f in broken] == [ERROR]
    # No table-loader at all (acpi=off): Linux boots on the MP table, so the missing RSDP is only an info.
    no_acpi = FwCfgSnapshot(files={n: d for n, d in snap.files.items() if not n.startswith("etc/")},
                            selectors=snap.selectors)
    assert [f.severity for f in walk_image(link(no_acpi), no_acpi).findings if f.table == "RSDP"] == [INFO]


def test_link_never_changes_the_snapshot():
    snap = S.snapshot()
    before = dict(snap.files)
    link(snap)
    assert dict(snap.files) == before


def test_fixed_placement_is_honoured():
    image = link(S.snapshot(), {S.TABLES_FILE: 0x200000, S.RSDP_FILE: 0xF5A10})
    assert image.allocations[S.TABLES_FILE].address == 0x200000
    assert image.allocations[S.RSDP_FILE].address == 0xF5A10
    assert int.from_bytes(image.read(0x200000 + 36, 4), "little") == 0x200000 + S.WAET_OFFSET
    ts = walk_image(image)
    assert ts.table("WAET").address == 0x200000 + S.WAET_OFFSET and not validate(ts)


def test_placement_for_addresses_inverts_link():
    snap = S.snapshot()
    placement = placement_for_addresses(snap, {"RSDP": 0xF5A10, "WAET": 0x300000 + S.WAET_OFFSET})
    assert placement == {S.RSDP_FILE: 0xF5A10, S.TABLES_FILE: 0x300000}


def test_write_pointer_is_recorded_as_a_fw_cfg_write():
    commands = S.good_commands() + [S.write_pointer("etc/vmgenid_addr", S.TABLES_FILE, 0, S.WAET_OFFSET)]
    image = link(S.snapshot(commands, etc__vmgenid_addr=bytes(8)), {S.TABLES_FILE: 0x400000})
    [write] = image.writes
    assert (write.file, write.offset) == ("etc/vmgenid_addr", 0)
    assert int.from_bytes(write.data, "little") == 0x400000 + S.WAET_OFFSET
    assert image.fw_cfg_written == {"etc/vmgenid_addr": write.data}


def test_a_file_allocated_after_a_write_pointer_holds_what_was_written():
    """QEMU keeps a guest's DMA write in the fw_cfg file, so an ALLOCATE after the WRITE_POINTER loads it."""
    commands = S.good_commands() + [S.write_pointer("w", S.TABLES_FILE, 2, S.WAET_OFFSET, size=4),
                                    S.allocate("w", align=16)]
    snap = S.snapshot(commands, w=b"\xaa" * 8)
    image = link(snap, {S.TABLES_FILE: 0x400000})
    pointer = (0x400000 + S.WAET_OFFSET).to_bytes(4, "little")
    assert image.memory["w"] == b"\xaa" * 2 + pointer + b"\xaa" * 2
    assert image.fw_cfg_written == {"w": image.memory["w"]}
    assert snap.file("w") == b"\xaa" * 8


def test_unknown_command_is_skipped_with_a_finding():
    commands = S.good_commands()
    data = bytearray(S.script(*commands))
    data[len(commands) * 128:len(commands) * 128 + 4] = (9).to_bytes(4, "little")
    snap = FwCfgSnapshot(files={**S.snapshot().files, "etc/table-loader": bytes(data)})
    ts = walk_snapshot(snap)
    assert [f.severity for f in ts.findings] == [WARNING]
    assert "unknown command 0x9" in ts.findings[0].message
    assert not [f for f in validate(ts) if f.severity == ERROR]


def broken(commands, **files):
    return S.snapshot(commands, **files)


GOOD = S.good_commands()
CASES = {
    "unknown file": ([S.allocate("etc/nope")], "file", "no fw_cfg file"),
    "never allocated": ([S.allocate(S.RSDP_FILE, 16, ZONE_FSEG), S.add_pointer(S.RSDP_FILE, S.TABLES_FILE, 16)],
                        "src_file", "never allocated"),
    "allocated twice": ([S.allocate(S.RSDP_FILE, 16, ZONE_FSEG), S.allocate(S.RSDP_FILE, 16, ZONE_FSEG)],
                        "file", "allocated twice"),
    "align not a power of two": ([S.allocate(S.RSDP_FILE, 24, ZONE_FSEG)], "align", "power of two"),
    "align zero": ([S.allocate(S.RSDP_FILE, 0, ZONE_FSEG)], "align", "power of two"),
    "unknown zone": ([S.allocate(S.RSDP_FILE, 16, 7)], "zone", "unknown zone"),
    "pointer size": (GOOD[:2] + [S.add_pointer(S.TABLES_FILE, S.TABLES_FILE, 36, 3)], "size", "1, 2, 4 or 8"),
    "pointer past end": (GOOD[:2] + [S.add_pointer(S.RSDP_FILE, S.TABLES_FILE, 18, 4)], "offset", "past the end"),
    "pointer offset overflow": (GOOD[:2] + [S.add_pointer(S.RSDP_FILE, S.TABLES_FILE, 0xFFFFFFFE, 4)],
                                "offset", "past the end"),
    "checksum range past end": (GOOD[:2] + [S.add_checksum(S.RSDP_FILE, 8, 0, 21)], "length", "past the end"),
    "checksum range overflow": (GOOD[:2] + [S.add_checksum(S.RSDP_FILE, 8, 0xFFFFFFF0, 0x20)], "length",
                                "past the end"),
    "checksum byte outside range": (GOOD[:2] + [S.add_checksum(S.RSDP_FILE, 19, 0, 10)], "offset",
                                    "outside its range"),
    "write pointer to unknown file": (GOOD[:2] + [S.write_pointer("etc/nope", S.TABLES_FILE, 0, 0)],
                                      "dest_file", "no fw_cfg file"),
    "write pointer past end": (GOOD[:2] + [S.write_pointer(S.RSDP_FILE, S.TABLES_FILE, 16, 0)], "dst_offset",
                               "past the end"),
    "write pointer source offset": (GOOD[:2] + [S.write_pointer(S.RSDP_FILE, S.TABLES_FILE, 0, 1 << 20)],
                                    "src_offset", "outside"),
    "FSEG full": ([S.allocate(S.TABLES_FILE, 16, ZONE_FSEG)], "zone", "no room"),
}


def case_snapshot(case):
    commands, field, words = CASES[case]
    files = {}
    if case == "FSEG full":
        files["etc__acpi__tables"] = bytes(0x30000)  # bigger than the whole F-segment zone
    return broken(commands, **files)


def errors(findings):
    return [f for f in findings if f.severity == ERROR]


@pytest.mark.parametrize("case", sorted(CASES))
def test_broken_command_raises_typed_error(case):
    commands, field, words = CASES[case]
    with pytest.raises(LoaderError) as info:
        link(case_snapshot(case), strict=True)
    assert info.value.field == field
    assert info.value.index == len(commands) - 1
    assert words in str(info.value)


@pytest.mark.parametrize("case", sorted(CASES))
def test_broken_command_is_one_finding_with_the_strict_message(case):
    commands, field, words = CASES[case]
    snap = case_snapshot(case)
    with pytest.raises(LoaderError) as strict:
        link(snap, strict=True)
    image = link(snap)
    [finding] = image.findings
    index = len(commands) - 1
    assert (finding.severity, finding.table, finding.field) == (ERROR, "table-loader", f"command[{index}].{field}")
    assert words in finding.message and str(strict.value) == f"command {index}: {field}: {finding.message}"


def test_several_broken_commands_give_one_finding_each_and_the_good_ones_still_apply():
    commands = GOOD[:2] + [
        S.add_pointer(S.TABLES_FILE, S.TABLES_FILE, 36, 3),  # 2: size
        GOOD[2],
        S.add_checksum(S.RSDP_FILE, 19, 0, 10),  # 4: offset
        *GOOD[3:5],
        S.write_pointer("etc/nope", S.TABLES_FILE, 0, 0),  # 7: dest_file
        *GOOD[5:],
        S.allocate("etc/nope"),  # 10: file
    ]
    snap = S.snapshot(commands)
    image = link(snap, {S.TABLES_FILE: 0x200000})
    assert [(f.severity, f.field) for f in image.findings] == [
        (ERROR, "command[2].size"), (ERROR, "command[4].offset"), (ERROR, "command[7].dest_file"),
        (ERROR, "command[10].file")]
    # Every good command ran: the set walks and validates with no other problem, and the bad ones left no trace.
    assert image.memory == link(S.snapshot(), {S.TABLES_FILE: 0x200000}).memory
    assert image.writes == [] and set(image.allocations) == {S.RSDP_FILE, S.TABLES_FILE}
    ts = walk_snapshot(snap, {S.TABLES_FILE: 0x200000})
    assert [t.signature for t in ts.acpi] == ["RSDT", "WAET"]
    assert validate(ts) == image.findings


def test_commands_naming_a_refused_allocation_are_skipped_with_one_note():
    commands = [S.allocate(S.RSDP_FILE, 24, ZONE_FSEG)] + GOOD[1:] + [S.allocate("etc/nope"),
                                                                       S.add_checksum("etc/nope", 0, 0, 1)]
    image = link(S.snapshot(commands), {S.RSDP_FILE: 0xF0000})
    assert [(f.severity, f.field, f.message) for f in image.findings] == [
        (ERROR, "command[0].align", "0x18 is not a power of two"),
        (WARNING, "command[0]", "'etc/acpi/rsdp' was not allocated, so the 2 later commands that name it were "
                                "skipped: 5-6"),
        (ERROR, "command[7].file", "no fw_cfg file named 'etc/nope'"),
        (WARNING, "command[7]", "'etc/nope' was not allocated, so command 8, which names it, was skipped")]
    assert set(image.allocations) == {S.TABLES_FILE}  # and the placement of the refused file is not "unused"


def test_name_without_nul_is_refused():
    data = S.raw_script_with([S.allocate(S.RSDP_FILE, 16, ZONE_FSEG)], 0, 4, b"x" * 56)
    snap = FwCfgSnapshot(files={**S.snapshot().files, "etc/table-loader": data})
    with pytest.raises(LoaderError, match="not NUL-terminated"):
        link(snap, strict=True)
    [finding] = link(snap).findings
    assert finding.field == "command[0].file" and "not NUL-terminated" in finding.message


def test_script_length_must_be_whole_entries():
    snap = FwCfgSnapshot(files={**S.snapshot().files, "etc/table-loader": S.script(*GOOD)[:-1]})
    with pytest.raises(LoaderError, match="multiple of the 128-byte"):
        link(snap, strict=True)
    # The lint says so, and still runs the whole entries.
    image = link(snap)
    [finding] = image.findings
    assert finding.field == "length" and "multiple of the 128-byte" in finding.message
    assert "the last 127 bytes are ignored" in finding.message
    assert image.memory == link(S.snapshot()).memory


def test_pointer_that_cannot_hold_the_address():
    with pytest.raises(LoaderError, match="does not fit in 4 bytes"):
        link(S.snapshot(), {S.TABLES_FILE: 0x1_0000_0000}, strict=True)
    image = link(S.snapshot(), {S.TABLES_FILE: 0x1_0000_0000})
    assert [(f.field, f.message.split(":")[0]) for f in errors(image.findings)] == [
        ("placement", "'etc/acpi/tables' at 0x100000000-0x100000067 is outside RAM"),
        ("command[3].size", "pointer 0x100000040 to 'etc/acpi/tables' does not fit in 4 bytes"),
        ("command[5].size", "pointer 0x100000000 to 'etc/acpi/tables' does not fit in 4 bytes")]


def test_overlapping_fixed_placements():
    with pytest.raises(LoaderError, match="overlaps"):
        link(S.snapshot(), {S.TABLES_FILE: 0x200000, S.RSDP_FILE: 0x200010}, strict=True)
    image = link(S.snapshot(), {S.TABLES_FILE: 0x200010, S.RSDP_FILE: 0x200000})
    assert [(f.severity, f.field) for f in image.findings] == [
        (ERROR, "placement"),  # an FSEG-zone file outside the BIOS area
        (ERROR, "command[1].file"), (WARNING, "command[1]")]
    assert "overlaps 'etc/acpi/rsdp'" in image.findings[1].message
    assert image.findings[2].message.endswith("the 4 later commands that name it were skipped: 2-5")


def test_high_zone_needs_to_know_the_ram():
    files = dict(S.snapshot().files)
    del files["etc/e820"]
    with pytest.raises(LoaderError, match="no room"):
        link(FwCfgSnapshot(files=files), strict=True)
    assert errors(link(FwCfgSnapshot(files=files)).findings)[0].field == "command[1].zone"
    assert link(FwCfgSnapshot(files=files, selectors={"ram_size": S.RAM})).allocations[S.TABLES_FILE].address


def test_pointer_to_unallocated_memory_is_a_walk_finding():
    blob = bytearray(S.tables_blob())
    blob[36:40] = (0x10000).to_bytes(4, "little")  # past the end of the 104-byte file once linked
    snap = FwCfgSnapshot(files={**S.snapshot().files, S.TABLES_FILE: bytes(blob)})
    ts = walk_snapshot(snap)
    assert [t.signature for t in ts.acpi] == ["RSDT"]
    [finding] = [f for f in validate(ts) if f.severity == ERROR]
    assert finding.table == "RSDT.entries[0]" and "outside every allocation" in finding.message


def test_bad_checksum_is_a_finding():
    commands = [c for c in GOOD if not (c["command"] == 3 and c["body"]["offset"] == S.WAET_OFFSET + 9)]
    findings = validate(walk_snapshot(S.snapshot(commands)))
    assert [(f.table, f.field) for f in findings] == [("WAET", "header.checksum")]
    assert "Incorrect checksum" in findings[0].message


FIXTURES = sorted(glob.glob(os.path.join(os.path.dirname(__file__), "..", "fixtures", "qemu-7.2", "*")))


def test_smbios_that_cannot_be_placed_is_a_finding_and_no_smbios():
    snap = read_capture(next(p for p in FIXTURES if p.endswith("pc-mem4g")))  # with RAM above 4 GiB
    high = {SMBIOS_TABLES: 0x1_0000_0000}  # an SMBIOS 2.1 entry point holds a 32-bit table address
    with pytest.raises(QbootTablesError, match="structure_table_address"):
        link(snap, high, strict=True)
    image = link(snap, high)
    [finding] = errors(image.findings)
    assert (finding.table, finding.field) == ("SMBIOS", "placement") and "cannot place" in finding.message
    assert image.smbios is None and SMBIOS_TABLES not in image.allocations and SMBIOS_ANCHOR not in image.memory
    assert not [f for f in image.findings if "never allocated" in f.message]


# ---- fixed placements against the e820 map

@pytest.mark.parametrize("value", ["128M", -1, True, 1.5, [1]])
def test_a_ram_size_selector_that_is_not_a_byte_count_is_an_input_error(value):
    files = dict(S.snapshot().files)
    del files["etc/e820"]
    with pytest.raises(InputError, match="selector ram_size"):
        link(FwCfgSnapshot(files=files, selectors={"ram_size": value}))


def e820(*entries) -> bytes:
    return b"".join(a.to_bytes(8, "little") + n.to_bytes(8, "little") + t.to_bytes(4, "little")
                    for a, n, t in entries)


# RAM to 128 MiB with a reserved block at 64 MiB, and a reserved range above 4 GiB, as QEMU's HyperTransport hole.
HOLED = e820((0, 0x4000000, E820_RAM), (0x4000000, 0x100000, E820_RESERVED), (0x4100000, 0x3F00000, E820_RAM),
             (0xFD_0000_0000, 0x3_0000_0000, E820_RESERVED))

BAD_PLACEMENTS = {
    "beyond RAM": ({S.TABLES_FILE: 0x8000000}, "at 0x8000000-0x8000067 is outside RAM: 0x8000000-0x8000067"),
    "straddling the end of RAM": ({S.TABLES_FILE: 0x7FFFFE0}, "outside RAM: 0x8000000-0x8000047 is not RAM"),
    "in the VGA hole": ({S.TABLES_FILE: 0xA0000}, "overlaps the legacy VGA and ROM hole 0xa0000-0xfffff"),
    "straddling into the hole": ({S.TABLES_FILE: 0x9FFC0}, "overlaps the legacy VGA and ROM hole"),
    "a HIGH file in the BIOS area": ({S.TABLES_FILE: 0xE0000}, "overlaps the legacy VGA and ROM hole"),
    "over a reserved range": ({S.TABLES_FILE: 0x4000000}, "overlaps the e820 reserved range 0x4000000-0x40fffff"),
    "ending in a reserved range": ({S.TABLES_FILE: 0x3FFFFC0}, "overlaps the e820 reserved range"),
    "an FSEG file in high RAM": ({S.RSDP_FILE: 0x200000}, "is in zone FSEG but outside the BIOS area 0xe0000-0xfffff"),
    "an FSEG file past the BIOS area": ({S.RSDP_FILE: 0xFFFF0}, "is in zone FSEG"),
    "an FSEG file below it": ({S.RSDP_FILE: 0xD0000}, "is in zone FSEG"),
}


@pytest.mark.parametrize("case", sorted(BAD_PLACEMENTS))
def test_a_placement_firmware_could_not_make_is_an_error(case):
    placement, words = BAD_PLACEMENTS[case]
    [name] = placement
    image = link(S.snapshot(etc__e820=HOLED), placement)
    [finding] = [f for f in image.findings if f.field == "placement"]
    assert finding.severity == ERROR and finding.table == "table-loader"
    assert finding.message.startswith(repr(name)) and words in finding.message, finding.message
    assert image.allocations[name].address == placement[name]  # placed as asked, and said to be wrong


def test_without_e820_the_ram_size_selector_bounds_placements():
    files = dict(S.snapshot().files)
    del files["etc/e820"]
    beyond = {S.TABLES_FILE: 0x1000_0000}  # 256 MiB
    [finding] = link(FwCfgSnapshot(files=files, selectors={"ram_size": S.RAM}), beyond).findings
    assert "0x10000000-0x10000067 is not RAM in the 0x8000000 bytes of RAM in the ram_size selector" in finding.message
    # The selector does not say how much RAM is above 4 GiB, so nothing there is called wrong.
    above = link(FwCfgSnapshot(files=files, selectors={"ram_size": S.RAM}), {S.TABLES_FILE: 0x1_0000_0000})
    assert [f.field for f in above.findings if f.field == "placement"] == []
    # With neither, only the zones and the hole are checked.
    assert link(FwCfgSnapshot(files=files), beyond).findings == []
    [hole] = link(FwCfgSnapshot(files=files), {S.TABLES_FILE: 0xB0000}).findings
    assert "VGA and ROM hole" in hole.message


LEGITIMATE = {
    "the allocator's own addresses": {},
    "RSDP at the F-segment's start and end": {S.RSDP_FILE: 0xF0000, S.TABLES_FILE: 0x100000},
    "RSDP in the E-segment": {S.RSDP_FILE: 0xE0000},
    "RSDP in the last aligned slot": {S.RSDP_FILE: 0xFFFE0},
    "tables ending just below the hole": {S.TABLES_FILE: 0xA0000 - 128},
    "tables at the top of RAM": {S.TABLES_FILE: 0x8000000 - 128},
    "tables right after the reserved range": {S.TABLES_FILE: 0x4100000},
    "tables right before it": {S.TABLES_FILE: 0x4000000 - 128},
}


@pytest.mark.parametrize("case", sorted(LEGITIMATE))
def test_legitimate_placements_give_no_finding(case):
    image = link(S.snapshot(etc__e820=HOLED), LEGITIMATE[case])
    assert image.findings == []
    assert not validate(walk_image(image))


@pytest.mark.parametrize("path", FIXTURES, ids=[os.path.basename(p) for p in FIXTURES])
def test_qemu_captures_at_a_firmware_s_addresses_give_no_finding(path):
    """Where SeaBIOS and our firmware put QEMU's files (RSDP and SMBIOS entry point in the F-segment, the rest
    just under the top of RAM below 4 GiB) and where the CLI tests place them."""
    snap = read_capture(path)
    top = max(e.address + e.length for e in read_e820(snap.file("etc/e820")).entries
              if e.type == E820_RAM and e.address < 1 << 32)
    stacked = {"etc/acpi/rsdp": 0xF0000, SMBIOS_ANCHOR: 0xF4760}
    for name in ("etc/acpi/tables", SMBIOS_TABLES, "etc/vmgenid_guid", "etc/acpi/nvdimm-mem"):
        if name in snap.files:
            top = (top - len(snap.file(name))) & ~0xFFF
            stacked[name] = top
    for placement in ({"etc/acpi/rsdp": 0xF5A10, "etc/acpi/tables": 0x7FE0000, "etc/vmgenid_guid": 0x7F00000},
                      stacked):
        placement = {name: address for name, address in placement.items() if name in snap.files}
        image = link(snap, placement)
        # Info findings only say where SMBIOS came from (legacy entries, or none at all in fw_cfg).
        assert [f for f in image.findings if (f.severity, f.table) != (INFO, "SMBIOS")] == []
        assert {name: image.allocations[name].address for name in placement} == placement
