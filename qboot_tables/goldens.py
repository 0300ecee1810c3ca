"""Golden dumps of a captured fixture: what tools/regen-goldens writes and tests/test_goldens.py compares."""
from __future__ import annotations

import os

from qboot_tables.inputs import load
from qboot_tables.render import document, to_json, to_text
from qboot_tables.validate import validate

GOLDEN_DIR = "golden"


def golden_outputs(fixture_dir: str, name: str, with_iasl: bool = True) -> dict[str, bytes]:
    """{relative path: bytes} for one fixture: text and JSON dumps, linked tables, and iasl disassemblies.

    `name` replaces the filesystem path in the dump's source line so goldens do not depend on the checkout.
    """
    tableset = load(fixture_dir)
    tableset.source = f"capture {name}"
    findings = validate(tableset)
    doc = document(tableset, findings)
    out = {"dump.txt": to_text(doc).encode(), "dump.json": (to_json(doc) + "\n").encode()}
    if tableset.rsdp is not None:
        out["tables/RSDP"] = tableset.rsdp.data
    for table in tableset.acpi:
        out[f"tables/{table.name}"] = table.data
    if with_iasl:
        from qboot_tables.iasl import disassemble

        for table in tableset.acpi:
            out[f"iasl/{table.name}.dsl"] = disassemble(table.data, table.signature).text.encode()
    return out


def fixture_dirs(root: str) -> list[str]:
    return sorted(os.path.join(root, d) for d in os.listdir(root)
                  if os.path.isfile(os.path.join(root, d, "fw_cfg.json")))
