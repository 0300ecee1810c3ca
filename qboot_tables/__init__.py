"""qboot_tables: the firmware tables (ACPI, SMBIOS, e820, fw_cfg) that QEMU hands a guest, read and checked."""
from __future__ import annotations

import os
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from qboot_tables.read.walk import TableSet

__all__ = ["__version__", "load", "to_json"]
DISTRIBUTION = "qboot-tables"


def load(path_or_bytes: str | os.PathLike[str] | bytes, alloc: dict[str, int] | None = None) -> TableSet:
    """Read anything dump-tables reads into a checked TableSet (qboot_tables.api.load)."""
    # Imported here, so that `import qboot_tables` (every CLI run) does not load the readers and construct.
    from qboot_tables.api import load as _load

    return _load(path_or_bytes, alloc)


def to_json(value: Any) -> str:
    """Any decoded value (a TableSet, table, SMBIOS structure, MP table, construct Container) as JSON."""
    from qboot_tables.api import to_json as _to_json

    return _to_json(value)


def _version() -> str:
    """The installed distribution's version; in a source checkout that was never installed, pyproject's."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version(DISTRIBUTION)
    except PackageNotFoundError:
        pass
    import tomllib

    try:
        with open(os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "pyproject.toml"),
                  "rb") as f:
            return str(tomllib.load(f)["project"]["version"])
    except (OSError, KeyError, tomllib.TOMLDecodeError):
        return "0+unknown"


def __getattr__(name: str) -> str:
    # importlib.metadata costs a CLI start-up more than the rest of `import qboot_tables`: read on first use.
    if name == "__version__":
        value = _version()
        globals()["__version__"] = value
        return value
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
