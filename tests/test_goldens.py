"""Every captured fixture dumps, links and disassembles exactly as its committed goldens say."""
import os

import pytest

from harness.goldens import GOLDEN_DIR, fixture_dirs, golden_outputs, read_tree

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
FIXTURES = fixture_dirs(os.path.join(ROOT, "fixtures", "qemu-7.2"))


def test_the_fixture_matrix_is_there():
    names = {os.path.basename(f) for f in FIXTURES}
    assert len(names) >= 24 and {"pc-smp4", "q35-smp4", "pc-vmgenid", "microvm-acpi"} <= names


@pytest.mark.parametrize("fixture", FIXTURES, ids=os.path.basename)
def test_goldens(fixture):
    expected = read_tree(os.path.join(fixture, GOLDEN_DIR))
    assert expected, "no goldens: run `make goldens` and review the diff"
    actual = golden_outputs(fixture, os.path.relpath(fixture, ROOT))
    assert sorted(actual) == sorted(expected)
    for rel in sorted(expected):
        if actual[rel] != expected[rel]:
            import difflib

            diff = "".join(difflib.unified_diff(expected[rel].decode("latin-1").splitlines(True),
                                                actual[rel].decode("latin-1").splitlines(True),
                                                f"golden/{rel}", "now", n=2))
            pytest.fail(f"{rel} differs from its golden (regenerate with `make goldens` only on purpose):\n"
                        f"{diff[:6000]}")
