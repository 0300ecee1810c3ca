"""The command line: `qboot-tables dump|capture|generate|asl|diff` and `dump-tables`.

Exit status: 0 all well, 1 problems in the tables (or, for diff, differences), 2 usage or unreadable input.
"""
from __future__ import annotations

import argparse
import gc
import os
import re
import sys

from typing import TYPE_CHECKING

from qboot_tables.errors import InputError, LoaderError, QbootTablesError, UsageError, quote

if TYPE_CHECKING:  # the readers are imported only when a command needs them (start-up time)
    from qboot_tables.read.walk import TableSet

EXIT_OK, EXIT_FINDINGS, EXIT_USAGE = 0, 1, 2


class _HelpFormatter(argparse.RawDescriptionHelpFormatter):
    """argparse's formatter, sized with os.get_terminal_size: the stock one imports shutil (and with it zlib,
    bz2 and lzma) on every run just to learn the width, a noticeable share of a dump's start-up. Epilogs keep
    their lines, so examples stay one to a line."""

    width = 0  # the terminal's, asked once: argparse makes a formatter for every argument it adds

    def __init__(self, prog):
        if not _HelpFormatter.width:
            try:
                _HelpFormatter.width = int(os.environ.get("COLUMNS", 0)) or os.get_terminal_size().columns
            except (OSError, ValueError):
                _HelpFormatter.width = 80
        super().__init__(prog, width=_HelpFormatter.width - 2)


# A 64-bit guest address in hex or decimal, ASCII digits only (int() would also take "１", "1_0" and spaces).
_ADDRESS = re.compile(r"0[xX][0-9a-fA-F]{1,16}|[0-9]{1,20}")


def _address(text: str) -> int:
    if not _ADDRESS.fullmatch(text) or int(text, 0) >> 64:
        raise UsageError(f"{quote(text)} is not a 64-bit address (use 0x... or decimal)")
    return int(text, 0)


def _seconds(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        value = -1.0
    if not 0 < value <= 3600:  # also refuses nan and inf
        raise argparse.ArgumentTypeError(f"{quote(text)} is not a number of seconds from 0 to 3600")
    return value


def parse_alloc(items) -> dict[str, int]:
    placement = {}
    for item in items or ():
        name, sep, address = item.rpartition("=")
        if not sep or not name:
            raise UsageError(f"--alloc {quote(item)}: expected NAME=ADDR, e.g. etc/acpi/rsdp=0xf5a10")
        placement[name] = _address(address)
    return placement


# The sections --only takes besides table signatures and their aliases (tables.SIGNATURE_ALIASES).
SECTIONS = ("RSDP", "SMBIOS", "E820", "LOADER", "MPTABLE", "FWCFG")
# dmidecode 3.4's -t keywords and the types each stands for (dmiopt.c, opt_type_keyword).
SMBIOS_KEYWORDS = {
    "bios": (0, 13), "system": (1, 12, 15, 23, 32), "baseboard": (2, 10, 41), "chassis": (3,), "processor": (4,),
    "memory": (5, 6, 16, 17), "cache": (7,), "connector": (8,), "slot": (9,),
}
EXIT_CODES = """exit status:
  0  all well
  1  problems found in the tables (diff: the table sets differ)
  2  usage error or unreadable input"""
DUMP_EXAMPLES = """examples:
  {prog}                                 this machine's tables (/sys/firmware; as root)
  {prog} fixtures/qemu-7.2/q35-smp4      a capture: linked, walked, checked, printed
  {prog} /sys/firmware/acpi/tables       Linux's ACPI tables (or acpidump text, a table, an SMBIOS dump)
  {prog} CAPTURE --only madt,fadt        only these tables (names and signatures, any case)
  {prog} CAPTURE -t processor -t 17      SMBIOS types by dmidecode keyword or number
  {prog} CAPTURE --summary               CPUs, APIC IDs, NUMA nodes and RAM in one line
  {prog} CAPTURE --json | jq .summary    the same rows as JSON
  {prog} CAPTURE --out tables/           the linked tables as files (iasl and dmidecode read them)

"""
CAPTURE_EXAMPLES = """examples:
  qboot-tables capture --out q35 -- -M q35 -smp 4
  qboot-tables capture --out pc --timeout 120 -- -M pc -m 2G -numa node -numa node

"""
GENERATE_EXAMPLES = """examples:
  qboot-tables generate --out tables -- -M q35 -smp 8
  qboot-tables generate --out capture --format capture -- -M pc -smp 2,maxcpus=4

"""
ASL_EXAMPLES = """examples:
  qboot-tables asl fixtures/qemu-7.2/q35-smp4
  qboot-tables asl /sys/firmware/acpi/tables --out dsl/

"""
DIFF_EXAMPLES = """examples:
  qboot-tables diff q35-smp4 q35-numa2             field by field, what B changes in A
  qboot-tables diff capture acpidump.txt           only what both can hold (no SMBIOS or e820 in acpidump)
  qboot-tables diff A B --strict                   a section only one side has counts as removed or added
  qboot-tables diff A B --only madt,dsdt --json    these tables only, as JSON

"""


class _VersionAction(argparse.Action):
    """--version: the version is read from the package metadata only when asked for (importlib.metadata is
    slow to import)."""

    def __init__(self, option_strings, dest=argparse.SUPPRESS, default=argparse.SUPPRESS, help=None):
        super().__init__(option_strings, dest=dest, default=default, nargs=0, help=help)

    def __call__(self, parser, namespace, values, option_string=None):
        import qboot_tables

        print(f"{parser.prog.split()[0]} {qboot_tables.__version__}")
        parser.exit()


def known_only_names() -> list[str]:
    from qboot_tables.tables import SIGNATURE_ALIASES, TABLE_MODULES

    return list(SECTIONS) + sorted(SIGNATURE_ALIASES) + sorted(TABLE_MODULES)


def parse_only(text: str | None) -> tuple[set[str] | None, set[str]]:
    """--only's names as signatures and section names, and those not known here (a signature the registry does
    not know, such as an OEM table's, is accepted once an input shows it has one)."""
    if not text:
        return None, set()
    from qboot_tables.tables import SIGNATURE_ALIASES, TABLE_MODULES

    names, unknown = set(), set()
    for item in (i.strip() for i in text.split(",")):
        if not item:
            continue
        name = SIGNATURE_ALIASES.get(item.upper(), item.upper())
        if name in SECTIONS or name in TABLE_MODULES:
            names.add(name)
        else:
            names.add(item if len(item) == 4 else name)
            unknown.add(item if len(item) == 4 else name)
    return names, unknown


def check_only(unknown: set[str], tablesets) -> None:
    """Refuse --only names that are neither known nor a signature of a table in these inputs."""
    seen = {t.signature for ts in tablesets for t in ts.acpi}
    missing = sorted(n for n in unknown if n not in seen and n.upper() not in {s.upper() for s in seen})
    if missing:
        raise UsageError(f"--only: unknown name{'s' if len(missing) > 1 else ''} "
                         f"{', '.join(quote(m) for m in missing)}; known: {', '.join(known_only_names())}")


def parse_types(items) -> set[int] | None:
    """-t/--type as dmidecode takes it: numbers (0-255, decimal or 0x hex) and keywords, comma-separated."""
    if not items:
        return None
    types: set[int] = set()
    for item in (i.strip() for text in items for i in text.split(",")):
        if item.lower() in SMBIOS_KEYWORDS:
            types.update(SMBIOS_KEYWORDS[item.lower()])
        elif re.fullmatch(r"0[xX][0-9a-fA-F]{1,2}|[0-9]{1,3}", item) and int(item, 0) <= 255:
            types.add(int(item, 0))
        else:
            raise UsageError(f"-t/--type {quote(item)}: not a type number (0-255) nor a keyword; keywords: "
                             f"{', '.join(SMBIOS_KEYWORDS)}")
    return types


def add_dump_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("inputs", nargs="*", metavar="INPUT",
                   help="capture dir, qemu_fw_cfg by_name dir, ACPI tables dir, raw table, acpidump text, "
                        "SMBIOS dump, MP table; none: this machine's /sys/firmware/acpi/tables, "
                        "/sys/firmware/dmi/tables and /sys/firmware/qemu_fw_cfg")
    p.add_argument("--json", action="store_true", help="one JSON document per input instead of text")
    p.add_argument("--only", metavar="NAME[,NAME...]",
                   help="only these tables, in any case: signatures (APIC, FACP, DSDT, SSDT...), aliases MADT and "
                        "FADT, and RSDP, SMBIOS, E820, LOADER, MPTABLE, FWCFG")
    p.add_argument("-t", "--type", action="append", metavar="TYPE[,TYPE...]",
                   help="only these SMBIOS types, by number or dmidecode keyword: "
                        + ", ".join(SMBIOS_KEYWORDS) + " (repeatable)")
    p.add_argument("--summary", action="store_true", help="print only the summary (CPUs, APIC IDs, NUMA, RAM)")
    p.add_argument("--iasl", action="store_true", help="cross-check every ACPI table with `iasl -d`")
    p.add_argument("--alloc", action="append", metavar="NAME=ADDR",
                   help="place the fw_cfg file NAME at ADDR instead of the default allocator (repeatable)")
    p.add_argument("--out", metavar="DIR",
                   help="write each linked table as DIR/<SIG>, DIR/RSDP, DIR/smbios.bin, DIR/e820.bin")
    p.add_argument("--acpidump", metavar="FILE", help="write the tables as acpidump text (acpixtract reads it)")
    add_force_argument(p)


def add_force_argument(p: argparse.ArgumentParser) -> None:
    p.add_argument("--force", action="store_true",
                   help="let --out replace a non-empty folder that qboot-tables did not write")


def _epilog(examples: str, prog: str = "") -> str:
    return examples.format(prog=prog) + EXIT_CODES


def _dump_parser(sub) -> None:
    add_dump_arguments(sub.add_parser("dump", help="decode, check and print table sets",
                                      description="Decode, check and print firmware tables.",
                                      formatter_class=_HelpFormatter,
                                      epilog=_epilog(DUMP_EXAMPLES, "qboot-tables dump")))


def _capture_parser(sub) -> None:
    cap = sub.add_parser("capture", help="capture fw_cfg from QEMU over qtest, with no guest code running",
                         description="Capture fw_cfg from QEMU over qtest, with no guest code running.",
                         formatter_class=_HelpFormatter, epilog=_epilog(CAPTURE_EXAMPLES))
    cap.add_argument("--out", required=True, metavar="DIR", help="capture directory to write")
    cap.add_argument("--qemu", default="qemu-system-x86_64", help="QEMU binary (default: %(default)s)")
    cap.add_argument("--timeout", type=_seconds, default=60.0, help="seconds before QEMU is abandoned")
    add_force_argument(cap)
    cap.add_argument("qemu_args", nargs=argparse.REMAINDER, help="-- then QEMU arguments, e.g. -M q35 -smp 4")


def _generate_parser(sub) -> None:
    gen = sub.add_parser("generate", help="generate a machine's tables from its QEMU command line, no QEMU needed",
                         description="Generate a machine's tables from its QEMU command line, no QEMU needed.",
                         formatter_class=_HelpFormatter, epilog=_epilog(GENERATE_EXAMPLES))
    gen.add_argument("--out", required=True, metavar="DIR", help="directory to write")
    gen.add_argument("--format", choices=("tables", "capture"), default="tables",
                     help="linked tables as dump --out writes them (plus mptable.bin), or a capture directory")
    add_force_argument(gen)
    gen.add_argument("qemu_args", nargs=argparse.REMAINDER, help="-- then QEMU arguments, e.g. -M q35 -smp 8")


def _asl_parser(sub) -> None:
    asl = sub.add_parser("asl", help="disassemble every DSDT and SSDT of a table set to ASL, as iasl -dl does",
                         description="Disassemble every DSDT and SSDT of a table set to ASL, as iasl -dl does.",
                         formatter_class=_HelpFormatter, epilog=_epilog(ASL_EXAMPLES))
    asl.add_argument("input", metavar="INPUT", help="any input dump reads")
    asl.add_argument("--out", metavar="DIR", help="write DIR/<table>.dsl instead of printing them")
    add_force_argument(asl)


def _diff_parser(sub) -> None:
    dif = sub.add_parser("diff", help="compare two table sets field by field (any inputs dump reads)",
                         description="Compare two table sets field by field (any inputs dump reads). Only the "
                                     "sections both inputs can carry are compared, unless --strict.",
                         formatter_class=_HelpFormatter, epilog=_epilog(DIFF_EXAMPLES))
    dif.add_argument("a", metavar="A")
    dif.add_argument("b", metavar="B")
    dif.add_argument("--json", action="store_true", help="the differences as one JSON document")
    dif.add_argument("--only", metavar="NAME[,NAME...]", help="compare only these, as dump's --only takes them")
    dif.add_argument("--strict", action="store_true",
                     help="compare every section: one that only one side carries (SMBIOS, e820 beside an acpidump) "
                          "is reported as added or removed")


# Each command's parser, in the order `qboot-tables -h` lists them.
_COMMAND_PARSERS = {"dump": _dump_parser, "capture": _capture_parser, "generate": _generate_parser,
                    "asl": _asl_parser, "diff": _diff_parser}


def build_parser(command: str | None = None) -> argparse.ArgumentParser:
    """The whole command line, or, given the command a run names first, only that command's parser: argparse
    asks gettext for its messages in every parser it builds, so the other four cost a dump a tenth of its work.
    Parsing is the same either way, since argparse hands everything after the command to its parser."""
    parser = argparse.ArgumentParser(prog="qboot-tables", description=__doc__.splitlines()[0],
                                     formatter_class=_HelpFormatter, epilog=EXIT_CODES)
    parser.add_argument("--version", action=_VersionAction, help="print the version and exit")
    # Named in full, since the usage line that reports a stray argument is this parser's.
    sub = parser.add_subparsers(dest="command", required=True, metavar="{" + ",".join(_COMMAND_PARSERS) + "}")
    for name, add in _COMMAND_PARSERS.items():
        if command is None or name == command:
            add(sub)
    return parser


def main(argv=None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    parser = build_parser(argv[0] if argv and argv[0] in _COMMAND_PARSERS else None)
    try:
        args = parser.parse_args(argv)
    except SystemExit as e:  # argparse has printed the usage message
        return EXIT_USAGE if e.code else EXIT_OK
    handler = {"dump": run_dump, "capture": run_capture, "diff": run_diff, "generate": run_generate,
               "asl": run_asl}[args.command]
    return _guarded(handler, args, "qboot-tables")


def dump_main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="dump-tables", description="Decode, check and print firmware tables.",
                                     formatter_class=_HelpFormatter, epilog=_epilog(DUMP_EXAMPLES, "dump-tables"))
    parser.add_argument("--version", action=_VersionAction, help="print the version and exit")
    add_dump_arguments(parser)
    try:
        args = parser.parse_args(sys.argv[1:] if argv is None else argv)
    except SystemExit as e:
        return EXIT_USAGE if e.code else EXIT_OK
    return _guarded(run_dump, args, "dump-tables")


def _run_as_script(command) -> None:
    """Run a command as its console script or `python -m qboot_tables` does; command() itself returns, for
    callers in Python.

    A command-line run is short and its inputs are capped in size, so it goes without the cycle collector,
    whose full collections walk every decoded AML node again (a sixth of a large machine's dump); the few
    cycles left over (construct's parse contexts) go with the process. It ends without tearing the
    interpreter down, which would free every object one by one (a twentieth of a small dump)."""
    gc.disable()
    status = command()
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except BrokenPipeError:  # the reader went away (`| head`): what it wanted was written
        pass
    os._exit(status)


def script_main() -> None:
    _run_as_script(main)


def dump_script_main() -> None:
    _run_as_script(dump_main)


def _guarded(handler, args, prog: str) -> int:
    """Run a command; every error becomes one line on stderr that starts with the command's name."""
    if getattr(args, "command", None):
        prog += f" {args.command}"
    try:
        return handler(args)
    except LoaderError as e:
        # The input was read, but its loader script is broken: that is a problem in the tables.
        print(f"{prog}: error: {e}", file=sys.stderr)
        return EXIT_FINDINGS
    except QbootTablesError as e:
        print(f"{prog}: {e}", file=sys.stderr)
        return EXIT_USAGE
    except BrokenPipeError:
        return EXIT_OK
    except KeyboardInterrupt:
        return 130
    except Exception as e:  # a bug of ours: still one line, unless asked for the traceback
        if os.environ.get("QBOOT_TABLES_DEBUG"):
            raise
        print(f"{prog}: internal error: {e.__class__.__name__}: {quote(e)} (QBOOT_TABLES_DEBUG=1 shows the "
              f"traceback)", file=sys.stderr)
        return EXIT_USAGE


def run_capture(args) -> int:
    from qboot_tables.tools.qemu import capture

    snapshot = capture(_qemu_args(args), qemu_binary=args.qemu, timeout=args.timeout)
    snapshot.write_capture(args.out, force=args.force)
    print(f"captured {len(snapshot.files)} fw_cfg files into {args.out}")
    return EXIT_OK


def _qemu_args(args) -> list[str]:
    return args.qemu_args[1:] if args.qemu_args[:1] == ["--"] else args.qemu_args


def run_generate(args) -> int:
    from qboot_tables.check.consistency import check
    from qboot_tables.files import write_folder
    from qboot_tables.findings import ERROR
    from qboot_tables.generate.fwcfg import generate, generate_tables
    from qboot_tables.generate.mptable import parse_mptable
    from qboot_tables.generate.machine import MachineConfig
    from qboot_tables.read.mptable import MPTABLE_FILE
    from qboot_tables.show.output import table_files
    from qboot_tables.show.summary import summarize, summary_line
    from qboot_tables.check.validate import validate

    machine = MachineConfig.from_qemu_args(_qemu_args(args))
    tableset, mptable, mptable_address = generate_tables(machine)
    if args.format == "capture":
        files = generate(machine).capture_files()
    else:
        files = table_files(tableset) | ({MPTABLE_FILE: mptable} if mptable is not None else {})
    findings = validate(tableset) + check(tableset, parse_mptable(mptable, mptable_address) if mptable else None)
    # The whole set replaces the folder, so nothing of an earlier set is left beside it.
    write_folder(args.out, files, "qboot-tables generate", force=args.force)
    for finding in findings:
        if finding.severity != "info":
            print(f"qboot-tables generate: {finding}", file=sys.stderr)
    print(f"generated {machine.machine_type} into {args.out} ({args.format}); "
          + summary_line(summarize(tableset)))
    return EXIT_FINDINGS if any(f.severity == ERROR for f in findings) else EXIT_OK


def run_diff(args) -> int:
    from qboot_tables.show.diff import changes
    from qboot_tables.show.jsontext import dumps
    from qboot_tables.read.inputs import load

    only, unknown = parse_only(args.only)
    a, b = load(args.a), load(args.b)
    check_only(unknown, [a, b])
    found, skipped = changes(a, b, only, strict=args.strict)
    if args.json:
        print(dumps({"a": a.source, "b": b.source, "strict": args.strict, "not_compared": skipped,
                     "differences": [{"section": section, "line": line} for section, line in found]}))
    else:
        for _, line in found:
            print(line)
        if skipped:
            print(f"qboot-tables diff: not compared, as only one side can carry them: {', '.join(skipped)} "
                  f"(--strict compares them)", file=sys.stderr)
    return EXIT_FINDINGS if found else EXIT_OK


def run_asl(args) -> int:
    from qboot_tables.aml.asl import table_asl
    from qboot_tables.aml.namespace import aml_findings
    from qboot_tables.files import check_outputs, write_folder
    from qboot_tables.findings import has_errors
    from qboot_tables.read.inputs import load

    check_outputs([("--out", args.out)], [args.input])
    tableset = load(args.input)
    decoded = tableset.aml()
    if not decoded:
        raise InputError(f"{quote(args.input)} holds no DSDT or SSDT")
    # The whole set is one namespace: each table's External () lines come from the others.
    texts = {f"{name}.dsl": table_asl(table, tables=list(decoded.values())).encode("latin-1")
             for name, table in decoded.items()}
    findings = aml_findings(list(decoded.values()))
    if args.out:
        write_folder(args.out, texts, "qboot-tables asl", force=args.force)
    else:
        sys.stdout.write("".join(text.decode("latin-1") for text in texts.values()))
    for finding in findings:
        if finding.severity != "info":
            print(f"qboot-tables asl: {args.input}: {finding}", file=sys.stderr)
    return EXIT_FINDINGS if has_errors(findings) else EXIT_OK


def _dump_inputs(args, placement) -> list[tuple[str, TableSet]]:
    """(label, TableSet) for each INPUT, or for this machine's firmware when none is given."""
    from qboot_tables.read.inputs import load, load_machine

    if args.inputs:
        return [(path, load(path, placement)) for path in args.inputs]
    if placement:
        raise UsageError("--alloc needs an INPUT (a capture or qemu_fw_cfg directory)")
    return [(tableset.source, tableset) for tableset in load_machine()]


def run_dump(args) -> int:
    from qboot_tables.files import check_outputs, write_folder, write_single
    from qboot_tables.findings import has_errors
    from qboot_tables.show.jsontext import dumps
    from qboot_tables.show.output import acpidump_text, table_files
    from qboot_tables.show.render import document, to_json, to_text
    from qboot_tables.show.summary import summarize, summary_line
    from qboot_tables.check.validate import validate

    placement = parse_alloc(args.alloc)
    only, unknown = parse_only(args.only)
    types = parse_types(args.type)
    if types is not None:  # as dmidecode -t: the SMBIOS structures asked for, unless --only asks for more
        only = (only or set()) | {"SMBIOS"}
    if len(args.inputs) > 1 and (args.out or args.acpidump):
        raise UsageError("--out and --acpidump take a single INPUT")
    check_outputs([("--out", args.out), ("--acpidump", args.acpidump)], args.inputs)
    inputs = _dump_inputs(args, placement)
    if len(inputs) > 1 and (args.out or args.acpidump):
        raise UsageError("--out and --acpidump take a single INPUT, and this machine has several sources: name one")
    check_only(unknown, [tableset for _, tableset in inputs])
    status = EXIT_OK
    for path, tableset in inputs:
        findings = validate(tableset)
        if args.iasl:
            findings += iasl_findings(tableset, only)
        if args.summary:
            summary = summarize(tableset)
            text = (dumps({"source": tableset.source, "summary": summary}) + "\n" if args.json else
                    (f"{path}: " if len(inputs) > 1 else "") + "Summary: " + summary_line(summary) + "\n")
        else:
            doc = document(tableset, findings, only, asl=not args.json)
            if types is not None and "smbios" in doc:
                doc["smbios"]["structures"] = [s for s in doc["smbios"]["structures"] if s["type"] in types]
            text = to_json(doc) + "\n" if args.json else to_text(doc)
        # Everything to be written is made before anything is printed, so a failure cannot follow the dump.
        folder = table_files(tableset) if args.out else None
        acpidump = acpidump_text(tableset) if args.acpidump else None
        sys.stdout.write(text)
        for finding in findings:
            if finding.severity != "info":
                print(f"dump-tables: {path}: {finding}", file=sys.stderr)
        if folder is not None:
            write_folder(args.out, folder, "dump-tables --out", force=args.force)
        if acpidump is not None:
            write_single(args.acpidump, acpidump, option="--acpidump")
        if has_errors(findings):
            status = EXIT_FINDINGS
    return status


def iasl_findings(tableset, only) -> list:
    from qboot_tables.findings import INFO, Finding
    from qboot_tables.tools.iasl import AML_SIGNATURES, disassemble, iasl_checks

    findings = []
    # Every definition block resolves the others' names; disassemble() skips the table itself among them.
    aml = [t.data for t in tableset.acpi if t.signature in AML_SIGNATURES]
    for table in tableset.acpi:
        if only is not None and table.signature not in only:
            continue
        if not iasl_checks(table.signature):
            # iasl 20200925 decodes only the header of a table it does not know (OEMx, vendor tables), and that
            # the generic checks have covered; it is not run, and the finding says so.
            findings.append(Finding(INFO, table.name, "", f"not passed to iasl, which does not know "
                                                          f"[{table.signature}]"))
            continue
        extra = aml if table.signature in AML_SIGNATURES else []
        findings += disassemble(table.data, table.signature, extra_tables=extra).problems
    return findings
