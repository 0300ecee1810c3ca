"""Real machines (fixtures/real-hw): every table we decode agrees with iasl, field for field."""
import pytest

import real_hw

MACHINES = real_hw.machines()


def decodable(machine):
    """The iasl-known tables of a machine that we have a descriptor for, by unique name."""
    try:
        tables = real_hw.machine_tables(machine)
    except Exception as e:  # noqa: BLE001 - an input layout we do not read yet is skipped, and said so
        pytest.skip(f"{machine}: not read yet: {e}")
    picked, seen = {}, {}
    for table in tables:
        if table.signature in real_hw.IASL_KNOWN and table.signature in real_hw.DESCRIPTORS:
            seen[table.signature] = seen.get(table.signature, 0) + 1
            picked[f"{table.signature}{seen[table.signature]}"] = (table.signature, table.data)
    return picked


def test_the_corpus_is_there():
    assert len(MACHINES) >= 40


@pytest.mark.parametrize("machine", MACHINES)
def test_fields_agree_with_iasl(machine):
    picked = decodable(machine)
    fields = real_hw.iasl_fields({name: data for name, (_, data) in picked.items()})
    problems = []
    for name, (signature, data) in picked.items():
        agree, differ = real_hw.compare(signature, data, fields[name])
        problems += [f"{name}: {d}" for d in differ]
    assert not problems, "\n".join(problems[:40])
