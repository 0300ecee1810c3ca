"""Hostile input, in-process: every kind of input `dump-tables`, `diff` and `generate` read, mutated, must end in
exit 0, 1 or 2 with no exception, leave its inputs as they were, and write only to --out and --acpidump.

The cases, mutators and checks are tests/mutation.py's; tools/fuzz-cli runs the same campaign for longer.
"""
import os
import shutil

import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

import mutation as M

# Cases per input kind: 2,100 in all, which take about 20 s on a 2-core machine (a case costs 2 to 20 ms, most
# of it writing and hashing the input tree); the cheap single-file kinds get more. tools/fuzz-cli runs longer.
EXAMPLES = {"capture": 200, "fw_cfg.json": 200, "e820": 150, "table-loader": 200, "by_name": 150,
            "raw_table": 250, "table_folder": 150, "rsdp": 150, "acpidump": 150, "smbios": 200, "memmap": 150,
            "generate": 150}
# Far above the few milliseconds a case takes, so that only a real hang trips it.
TIME_LIMIT = 5.0


class HypothesisDraw:
    """mutation.RandomDraw's twin: the same draws, made by Hypothesis."""

    def __init__(self, data):
        self.data = data

    def integer(self, lo: int, hi: int) -> int:
        return self.data.draw(st.integers(lo, hi))

    def choice(self, seq):
        return self.data.draw(st.sampled_from(seq))


@pytest.fixture(scope="module")
def campaign():
    work = M.make_work_dir()
    try:
        yield M.load_seeds(os.path.join(work, "seed-material")), work
    finally:
        shutil.rmtree(work, ignore_errors=True)


def test_every_kind_has_seeds(campaign):
    seeds, _ = campaign
    assert {kind for kind, found in seeds.items() if found} == set(M.KINDS)


@pytest.mark.parametrize("kind", M.KINDS)
def test_mutated_input(campaign, kind):
    seeds, work = campaign

    # Derandomized, so CI sees the same cases every run. No shrinking: with library bugs present it would
    # re-run hundreds of cases per kind; the message names the case, and tools/fuzz-cli --save keeps inputs.
    @settings(max_examples=EXAMPLES[kind], derandomize=True, deadline=None, database=None,
              phases=(Phase.explicit, Phase.generate), suppress_health_check=list(HealthCheck))
    @given(st.data())
    def one_case(data):
        case = M.draw_case(HypothesisDraw(data), kind, seeds)
        result = M.run_case(case, seeds, work, TIME_LIMIT)
        if result.failures:
            tracebacks = "".join(f.traceback for f in result.failures if f.traceback)
            pytest.fail(f"{case!r}\n{M.describe(result)}\n{tracebacks}", pytrace=False)

    one_case()
