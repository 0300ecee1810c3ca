"""The installed package is the library alone, and works with no source tree: `python -m build` gives an sdist and
a wheel, and the wheel, installed into a clean virtual environment, dumps a capture from anywhere, as a command
and through qboot_tables.load."""
import json
import os
import shutil
import subprocess
import sys
import tarfile
import tomllib
import zipfile

import construct
import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
Q35 = os.path.join(ROOT, "fixtures", "qemu-7.2", "q35-smp4")


@pytest.fixture(scope="module")
def dist(tmp_path_factory):
    """The sdist and wheel `python -m build` makes, from a copy: setuptools keeps a build/ folder beside its
    input, which would both write into the source tree and let stale modules from an earlier build in."""
    tmp = tmp_path_factory.mktemp("package")
    source, out = tmp / "source", tmp / "dist"
    shutil.copytree(os.path.join(ROOT, "qboot_tables"), source / "qboot_tables",
                    ignore=shutil.ignore_patterns("__pycache__"))
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(os.path.join(ROOT, name), source / name)
    # --no-isolation: the build requirements (setuptools, wheel) come from this environment, not the network.
    proc = subprocess.run([sys.executable, "-m", "build", "--no-isolation", "--outdir", str(out), str(source)],
                          capture_output=True, text=True, cwd=tmp, timeout=300)
    assert proc.returncode == 0, proc.stdout[-2000:] + proc.stderr[-2000:]
    return next(out.glob("qboot[-_]tables-*.tar.gz")), next(out.glob("qboot_tables-*.whl"))


def test_build_gives_an_sdist_and_a_wheel_of_the_library_alone(dist):
    sdist, wheel = dist
    with zipfile.ZipFile(wheel) as z:
        names = set(z.namelist())
    assert {"qboot_tables/cli.py", "qboot_tables/api.py", "qboot_tables/py.typed"} <= names
    # Only the library is installed: no harness, no tests, no fixtures.
    assert not [n for n in names if n.startswith(("tests/", "fixtures/", "tools/"))]
    assert not {"guest.py", "firmware.py", "firmware_host.py", "goldens.py"} & {os.path.basename(n) for n in names}
    with tarfile.open(sdist) as t:
        assert any(n.endswith("/qboot_tables/py.typed") for n in t.getnames())


def test_the_wheel_in_a_clean_venv_outside_the_source_tree(dist, tmp_path):
    _, wheel = dist
    venv, deps, work = tmp_path / "venv", tmp_path / "deps", tmp_path / "work"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True, timeout=120)
    site = next(venv.glob("lib/python3*/site-packages"))
    # construct, the one dependency, is copied beside the venv, since there is no network to install it from.
    shutil.copytree(os.path.dirname(construct.__file__), deps / "construct",
                    ignore=shutil.ignore_patterns("__pycache__"))
    (site / "deps.pth").write_text(f"{deps}\n")
    pip = [sys.executable, "-m", "pip", "--disable-pip-version-check", "-q", "--python", str(venv / "bin" / "python")]
    subprocess.run(pip + ["install", "--no-deps", "--no-index", str(wheel)], check=True, capture_output=True,
                   timeout=300)
    shutil.copytree(Q35, work / "capture", ignore=shutil.ignore_patterns("golden"))
    env = {"PATH": f"{venv / 'bin'}{os.pathsep}{os.environ.get('PATH', '')}"}  # no PYTHONPATH: nothing leaks in
    with open(os.path.join(ROOT, "pyproject.toml"), "rb") as f:
        declared = tomllib.load(f)["project"]["version"]

    def run(*cmd):
        proc = subprocess.run([str(c) for c in cmd], cwd=work, env=env, capture_output=True, text=True, timeout=120)
        assert proc.returncode == 0, proc.stderr
        return proc.stdout

    assert run(venv / "bin" / "dump-tables", "--version") == f"dump-tables {declared}\n"
    assert '"cpus_possible": 4' in run(venv / "bin" / "dump-tables", "capture", "--json")
    code = ("import json, sys, qboot_tables; t = qboot_tables.load('capture'); "
            "print(json.dumps([qboot_tables.__file__, qboot_tables.__version__, t.acpi['MADT'].name, "
            "len(t.smbios.of_type(4)), t.summary['cpus_possible'], t.findings]))")
    where, version, madt, processors, cpus, findings = json.loads(run(venv / "bin" / "python", "-c", code))
    assert where.startswith(str(site)) and version == declared
    assert (madt, processors, cpus, findings) == ("APIC", 1, 4, [])
