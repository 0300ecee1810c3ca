"""Walking: find the tables in a linked image the way an OS does, and hold them as a TableSet.

RSDP in the F-segment, then the RSDT or XSDT, then every table they list, then the FADT's FACS and DSDT; and
the MP floating pointer where MPS 1.4 §4 puts it, then the configuration table it points at.
Tables are never found by scanning the blob, so a broken pointer shows up here as it would in a guest.
"""
from __future__ import annotations

from typing import SupportsIndex, overload

from qboot_tables.errors import InputError, ParseError, parse
from qboot_tables.files import safe_signature
from qboot_tables.findings import ERROR, INFO, WARNING, Finding
from qboot_tables.read.loader import E820_FILE, TABLE_LOADER, AddressError, LinkedImage, link
from qboot_tables.schemas.acpi.rsdp import RSDP_SIGNATURE, RSDP_V1_SIZE, RSDP_V2_SIZE
from qboot_tables.schemas.common import ACPI_HEADER_SIZE
from qboot_tables.schemas.e820 import e820_table
from qboot_tables.tables import RSDP, SIGNATURE_ALIASES, descriptor

# ACPI 6.5 §5.2.5.1: on IA-PC the RSDP lies on a 16-byte boundary in the BIOS area 0xE0000-0xFFFFF.
RSDP_SCAN = (0xE0000, 0x100000)
# What every table starts with: a signature and a length, the whole header of the FACS (ACPI 6.5 §5.2.10).
SIGNATURE_AND_LENGTH = 8


class Table:
    def __init__(self, signature: str, address: int | None, data: bytes, parsed=None, name: str = "",
                 error: str | None = None):
        self.signature, self.address, self.data = signature, address, data
        self.parsed = parsed  # construct Container, None when the bytes do not parse
        # Unique within a set ("SSDT", "SSDT2", ...) once unique_names has run; always safe as a file name.
        self.name = name or safe_signature(signature)
        self.error = error  # why it did not parse

    def __repr__(self) -> str:
        where = f"{self.address:#x}" if self.address is not None else "?"
        return f"<Table {self.name} @{where} {len(self.data)} bytes>"

    def as_dict(self) -> dict:
        """The table as `dump-tables --json` shows it: name, address, length and every field row."""
        from qboot_tables.show.render import table_document

        return table_document(self, RSDP if self.signature == "RSDP" and self.name == "RSDP" else None)

    def to_json(self) -> str:
        from qboot_tables.show.jsontext import dumps

        return dumps(self.as_dict())


class AcpiTables(list[Table]):
    """A set's ACPI tables in the order they were found, still a plain list to iterate, index and append to;
    a string looks one up by its name ("SSDT2"), its signature ("APIC", the first such table) or an alias
    ("MADT"), in any case."""

    @overload
    def __getitem__(self, key: SupportsIndex) -> Table: ...
    @overload
    def __getitem__(self, key: slice) -> list[Table]: ...
    @overload
    def __getitem__(self, key: str) -> Table: ...

    def __getitem__(self, key):
        if isinstance(key, str):
            table = self.get(key)
            if table is None:
                raise KeyError(f"no table {key!r}; the set has {', '.join(self.names()) or 'none'}")
            return table
        return super().__getitem__(key)

    def get(self, key: str, default: Table | None = None) -> Table | None:
        for wanted in dict.fromkeys((key, key.upper(), SIGNATURE_ALIASES.get(key.upper(), key))):
            found = next((t for t in self if t.name == wanted), None) or next(
                (t for t in self if t.signature == wanted), None)
            if found is not None:
                return found
        return default

    def __contains__(self, key: object) -> bool:
        if isinstance(key, str):
            return self.get(key) is not None
        return super().__contains__(key)

    def names(self) -> list[str]:
        return [t.name for t in self]


class TableSet:
    """Everything found for one machine, whatever the source; validation and rendering take only this."""

    def __init__(self, source: str, rsdp: Table | None = None, acpi: list[Table] | None = None, smbios=None,
                 e820=None, image: LinkedImage | None = None, snapshot=None, findings: list[Finding] | None = None,
                 mptable=None):
        self.source = source
        self.rsdp = rsdp
        self.acpi = AcpiTables(acpi or ())  # a list, with lookup by name
        self.smbios = smbios  # qboot_tables.smbios.Smbios
        self.e820 = e820  # parsed etc/e820: .entries and any trailing .extra bytes
        self.mptable = mptable  # qboot_tables.read.mptable.MpTable, when the source holds an MP table
        self.image = image
        self.snapshot = snapshot  # the FwCfgSnapshot, when the source spoke fw_cfg
        # From linking and walking; qboot_tables.load() replaces them with every finding validation gives.
        self.findings = findings if findings is not None else []
        self.validated = False  # True once self.findings holds validation's findings (check.validate)
        self._aml: dict | None = None

    @property
    def acpi(self) -> AcpiTables:
        return self._acpi

    @acpi.setter
    def acpi(self, tables: list[Table]) -> None:
        self._acpi = tables if isinstance(tables, AcpiTables) else AcpiTables(tables)

    @property
    def summary(self) -> dict:
        """CPUs, APIC IDs, NUMA nodes and RAM, as the dump's summary line gives them."""
        from qboot_tables.show.summary import summarize

        return summarize(self)

    def as_dict(self) -> dict:
        """The whole set as `dump-tables --json` shows it, with this set's findings."""
        from qboot_tables.show.render import document

        return document(self, self.findings)

    def to_json(self) -> str:
        from qboot_tables.show.render import to_json

        return to_json(self.as_dict())

    def __repr__(self) -> str:
        return f"<TableSet {self.source!r}: {', '.join(self.acpi.names()) or 'no ACPI tables'}" + "".join(
            f", {what}" for what, present in (("SMBIOS", self.smbios), ("e820", self.e820),
                                              ("MP table", self.mptable)) if present is not None) + ">"

    def table(self, name: str) -> Table | None:
        return next((t for t in self.acpi if t.name == name), None)

    def tables(self, signature: str) -> list[Table]:
        return [t for t in self.acpi if t.signature == signature]

    def aml(self) -> dict:
        """The DSDT and SSDTs decoded together, DSDT first as the OS loads them, by table name; decoded once."""
        if self._aml is None:
            from qboot_tables.aml.decode import decode_tables

            blocks = self.tables("DSDT") + self.tables("SSDT")
            decoded = decode_tables([t.data for t in blocks], [t.name for t in blocks])
            self._aml = {t.name: d for t, d in zip(blocks, decoded)}
        return self._aml


def decode_signature(raw: bytes) -> str:
    return raw.decode("latin-1")


def parse_table(signature: str, data: bytes, address: int | None = None, name: str = "") -> Table:
    """A Table whose bytes are decoded by the schema for its signature; a parse failure is kept, not raised."""
    table = Table(signature, address, bytes(data), name=name)
    try:
        table.parsed = parse(descriptor(signature).schema, table.data, signature)
    except ParseError as e:
        table.error = str(e)
    return table


def parse_rsdp(data: bytes, address: int | None = None) -> Table:
    table = Table("RSDP", address, bytes(data))
    try:
        table.parsed = parse(RSDP.schema, table.data, "RSDP")
    except ParseError as e:
        table.error = str(e)
    return table


def unique_names(tables: list[Table]) -> None:
    """Name repeated signatures SIG, SIG2, SIG3... in order, as `dump-tables --out` writes them.

    The name is made from files.safe_signature, so a signature from hostile data ("../Q") never becomes a path,
    and "RSDP" stays the RSDP's: a table that claims that signature is named RSDP2."""
    seen: dict[str, int] = {"RSDP": 1}  # signatures are 4 characters, so only "RSDP" can meet a name not its own
    for t in tables:
        base = safe_signature(t.signature)
        seen[base] = seen.get(base, 0) + 1
        t.name = base if seen[base] == 1 else f"{base}{seen[base]}"


def find_rsdp(image: LinkedImage, findings: list[Finding], expected: bool = True) -> Table | None:
    """The first RSDP on a 16-byte boundary of the BIOS area, preferring one whose checksum is right.
    `expected` False: the source carries no ACPI at all (fw_cfg without a table-loader, as with acpi=off),
    where Linux finds no RSDP, takes the MP table instead (arch/x86/kernel/acpi/boot.c acpi_boot_table_init,
    mpparse.c) and boots: then none is only worth an info."""
    candidates = []
    start, end = RSDP_SCAN
    for base, data in image.regions_in(start, end):
        first = max(start, base)
        first += -first % 16
        for address in range(first, min(end, base + len(data)) - RSDP_V1_SIZE + 1, 16):
            offset = address - base
            if data[offset:offset + 8] == RSDP_SIGNATURE:
                candidates.append((address, data, offset))
    if not candidates:
        if expected:
            findings.append(Finding(ERROR, "RSDP", "", "no RSDP signature on a 16-byte boundary in 0xE0000-0xFFFFF"))
        else:
            findings.append(Finding(INFO, "RSDP", "", "no ACPI: fw_cfg has no etc/table-loader (as with acpi=off)"))
        return None
    for address, data, offset in candidates:
        if sum(data[offset:offset + RSDP_V1_SIZE]) & 0xFF == 0:
            break
    else:
        address, data, offset = candidates[0]
    size = RSDP_V2_SIZE if data[offset + 15] >= 2 else RSDP_V1_SIZE
    return parse_rsdp(data[offset:offset + size], address)


def read_table_at(image: LinkedImage, address: int, referrer: str, findings: list[Finding],
                  expect: str | None = None) -> Table | None:
    """Read the table a pointer names: its header gives its length. Bad pointers become findings."""
    try:
        head = image.read(address, 8)
        signature = decode_signature(head[:4])
        length = int.from_bytes(head[4:8], "little")
        minimum = ACPI_HEADER_SIZE if descriptor(signature).header else SIGNATURE_AND_LENGTH
        if length < minimum:
            findings.append(Finding(ERROR, signature, "header.length",
                                    f"length {length} at {address:#x} (from {referrer}) is below {minimum}"))
            return None
        data = image.read(address, length)
    except AddressError as e:
        findings.append(Finding(ERROR, referrer, "", f"points at {address:#x}, but {e}"))
        return None
    if expect and signature != expect:
        findings.append(Finding(ERROR, referrer, "", f"points at {address:#x}, a {signature!r} table, "
                                                     f"where {expect} was expected"))
    return parse_table(signature, data, address)


def walk_image(image: LinkedImage, snapshot=None, source: str = "") -> TableSet:
    """Find every table in a linked image as a guest OS would."""
    findings = list(image.findings)
    tables: list[Table] = []
    rsdp = find_rsdp(image, findings, expected=snapshot is None or snapshot.file(TABLE_LOADER) is not None)
    roots = []
    if rsdp is not None and rsdp.parsed is not None:
        p = rsdp.parsed
        # A revision 2 RSDP with an XSDT: an OS uses the XSDT (ACPI 6.5 §5.2.5.3); we read both to compare.
        if p.revision >= 2 and p.v2.xsdt_address:
            roots.append(("XSDT", p.v2.xsdt_address))
        if p.rsdt_address:
            roots.append(("RSDT", p.rsdt_address))
    walked_root = None
    for signature, address in roots:
        root = read_table_at(image, address, f"RSDP.{signature.lower()}_address", findings, signature)
        if root is None:
            continue
        tables.append(root)
        # The first root of the right kind decides what is walked; a second one is only kept for comparison,
        # and a pointer to some other kind of table was reported by read_table_at.
        if walked_root is not None or root.parsed is None or root.signature != signature:
            continue
        walked_root = root
        read_at: dict[int, str] = {}
        for i, entry in enumerate(root.parsed.entries):
            referrer = f"{signature}.entries[{i}]"
            if entry in read_at:  # ACPICA installs a table once (tbinstal.c AcpiTbCheckDuplication)
                findings.append(Finding(WARNING, signature, f"entries[{i}]", f"{entry:#x} is listed again, first "
                                                                            f"as {read_at[entry]}"))
                continue
            read_at[entry] = referrer
            table = read_table_at(image, entry, referrer, findings)
            if table is not None:
                tables.append(table)
    for fadt in [t for t in tables if t.signature == "FACP" and t.parsed is not None]:
        for what, legacy, extended in (("FACS", "firmware_ctrl", "x_firmware_ctrl"), ("DSDT", "dsdt", "x_dsdt")):
            # ACPI 6.5 §5.2.9: the X_ field wins when it is non-zero; a short, older FADT has no X_ fields.
            address = fadt.parsed.get(extended) or fadt.parsed.get(legacy)
            if address:
                field = extended if fadt.parsed.get(extended) else legacy
                table = read_table_at(image, address, f"FACP.{field}", findings, what)
                if table is not None:
                    tables.append(table)
    unique_names(tables)
    # MPS 1.4 §4: the firmware writes the MP table itself, so a fw_cfg image has one only when a caller
    # placed it there; it is looked for where an OS looks, like the RSDP.
    mptable = None
    if any(b"_MP_" in memory for memory in image.memory.values()):  # the floating pointer's signature, §4.1
        from qboot_tables.read.mptable import find_mptable  # only then: most images have none to read

        mptable = find_mptable(image, findings)
    result = TableSet(source=source, rsdp=rsdp, acpi=tables, image=image, snapshot=snapshot, findings=findings,
                      smbios=image.smbios, mptable=mptable)
    if snapshot is not None:
        result.e820 = read_e820(snapshot.file(E820_FILE))
    return result


def read_e820(data: bytes | None, what: str = E820_FILE):
    """Bytes in etc/e820's layout (fw_cfg, dump --out's e820.bin, Linux's memmap rebuilt) as a parsed e820 table."""
    if data is None:
        return None
    return parse(e820_table, data, what)


def walk_snapshot(snapshot, placement: dict[str, int] | None = None, source: str = "") -> TableSet:
    """link() then walk_image(): the single path every fw_cfg source takes."""
    return walk_image(link(snapshot, placement), snapshot, source)


def placement_for_addresses(snapshot, addresses: dict[str, int]) -> dict[str, int]:
    """The fw_cfg file placement that puts tables where a guest saw them (signature -> address, e.g. dmesg).

    Link once with the default allocator to learn which file, at which offset, holds each table; each
    file's address then follows from any one table inside it. Contradicting addresses are an InputError.
    """
    image = link(snapshot)
    walked = walk_image(image, snapshot)
    placement: dict[str, int] = {}
    found = {t.signature: t for t in reversed(walked.acpi)}  # the first of each signature wins
    if walked.rsdp is not None:
        found["RSDP"] = walked.rsdp
    for signature, guest_address in addresses.items():
        table = found.get(signature)
        if table is None or table.address is None:
            continue
        alloc, offset = image.region_at(table.address)
        address = guest_address - offset
        if placement.setdefault(alloc.name, address) != address:
            raise InputError(f"{signature} at {guest_address:#x} puts {alloc.name!r} at {address:#x}, but other "
                             f"tables put it at {placement[alloc.name]:#x}")
    return placement
