"""The installed package is the library alone, and works with no source tree: a wheel, installed into an empty
folder, dumps a capture from anywhere."""
import os
import shutil
import subprocess
import sys

import construct

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
Q35 = os.path.join(ROOT, "fixtures", "qemu-7.2", "q35-smp4")


def test_a_wheel_installed_elsewhere_needs_no_source_tree(tmp_path):
    source, wheels, site, work = tmp_path / "source", tmp_path / "wheels", tmp_path / "site", tmp_path / "work"
    # Built from a copy: setuptools keeps a build/ folder beside its input, which would both write into the
    # source tree and let stale modules from an earlier build into the wheel.
    shutil.copytree(os.path.join(ROOT, "qboot_tables"), source / "qboot_tables",
                    ignore=shutil.ignore_patterns("__pycache__"))
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(os.path.join(ROOT, name), source / name)
    pip = [sys.executable, "-m", "pip", "--disable-pip-version-check", "-q"]
    subprocess.run(pip + ["wheel", "--no-deps", "--no-build-isolation", "-w", str(wheels), str(source)],
                   check=True, capture_output=True, cwd=tmp_path, timeout=300)
    wheel = next(wheels.glob("qboot_tables-*.whl"))
    subprocess.run(pip + ["install", "--no-deps", "--no-index", "--target", str(site), str(wheel)], check=True,
                   capture_output=True, timeout=300)
    # Only the library is installed: no harness, no tests, no fixtures.
    installed = {p.name for p in (site / "qboot_tables").iterdir()}
    assert {"cli.py", "read", "check", "show", "tools", "tables", "schemas", "generate"} <= installed
    assert not {"guest.py", "firmware.py", "firmware_host.py", "goldens.py"} & installed
    shutil.copytree(Q35, work / "capture", ignore=shutil.ignore_patterns("golden"))
    # -S: no site-packages, so neither the editable install of the source tree nor anything else is seen;
    # construct, the one dependency, comes from where this interpreter has it.
    env = {"PATH": os.environ.get("PATH", ""),
           "PYTHONPATH": os.pathsep.join([str(site), os.path.dirname(os.path.dirname(construct.__file__))])}
    code = ("import sys, qboot_tables; assert qboot_tables.__file__.startswith(sys.argv[1]), qboot_tables.__file__; "
            "from qboot_tables.cli import dump_main; sys.exit(dump_main(['capture', '--json']))")
    proc = subprocess.run([sys.executable, "-S", "-c", code, str(site)], cwd=work, env=env, capture_output=True,
                          text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert '"cpus_possible": 4' in proc.stdout
