"""The one place that runs ACPICA's iasl: disassembly and its Findings, compiling ASL, a disassembly's namespace."""
from __future__ import annotations

import os
import re
import resource
import shutil
import signal
import struct
import subprocess
import tempfile
from dataclasses import dataclass, field
from typing import Iterable, NamedTuple

from qboot_tables.errors import ToolError
from qboot_tables.findings import ERROR, INFO, WARNING, Finding

IASL = "iasl"
DEFAULT_TIMEOUT = 60.0
# iasl's only inputs are one table and its helpers, so any output this large means it has gone astray; a bad
# length field can make it print table headers forever (measured: 5.7 GB in ten minutes with 20.0925).
OUTPUT_LIMIT = 64 << 20
ACPI_HEADER_SIZE = 36  # ACPI 6.5 §5.2.6
AML_SIGNATURES = ("DSDT", "SSDT")
# `iasl -T ALL` of acpica-tools 20200925: the data tables iasl knows and disassembles field by field. With the
# AML definition blocks, these are the tables iasl can check; of any other it decodes the header alone.
IASL_KNOWN = frozenset("""APIC ASF! BERT BGRT BOOT CPEP CSRT DBG2 DBGP DMAR DRTM ECDT EINJ ERST FACP FACS FPDT GTDT
HEST HMAT HPET IORT IVRS LPIT MCFG MCHI MPST MSCT MSDM MTMR NFIT PCCT PDTT PMTT PPTT RASF RSDT S3PT SBST SDEI SDEV
SLIC SLIT SPCR SPMI SRAT STAO TCPA TPM2 UEFI VRTC WAET WDAT WDDT WDRT WPBT WSMT XENV XSDT""".split())


def iasl_checks(signature: str) -> bool:
    """Whether iasl knows the table well enough for its complaints to mean something."""
    return signature in IASL_KNOWN or signature in AML_SIGNATURES
RSDP_SIGNATURE = b"RSD PTR "
FADT_V5_LENGTH = 268  # ACPI 5.0 §5.2.9: the FADT up to and including the Sleep Status Register
TPM2_BASE_LENGTH = 52  # TCG ACPI Specification, TPM2 table: the header up to and including the Start Method
# Most findings are one line each; a table full of broken AML names would otherwise bury the rest.
MAX_MARKER_FINDINGS = 10


@dataclass(frozen=True)
class IaslResult:
    """One disassembly: the normalised .dsl text, the problems iasl reported, and how it exited."""

    text: str  # "" when iasl wrote no .dsl (or was not run)
    problems: list = field(default_factory=list)  # Findings, table = the signature
    returncode: int | None = None  # None when iasl was not run (an RSDP, a length iasl cannot survive)
    log: str = ""  # iasl's own stdout and stderr, for a human chasing a finding


def iasl_available(binary: str = IASL) -> bool:
    return shutil.which(binary) is not None


def disassemble(data: bytes, signature: str | None = None, *, extra_tables: Iterable[bytes] = (),
                binary: str = IASL, timeout: float = DEFAULT_TIMEOUT, legacy: bool = False) -> IaslResult:
    """Run `iasl -d` on one table in a fresh directory and report what it found wrong.

    iasl exits 0 for a bad checksum, an unknown table or a broken subtable, so the problems come from reading
    its .dsl and its messages. For a DSDT or SSDT, `extra_tables` (other DSDT/SSDTs) are passed with `-e` so
    that calls to methods they define disassemble with the right argument counts. `legacy` asks for ASL 1.0's
    function-call operators (`-dl`) instead of ASL+'s C-style ones.
    """
    data = bytes(data)
    if signature is None:
        signature = _signature_of(data)
    if data.startswith(RSDP_SIGNATURE):
        # iasl only recognises an RSDP while scanning memory, never in a file (it answers "does not contain a
        # valid ACPI table"), so its checksum has to be checked by the caller.
        return IaslResult("", [Finding(INFO, signature, "", "iasl cannot disassemble an RSDP; not checked by iasl")])

    problems: list[Finding] = []
    data, refusal = _trim_to_length(data, signature, problems)
    if refusal:
        return IaslResult("", problems)
    if not iasl_available(binary):
        raise ToolError(f"{binary} not found: install acpica-tools to cross-check ACPI tables")

    helpers = []
    if signature in AML_SIGNATURES or data[:4].decode("latin-1") in AML_SIGNATURES:
        helpers = _usable_helpers(data, extra_tables)

    returncode, log, text = _disassemble_in(data, helpers, binary, timeout, legacy)
    if helpers and _EXTERNALS_FAILED in log:
        # The other definition blocks clash among themselves (firmware ships SSDTs that define the same object
        # for different configurations and loads one of them): iasl then refuses the whole run. The table is
        # disassembled alone instead. Whether the clashing tables are ever loaded together is not known from
        # the tables alone, so the clash is only said.
        clash = next((m for m in map(_FIRMWARE.match, log.splitlines()) if m), None)
        problems.append(Finding(INFO, signature, "", "the other DSDT/SSDTs cannot be loaded together"
                                + (f" ({_SOURCE_SUFFIX.sub('', clash.group(2))})" if clash else "")
                                + "; disassembled alone"))
        returncode, log, text = _disassemble_in(data, [], binary, timeout, legacy)
    elif helpers and not text and _CLASH in log:
        # The table defines an object one of the others defines too (a DSDT and an SSDT both declaring a
        # device's _DSM): iasl stops without a .dsl. An OS loading both meets the same clash, so it is said, and
        # the table is disassembled alone.
        clash = next((m for m in map(_CREATING.search, log.splitlines()) if m), None)
        problems.append(Finding(WARNING, signature, "", "defines "
                                + (f"{clash.group(1)}, " if clash else "an object ")
                                + "which another DSDT/SSDT defines too; disassembled alone"))
        returncode, log, text = _disassemble_in(data, [], binary, timeout, legacy)

    problems += _dsl_problems(text, signature, len(data))
    problems += _log_problems(log, signature, problems)
    if returncode is None:
        problems.append(Finding(ERROR, signature, "", f"iasl did not finish within {timeout:g} s and was stopped"))
    elif returncode < 0:
        problems.append(Finding(ERROR, signature, "", f"iasl was killed by {_signal_name(-returncode)}"))
    elif returncode != 0:
        problems.append(Finding(ERROR, signature, "", f"iasl exited with status {returncode}"))
    if not text:
        problems.append(Finding(ERROR, signature, "", "iasl wrote no disassembly"))
    if not iasl_checks(signature):
        # iasl 20200925 does not know this table, so whatever goes wrong in it says nothing about the table.
        problems = [p if p.severity == INFO else Finding(INFO, p.table, p.field, f"iasl, which does not know "
                                                                                 f"[{signature}]: {p.message}")
                    for p in problems]
    return IaslResult(text, problems, returncode, log)


@dataclass(frozen=True)
class IaslCompile:
    """One compilation of ASL source: the AML iasl wrote, and what it said about the source."""

    aml: bytes  # b"" when iasl wrote no table
    errors: list = field(default_factory=list)  # "line N: message (id)" for each of iasl's errors
    warnings: list = field(default_factory=list)  # the same for its warnings, remarks and optimisation notes
    returncode: int | None = None  # None when iasl did not finish in time
    log: str = ""


# One message in iasl's IDE format (-vi): "table.asl(4) : error    6126 - syntax error".
_IDE_MESSAGE = re.compile(r"^\S+\((\d+)\) : (error|warning|remark|optimize)\s+(\d+) - (.*)$", re.IGNORECASE)


def compile_asl(text: str, *, binary: str = IASL, timeout: float = DEFAULT_TIMEOUT) -> IaslCompile:
    """Compile one ASL DefinitionBlock with iasl in a fresh directory; the AML only when iasl succeeded."""
    if not iasl_available(binary):
        raise ToolError(f"{binary} not found: install acpica-tools to compile ASL")
    with tempfile.TemporaryDirectory(prefix="qboot-iasl-") as work:
        _write(work, "table.asl", text.encode("utf-8"))
        # -vi puts each message on one line with its source line number; -vs drops the banner.
        returncode, log = _run([binary, "-vi", "-vs", "table.asl"], work, timeout)
        aml_path = os.path.join(work, "table.aml")
        aml = b""
        if returncode == 0 and os.path.isfile(aml_path):
            with open(aml_path, "rb") as f:
                aml = f.read()
    errors: list[str] = []
    warnings: list[str] = []
    for line in log.splitlines():
        if m := _IDE_MESSAGE.match(line.strip()):
            (errors if m.group(2).lower() == "error" else warnings).append(
                f"line {m.group(1)}: {m.group(4).strip()} ({m.group(3)})")
    return IaslCompile(aml, errors, warnings, returncode, log)


# iasl's words when the tables given with -e cannot all be loaded (ACPICA common/adisasm.c).
_EXTERNALS_FAILED = "Could not parse external ACPI tables"
# ... and when the table itself cannot be loaded beside them (the log names the object first, in
# "Failure creating named object [\_SB.X], AE_ALREADY_EXISTS").
_CLASH = "Could not parse ACPI tables, AE_ALREADY_EXISTS"
_CREATING = re.compile(r"Failure creating named object (\[.*?\]), AE_ALREADY_EXISTS")


def _disassemble_in(data: bytes, helpers: list[bytes], binary: str, timeout: float,
                    legacy: bool = False) -> tuple[int | None, str, str]:
    """One `iasl -d` run in a fresh directory: (exit status or None on timeout, its log, the normalised .dsl)."""
    with tempfile.TemporaryDirectory(prefix="qboot-iasl-") as work:
        table_file = _write(work, "table.dat", data)
        args = [binary, "-dl"] if legacy else [binary]
        if helpers:
            args += ["-e", *(_write(work, f"extern{i}.dat", t) for i, t in enumerate(helpers))]
        args += ["-d", table_file]
        returncode, log = _run(args, work, timeout)
        dsl_path = os.path.join(work, "table.dsl")
        text = ""
        if os.path.isfile(dsl_path):
            with open(dsl_path, encoding="latin-1") as f:
                text = _normalise(f.read(), work)
    return returncode, log, text


def _signature_of(data: bytes) -> str:
    if data.startswith(RSDP_SIGNATURE):
        return "RSDP"
    return data[:4].decode("latin-1") if len(data) >= 4 else "?"


def _trim_to_length(data: bytes, signature: str, problems: list) -> tuple[bytes, bool]:
    """Give iasl exactly one table; returns (bytes to pass, True when iasl must not run at all).

    iasl reads a binary file as a sequence of tables, so bytes past the length field become a second, garbage
    table, and a length field below the header size makes it loop forever, printing the same header.
    """
    if len(data) < 8:
        problems.append(Finding(ERROR, signature, "length", f"only {len(data)} bytes: no ACPI header to read"))
        return data, True
    declared = struct.unpack_from("<I", data, 4)[0]
    if declared < ACPI_HEADER_SIZE:
        problems.append(Finding(ERROR, signature, "length",
                                f"length field {declared} is below the {ACPI_HEADER_SIZE}-byte header; "
                                "not passed to iasl, which never finishes on it"))
        return data, True
    if declared < len(data):
        problems.append(Finding(WARNING, signature, "length",
                                f"{len(data) - declared} bytes after the table's length of {declared} "
                                "were not disassembled"))
        return data[:declared], False
    # A length beyond the data is left for iasl to report ("too long for file"), which it does safely.
    return data, False


def _usable_helpers(table: bytes, extra_tables: Iterable[bytes]) -> list[bytes]:
    """The extra tables iasl can take with -e: whole DSDT/SSDTs, not the table itself (a duplicate namespace
    makes iasl fail with AE_ALREADY_EXISTS), and never one whose length would send iasl into its loop."""
    helpers: list[bytes] = []
    for extra in extra_tables:
        extra = bytes(extra)
        if len(extra) < ACPI_HEADER_SIZE or extra[:4].decode("latin-1") not in AML_SIGNATURES:
            continue
        declared = struct.unpack_from("<I", extra, 4)[0]
        if declared < ACPI_HEADER_SIZE or declared > len(extra):
            continue
        extra = extra[:declared]
        if extra == table or extra in helpers:
            continue
        # Two DSDTs define the same root objects, which iasl refuses (AE_ALREADY_EXISTS).
        if extra[:4] == b"DSDT" and (table[:4] == b"DSDT" or any(h[:4] == b"DSDT" for h in helpers)):
            continue
        helpers.append(extra)
    return helpers


def _write(directory: str, name: str, data: bytes) -> str:
    with open(os.path.join(directory, name), "wb") as f:
        f.write(data)
    return name


def _limit_output():
    # Runs in the child: a runaway iasl gets SIGXFSZ instead of filling the disk.
    resource.setrlimit(resource.RLIMIT_FSIZE, (OUTPUT_LIMIT, OUTPUT_LIMIT))


def _run(args: list[str], work: str, timeout: float) -> tuple[int | None, str]:
    """Run iasl in `work` with its output going to a file there; returns (exit status or None on timeout, log)."""
    log_path = os.path.join(work, "iasl.log")
    with open(log_path, "wb") as log:
        try:
            process = subprocess.Popen(args, cwd=work, stdin=subprocess.DEVNULL, stdout=log,
                                       stderr=subprocess.STDOUT, preexec_fn=_limit_output)
        except OSError as e:
            raise ToolError(f"cannot run {args[0]}: {e}") from None
        try:
            returncode = process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
            returncode = None
    with open(log_path, "rb") as log:
        text = log.read(1 << 20).decode("latin-1")
    return returncode, text


def _signal_name(number: int) -> str:
    try:
        return signal.Signals(number).name
    except ValueError:
        return f"signal {number}"


# " * Disassembly of table.dat, Wed Nov 25 04:12:34 2026": the only line that differs between two runs.
_DISASSEMBLY_OF = re.compile(r"^ \* Disassembly of .*\n", re.MULTILINE)


def _normalise(text: str, work: str) -> str:
    text = _DISASSEMBLY_OF.sub("", text)
    return text.replace(work + os.sep, "").replace(work, "")


# What iasl writes into the .dsl (ACPICA common/dmtable.c, dmtbdump*.c, adisasm.c). Data tables put the
# checksum remark in a comment after the field, AML tables in the header comment after "****".
_CHECKSUM = re.compile(r"Checksum\s*:?\s*(?:0x)?([0-9A-Fa-f]{2})\b"
                       r".*Incorrect checksum, should be (?:0x)?([0-9A-Fa-f]+)")
_UNKNOWN_TABLE = re.compile(r"\*\*\*\* Unknown ACPI table signature \[(.*)\]")
_UNKNOWN_SUBTABLE = re.compile(r"\*\*\*\* Unknown (\S+) subtable type (0x[0-9A-Fa-f]+)")
# The DSDT/SSDT header remark on revision 1 (32-bit integers): a property of the table, not a fault.
_REVISION_REMARK = re.compile(r"^\s*\*\s+Revision\s+0x[0-9A-Fa-f]+ \*\*\*\* 32-bit table")


def _dsl_problems(text: str, signature: str, table_length: int) -> list[Finding]:
    problems = []
    markers = []
    for number, line in enumerate(text.splitlines(), 1):
        stripped = line.strip()
        if m := _CHECKSUM.search(line):
            problems.append(Finding(ERROR, signature, "checksum",
                                    f"incorrect checksum 0x{m.group(1).upper()}, should be 0x{m.group(2).upper()}"))
        elif "Invalid zero length subtable" in line:
            problems.append(Finding(ERROR, signature, "", f"invalid zero-length subtable (.dsl line {number}); "
                                                          "iasl stopped decoding there"))
        elif "subtable terminates early - may be older version" in line:
            # iasl's layout of the subtable is a later spec version's (a 76-byte ACPI 5.1 GICC against its
            # 80-byte one): the fields that are there were decoded (common/dmtable.c AcpiDmDumpTable).
            problems.append(Finding(INFO, signature, "", f"a subtable shorter than iasl's layout of it, as an older "
                                                         f"spec version made it (.dsl line {number})"))
        elif "terminates in the middle of a data structure" in line:
            if signature == "FACP" and table_length == FADT_V5_LENGTH:
                # ACPICA's AcpiDmDumpFadt (common/dmtbdump.c) dumps the ACPI 6.0 Hypervisor ID whenever the
                # FADT is longer than the 244-byte revision 3 one, so a whole ACPI 5.0 FADT looks cut short.
                problems.append(Finding(INFO, signature, "", "iasl expects a Hypervisor ID in every FADT above 244 "
                                                             "bytes; a 268-byte (ACPI 5.0) FADT is complete"))
            elif signature == "TPM2" and table_length == TPM2_BASE_LENGTH:
                # iasl 20200925 dumps the optional trailer after the Start Method (revision 4's parameters and
                # log area; revision 3's reserved word for start method 2) with a subtable length of 0, which
                # turns off its own "subtable terminates early" test (common/dmtbdump3.c AcpiDmDumpTpm2 and
                # AcpiDmDumpTpm2Rev3, common/dmtable.c AcpiDmDumpTable); Linux takes a 52-byte TPM2
                # (drivers/char/tpm/tpm_crb.c checks only sizeof(struct acpi_table_tpm2)).
                problems.append(Finding(INFO, signature, "", "iasl expects a trailer after the Start Method; "
                                                             "a 52-byte TPM2 without one is complete"))
            elif signature == "FACP":
                # iasl dumps the FADT in fixed revision blocks and stops at a field the table is too short for,
                # but ACPICA reads an FADT of any length (tbfadt.c AcpiTbCreateLocalFadt); the length itself is
                # our FADT check's business.
                problems.append(Finding(INFO, signature, "", f"iasl's dump of this {table_length}-byte FADT stops "
                                                             f"inside a field; ACPICA reads any FADT length"))
            else:
                problems.append(Finding(ERROR, signature, "", "the table ends in the middle of a subtable"))
        elif m := _UNKNOWN_TABLE.search(line):
            # An unknown signature is not wrong in itself: iasl 20200925 only decodes the header.
            problems.append(Finding(INFO, signature, "signature",
                                    f"iasl does not know table signature [{m.group(1)}]; only its header was decoded"))
        elif m := _UNKNOWN_SUBTABLE.search(line):
            # Types this iasl does not know may be newer than it, or reserved: worth a look, not proof of a fault.
            problems.append(Finding(WARNING, signature, "", f"unknown {m.group(1)} subtable type {m.group(2)}"))
        elif _REVISION_REMARK.search(line):
            problems.append(Finding(INFO, signature, "revision",
                                    "revision 1 DSDT/SSDT: AML integers are 32 bits wide"))
        elif "****" in line:
            markers.append(f".dsl line {number}: {stripped}")
    for marker in markers[:MAX_MARKER_FINDINGS]:
        problems.append(Finding(ERROR, signature, "", f"iasl marked a problem at {marker}"))
    if len(markers) > MAX_MARKER_FINDINGS:
        problems.append(Finding(ERROR, signature, "",
                                f"... and {len(markers) - MAX_MARKER_FINDINGS} more lines marked \"****\""))
    return problems


# iasl's own messages (ACPICA utilities/utxferror.c prefixes, compiler/aslmessages.c). The trailing
# "(20200925/tbprint-234)" names ACPICA's source line and is dropped so repeats compare equal.
_INPUT_FILE = re.compile(r"^Input file (\S+), Length")
_SOURCE_SUFFIX = re.compile(r"\s*\(\d{8}/[\w.-]+\)\s*$")
_FIRMWARE = re.compile(r"^\s*Firmware (Error|Warning) \(ACPI\): (.*)$")
_ACPICA = re.compile(r"^\s*ACPI (Error|Exception|Warning): (.*)$")
_COMPILER = re.compile(r"^\s*(Error|Warning)\s+\d+\s+-\s+(.*)$")
_EXTERNALS = re.compile(r"iASL Warning: There (?:was|were) (\d+) external control methods? found")
_UNRESOLVED = re.compile(r"but only (\d+) were resolved \((\d+) unresolved\)")
_TOO_LONG = re.compile(r"Table \[(.*)\] is too long for file - needs: (0x[0-9A-Fa-f]+), "
                       r"remaining in file: (0x[0-9A-Fa-f]+)")
_NOT_A_TABLE = ("does not contain a valid ACPI table", "Could not parse ACPI tables",
                "Could not get ACPI tables", "Could not open")


def _log_problems(log: str, signature: str, already: list[Finding]) -> list[Finding]:
    problems: list[Finding] = []
    seen = {(f.severity, f.message) for f in already}

    def add(severity, message, field_name=""):
        if (severity, message) not in seen:
            seen.add((severity, message))
            problems.append(Finding(severity, signature, field_name, message))

    have_checksum = any(f.field == "checksum" for f in already)
    reading_helper = False
    lines = log.splitlines()
    for index, line in enumerate(lines):
        line = _SOURCE_SUFFIX.sub("", line)
        if m := _INPUT_FILE.match(line):
            reading_helper = m.group(1) != "table.dat"
        elif m := _FIRMWARE.match(line):
            if "Incorrect checksum" in m.group(2):
                # A helper's checksum is its own business (it is checked when it is disassembled itself), and
                # the .dsl already gave the main table's with its field.
                if not (reading_helper or have_checksum):
                    add(ERROR, m.group(2), "checksum")
                continue
            add(ERROR if m.group(1) == "Error" else WARNING, m.group(2))
        elif m := _ACPICA.match(line):
            if signature == "FACS" and "invalid ASCII character" in m.group(2):
                # The FACS has no standard header (ACPI 6.5 §5.2.10), but iasl checks one's OEM fields anyway
                # (ACPICA common/acfileio.c).
                add(INFO, "iasl: " + m.group(2))
            elif m.group(1) == "Warning" and m.group(2).startswith("NsLookup: Type mismatch"):
                # The disassembler's own namespace lookup expected a Buffer where AML may legally use a field
                # (QEMU's NVDIMM SSDT does CreateField on a RegionField): about iasl, not about the table.
                add(INFO, "iasl: " + m.group(2))
            elif m.group(2).startswith("Invalid character(s) in name"):
                add(ERROR, m.group(2))  # AML names are [A-Z_][A-Z0-9_]{3}: the AML byte stream is corrupt
            else:
                add(WARNING if m.group(1) == "Warning" else ERROR, m.group(2))
        elif m := _EXTERNALS.search(line):
            following = " ".join(lines[index:index + 3])
            unresolved = _UNRESOLVED.search(following)
            count = unresolved.group(2) if unresolved else m.group(1)
            add(WARNING, f"{count} external control method(s) unresolved: their argument counts were guessed "
                         "(pass the other DSDT/SSDTs as extra_tables)")
        elif m := _TOO_LONG.search(line):
            add(ERROR, f"truncated: the length field says {int(m.group(2), 16)} bytes, "
                       f"only {int(m.group(3), 16)} present", "length")
        elif any(phrase in line for phrase in _NOT_A_TABLE):
            add(ERROR, "iasl: " + line.strip())
        elif m := _COMPILER.match(line):
            add(ERROR if m.group(1) == "Error" else WARNING, "iasl: " + m.group(2).strip())
    return problems


# The namespace an ASL text declares: what `iasl -d` wrote, read back as the objects a definition block creates
# when it is loaded (ACPI 6.5 §5.3, §19.6). Methods' bodies run later, so what they declare is left out; module
# level If/Else/While blocks are read, as their objects are all written in the table.

# The declaring keywords: the object type each makes, and which argument is its name (-1: the last).
_DECLARATIONS = {
    "Device": ("Device", 0), "Method": ("Method", 0), "Name": ("Name", 0), "Processor": ("Processor", 0),
    "PowerResource": ("PowerResource", 0), "ThermalZone": ("ThermalZone", 0),
    "OperationRegion": ("OperationRegion", 0), "DataTableRegion": ("DataTableRegion", 0),
    "Mutex": ("Mutex", 0), "Event": ("Event", 0), "Alias": ("Alias", 1),
    "CreateBitField": ("BufferField", -1), "CreateByteField": ("BufferField", -1),
    "CreateWordField": ("BufferField", -1), "CreateDWordField": ("BufferField", -1),
    "CreateQWordField": ("BufferField", -1), "CreateField": ("BufferField", -1),
}
# Declarations whose block holds more of the namespace, scoped under their own name.
_SCOPING = frozenset({"Device", "Processor", "PowerResource", "ThermalZone"})
_FIELD_LISTS = frozenset({"Field", "IndexField", "BankField"})
# Blocks whose objects belong to the enclosing scope. iasl rebuilds Switch/Case from the If/While the compiler
# made of them, so they may appear too.
_CONDITIONALS = frozenset({"If", "Else", "ElseIf", "While", "Switch", "Case", "Default"})
_STATEMENTS = frozenset(_DECLARATIONS) | _FIELD_LISTS | _CONDITIONALS | {"Scope", "External", "DefinitionBlock"}
# ASL keywords are written in mixed case and names in capitals (iasl prints both so), so a name never reads as
# a keyword. A token is a string with its escapes, a name or path (\_SB.PCI0, ^^LNKA, a lone \ for the root),
# a number, or a bracket or comma; operators and the like are dropped with the comments and spaces, as nothing
# here depends on them. iasl prints each byte of a name that is not a name character as "*" (F*O for F\x01O_),
# so "*" is a name character here, and a multiplication sign a name of its own.
_COMMENT = r"//[^\n]*+|/\*.*?(?:\*/|\Z)"
_IGNORED = r"[^\"/\\^A-Za-z_0-9*(){},]*+(?:(?:%s|/)[^\"/\\^A-Za-z_0-9*(){},]*+)*+" % _COMMENT
_ASL_TOKEN = re.compile(_IGNORED + r"""(?:
      (?P<string> "(?:[^"\\]|\\.)*"? )
    | (?P<name> [\\^]*[A-Za-z_*][A-Za-z0-9_.*]* | \\ | \^+ )
    | (?P<number> [0-9][A-Za-z0-9]* )
    | (?P<bracket> [(){},] ))""", re.VERBOSE | re.DOTALL)
# A group that is skipped whole (a method body, a package's data) ends at its own closing bracket, and only
# its own kind of bracket counts (the other kind balances inside it); a match runs from one such bracket to the
# next, over strings and comments, so that the brackets in those do not count.
_BRACKETS = {
    opening: re.compile(r'[^"/%(b)s]*+(?:(?:"(?:[^"\\]|\\.)*+"?|%(c)s|/)[^"/%(b)s]*+)*+([%(b)s])'
                        % {"b": re.escape(opening + closing), "c": _COMMENT}, re.DOTALL)
    for opening, closing in (("(", ")"), ("{", "}"))
}


class AslSyntaxError(ValueError):
    """ASL text that dsl_namespace cannot follow: unbalanced brackets, or a declaration without a name."""


class _Token(NamedTuple):
    kind: str  # "string", "name", "number" or "bracket" (which includes the comma)
    text: str
    start: int
    end: int


def dsl_namespace(text: str) -> list[dict]:
    """The objects an ASL definition block declares outside method bodies, in order of appearance:
    [{"path": "\\\\_SB_.PCI0._HID", "type": "Name"}, ...], paths absolute, each segment padded to four
    characters. A path declared twice is listed twice. Raises AslSyntaxError on text it cannot follow."""
    return _NamespaceReader(text).read()


def _pad(segment: str) -> str:
    # iasl prints a name without its trailing underscores (_SB for _SB_); in AML every segment is four bytes.
    return segment + "_" * (4 - len(segment))


def _resolve(scope: str, name: str) -> str:
    """The absolute path of `name` written inside `scope` (an absolute path), without the search rules."""
    if name.startswith("\\"):
        segments, name = [], name[1:]
    else:
        segments = scope[1:].split(".") if scope != "\\" else []
        while name.startswith("^"):
            segments, name = segments[:-1], name[1:]
    segments += [_pad(s) for s in name.split(".") if s]
    return "\\" + ".".join(segments)


class _NamespaceReader:
    """One pass over a definition block's text, token by token outside method bodies, keeping the scope."""

    def __init__(self, text: str):
        self.text = text
        self.objects: list[dict] = []
        self.known: set[str] = set()  # paths declared so far, External's, and Scope()'s targets
        self.token = self._token_at(0)

    def read(self) -> list[dict]:
        while self.token is not None:
            if self._at("}"):
                raise self._error("'}' with no block open")
            self._statement("\\")
        return self.objects

    def _token_at(self, position: int) -> _Token | None:
        m = _ASL_TOKEN.match(self.text, position)
        if m is None or m.lastgroup is None:  # a match always ends in one of the named groups
            return None
        kind = m.lastgroup
        return _Token(kind, m.group(kind), m.start(kind), m.end())

    def _here(self) -> _Token:
        """The token at the cursor, where the text must go on."""
        if self.token is None:
            raise self._error("the text ends where more was expected")
        return self.token

    def _advance(self) -> _Token:
        token = self._here()
        self.token = self._token_at(token.end)
        return token

    def _at(self, text: str) -> bool:
        return self.token is not None and self.token.kind == "bracket" and self.token.text == text

    def _error(self, message: str) -> AslSyntaxError:
        position = self.token.start if self.token is not None else len(self.text)
        return AslSyntaxError(f"line {self.text.count(chr(10), 0, position) + 1}: {message}")

    def _add(self, path: str, kind: str):
        self.objects.append({"path": path, "type": kind})
        self.known.add(path)

    def _statement(self, scope: str):
        token = self._here()
        keyword = token.text if token.kind == "name" and token.text in _STATEMENTS else None
        if keyword is None:
            self._skip_expression()
            return
        self._advance()
        arguments = self._arguments() if self._at("(") else []
        if keyword == "External":
            if arguments and len(arguments[0]) == 1:
                self.known.add(_resolve(scope, arguments[0][0].text))
        elif keyword == "DefinitionBlock":
            if self._at("{") and self._token_at(self._here().end) is None:
                # A table with nothing after its header: iasl 20200925 writes the opening brace and stops.
                self._advance()
            else:
                self._block("\\")
        elif keyword == "Scope":
            target = self._scope_target(scope, self._name(arguments, 0))
            self.known.add(target)
            self._block(target)
        elif keyword in _FIELD_LISTS:
            self._field_units(scope)
        elif keyword in _CONDITIONALS:
            if self._at("{"):
                self._block(scope)
        else:
            kind, index = _DECLARATIONS[keyword]
            path = _resolve(scope, self._name(arguments, index))
            self._add(path, kind)
            if keyword == "Method":
                self._skip_group()  # the body runs when called: what it declares is not in the table's namespace
            elif keyword in _SCOPING:
                self._block(path)

    def _name(self, arguments: list[list[_Token]], index: int) -> str:
        if not arguments or index >= len(arguments) or len(arguments[index]) != 1 \
                or arguments[index][0].kind != "name":
            raise self._error("a declaration without a plain name where its name belongs")
        return arguments[index][0].text

    def _scope_target(self, scope: str, name: str) -> str:
        # Scope() refers to an object that exists, so a single name is looked up in the enclosing scopes too
        # (ACPI 6.5 §5.3: the search rules); the nearest one declared or referred to before wins.
        if name[0] in "\\^" or "." in name:
            return _resolve(scope, name)
        at = scope
        while True:
            candidate = _resolve(at, name)
            if candidate in self.known:
                return candidate
            if at == "\\":
                return _resolve(scope, name)
            at = at.rsplit(".", 1)[0] if "." in at else "\\"

    def _items(self, closing: str) -> list[list[_Token]]:
        """The comma-separated items up to `closing`, each as its tokens, the cursor then past `closing`;
        brackets inside an item are kept in it, and a group in braces (a package's data) is skipped whole."""
        items: list[list[_Token]] = []
        item: list[_Token] = []
        while not self._at(closing):
            token = self.token
            if token is None:
                raise self._error("a bracket that is never closed")
            if self._at(","):
                items.append(item)
                item = []
                self._advance()
            elif self._at("{"):
                item.append(token)
                self._skip_group()
            elif self._at("("):
                self._advance()
                item += [token, *(t for inner in self._items(")") for t in inner)]
            elif token.kind == "bracket":
                raise self._error(f"'{token.text}' where '{closing}' was expected")
            else:
                item.append(self._advance())
        self._advance()
        return items + [item]

    def _arguments(self) -> list[list[_Token]]:
        self._advance()
        return self._items(")")

    def _skip_group(self):
        """Step over the bracketed group at the cursor, whatever it holds."""
        if not (self._at("(") or self._at("{")):
            raise self._error("expected '(' or '{'")
        pattern, opening, depth = _BRACKETS[self.token.text], self.token.text, 0
        position = self.token.start
        # match() and not finditer(): a search would resume inside a string after a failed match.
        while m := pattern.match(self.text, position):
            depth += 1 if m.group(1) == opening else -1
            position = m.end()
            if depth == 0:
                self.token = self._token_at(position)
                return
        raise self._error("a bracket that is never closed")

    def _block(self, scope: str):
        if not self._at("{"):
            raise self._error("expected '{'")
        self._advance()
        while not self._at("}"):
            if self.token is None:
                raise self._error("a block that is never closed")
            self._statement(scope)
        self._advance()

    def _skip_expression(self):
        # Module-level code (`Notify (...)`, ASL+'s `FOO = One`) has no terminator: it runs up to the next
        # statement keyword or the end of the block. Its brackets are data or arguments, never declarations.
        if self._at(")") or self._at(","):
            raise self._error(f"'{self.token.text}' with no bracket open")
        moved = False
        while self.token is not None and not self._at("}") and not self._at(")"):
            if moved and self.token.kind == "name" and self.token.text in _STATEMENTS:
                return
            if self._at("(") or self._at("{"):
                self._skip_group()
            else:
                self._advance()
            moved = True

    def _field_units(self, scope: str):
        # Field units are `NAME, 8,` items; unnamed ones (`, 4,`), Offset (), AccessAs () and Connection () are
        # not objects. The units belong to the scope the Field is in, not to its region's.
        if not self._at("{"):
            raise self._error("a field list without its '{'")
        self._advance()
        for item in self._items("}"):
            if len(item) == 1 and item[0].kind == "name":
                self._add(_resolve(scope, item[0].text), "Field")
