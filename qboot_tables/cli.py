"""The command line: `qboot-tables dump|capture|generate|diff` and `dump-tables`.

Exit status: 0 all well, 1 problems in the tables (or, for diff, differences), 2 usage or unreadable input.
"""
from __future__ import annotations

import argparse
import os
import re
import sys

from qboot_tables.errors import InputError, LoaderError, QbootTablesError, UsageError, quote

EXIT_OK, EXIT_FINDINGS, EXIT_USAGE = 0, 1, 2


class _HelpFormatter(argparse.HelpFormatter):
    """argparse's formatter, sized with os.get_terminal_size: the stock one imports shutil (and with it zlib,
    bz2 and lzma) on every run just to learn the width, a noticeable share of a dump's start-up."""

    def __init__(self, prog):
        try:
            width = int(os.environ.get("COLUMNS", 0)) or os.get_terminal_size().columns
        except (OSError, ValueError):
            width = 80
        super().__init__(prog, width=width - 2)


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


def add_dump_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("inputs", nargs="+", metavar="INPUT",
                   help="capture dir, qemu_fw_cfg by_name dir, ACPI tables dir, raw table, acpidump text, "
                        "SMBIOS dump")
    p.add_argument("--json", action="store_true", help="one JSON document per input instead of text")
    p.add_argument("--only", metavar="SIG[,SIG...]",
                   help="only these tables (signatures; also RSDP, SMBIOS, E820, LOADER, MPTABLE, FWCFG)")
    p.add_argument("--iasl", action="store_true", help="cross-check every ACPI table with `iasl -d`")
    p.add_argument("--alloc", action="append", metavar="NAME=ADDR",
                   help="place the fw_cfg file NAME at ADDR instead of the default allocator (repeatable)")
    p.add_argument("--out", metavar="DIR", help="write each linked table as DIR/<SIG>, DIR/RSDP, DIR/smbios.bin")
    p.add_argument("--acpidump", metavar="FILE", help="write the tables as acpidump text (acpixtract reads it)")
    add_force_argument(p)


def add_force_argument(p: argparse.ArgumentParser) -> None:
    p.add_argument("--force", action="store_true",
                   help="let --out replace a non-empty folder that qboot-tables did not write")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="qboot-tables", description=__doc__.splitlines()[0],
                                     formatter_class=_HelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)
    add_dump_arguments(sub.add_parser("dump", help="decode, check and print table sets",
                                      formatter_class=_HelpFormatter))
    cap = sub.add_parser("capture", help="capture fw_cfg from QEMU over qtest, with no guest code running",
                         formatter_class=_HelpFormatter)
    cap.add_argument("--out", required=True, metavar="DIR", help="capture directory to write")
    cap.add_argument("--qemu", default="qemu-system-x86_64", help="QEMU binary (default: %(default)s)")
    cap.add_argument("--timeout", type=_seconds, default=60.0, help="seconds before QEMU is abandoned")
    add_force_argument(cap)
    cap.add_argument("qemu_args", nargs=argparse.REMAINDER, help="-- then QEMU arguments, e.g. -M q35 -smp 4")
    gen = sub.add_parser("generate", help="generate a machine's tables from its QEMU command line, no QEMU needed",
                         formatter_class=_HelpFormatter)
    gen.add_argument("--out", required=True, metavar="DIR", help="directory to write")
    gen.add_argument("--format", choices=("tables", "capture"), default="tables",
                     help="linked tables as dump --out writes them (plus mptable.bin), or a capture directory")
    add_force_argument(gen)
    gen.add_argument("qemu_args", nargs=argparse.REMAINDER, help="-- then QEMU arguments, e.g. -M q35 -smp 8")
    asl = sub.add_parser("asl", help="disassemble every DSDT and SSDT of a table set to ASL, as iasl -dl does",
                         formatter_class=_HelpFormatter)
    asl.add_argument("input", metavar="INPUT", help="any input dump reads")
    asl.add_argument("--out", metavar="DIR", help="write DIR/<table>.dsl instead of printing them")
    add_force_argument(asl)
    dif = sub.add_parser("diff", help="compare two table sets field by field (any inputs dump reads)",
                         formatter_class=_HelpFormatter)
    dif.add_argument("a", metavar="A")
    dif.add_argument("b", metavar="B")
    return parser


def main(argv=None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as e:  # argparse has printed the usage message
        return EXIT_USAGE if e.code else EXIT_OK
    handler = {"dump": run_dump, "capture": run_capture, "diff": run_diff, "generate": run_generate,
               "asl": run_asl}[args.command]
    return _guarded(handler, args, "qboot-tables")


def dump_main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="dump-tables", description="Decode, check and print firmware tables.",
                                     formatter_class=_HelpFormatter)
    add_dump_arguments(parser)
    try:
        args = parser.parse_args(sys.argv[1:] if argv is None else argv)
    except SystemExit as e:
        return EXIT_USAGE if e.code else EXIT_OK
    return _guarded(run_dump, args, "dump-tables")


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
    from qboot_tables.show.output import table_files
    from qboot_tables.show.summary import summarize, summary_line
    from qboot_tables.check.validate import validate

    machine = MachineConfig.from_qemu_args(_qemu_args(args))
    tableset, mptable, mptable_address = generate_tables(machine)
    if args.format == "capture":
        files = generate(machine).capture_files()
    else:
        files = table_files(tableset) | ({"mptable.bin": mptable} if mptable is not None else {})
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
    from qboot_tables.show.diff import diff
    from qboot_tables.read.inputs import load

    lines = diff(load(args.a), load(args.b))
    for line in lines:
        print(line)
    return EXIT_FINDINGS if lines else EXIT_OK


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


def run_dump(args) -> int:
    from qboot_tables.files import check_outputs, write_folder, write_single
    from qboot_tables.findings import has_errors
    from qboot_tables.read.inputs import load
    from qboot_tables.show.output import acpidump_text, table_files
    from qboot_tables.show.render import document, to_json, to_text
    from qboot_tables.check.validate import validate

    placement = parse_alloc(args.alloc)
    only = {s.strip().upper() for s in args.only.split(",") if s.strip()} if args.only else None
    if len(args.inputs) > 1 and (args.out or args.acpidump):
        raise UsageError("--out and --acpidump take a single INPUT")
    check_outputs([("--out", args.out), ("--acpidump", args.acpidump)], args.inputs)
    status = EXIT_OK
    for path in args.inputs:
        tableset = load(path, placement)
        findings = validate(tableset)
        if args.iasl:
            findings += iasl_findings(tableset, only)
        doc = document(tableset, findings, only, asl=not args.json)
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
