"""FwCfgSnapshot: the fw_cfg files and well-known selectors of one machine, and the capture directory format.

Every source that speaks fw_cfg (QEMU over qtest, a guest's qemu_fw_cfg sysfs, the generator) yields one of
these, so nothing downstream needs to know where the tables came from.
"""
from __future__ import annotations

import json
import os
from types import MappingProxyType
from typing import Mapping

from qboot_tables.errors import CaptureIndexError, InputError, OutputError, quote
from qboot_tables.files import InputTree, safe_path, write_folder
from qboot_tables.schemas.fw_cfg import (CAPTURE_FILE_SHAPE, CAPTURE_INDEX_SHAPE, CAPTURE_SELECTOR_SHAPE,
                                         FW_CFG_NAME_SIZE, U64)

CAPTURE_INDEX = "fw_cfg.json"
CAPTURE_FORMAT = "qboot-tables capture 1"
# Linux's drivers/firmware/qemu_fw_cfg.c puts each file's bytes in <name>/raw below by_name/.
SYSFS_RAW = "raw"


class FwCfgSnapshot:
    """fw_cfg files by name, plus what is known of the machine they came from. Linking never changes it."""

    __slots__ = ("files", "selectors", "origin", "directory")
    files: Mapping[str, bytes]
    selectors: Mapping[str, object]
    origin: Mapping[str, object]
    directory: tuple

    def __init__(self, files: Mapping[str, bytes], selectors: Mapping[str, object] | None = None,
                 origin: Mapping[str, object] | None = None, directory=()):
        set_ = object.__setattr__  # the instance is read-only once built
        set_(self, "files", MappingProxyType({k: bytes(v) for k, v in files.items()}))
        # Decoded well-known selectors (QEMU hw/nvram/fw_cfg.c, hw/i386/fw_cfg.c): signature, features, uuid,
        # ram_size, nb_cpus, max_cpus (the APIC ID limit on x86), numa, irq0_override... Absent when not known.
        set_(self, "selectors", MappingProxyType(dict(selectors or {})))
        # Where it came from: {"qemu": {"binary", "version", "args"}, "source": ...}.
        set_(self, "origin", MappingProxyType(dict(origin or {})))
        # Directory entries as QEMU listed them: [{"name", "select", "size"}], () when not known.
        set_(self, "directory", tuple(directory))

    def __setattr__(self, name, value):
        raise AttributeError(f"FwCfgSnapshot is immutable; build a new one instead of setting {name}")

    def __eq__(self, other):
        if not isinstance(other, FwCfgSnapshot):
            return NotImplemented
        return (dict(self.files), dict(self.selectors), dict(self.origin), self.directory) == (
            dict(other.files), dict(other.selectors), dict(other.origin), other.directory)

    def file(self, name: str) -> bytes | None:
        return self.files.get(name)

    def capture_files(self) -> dict[str, bytes]:
        """The capture directory's files: one raw file per fw_cfg name (made safe), and fw_cfg.json for the rest."""
        files: dict[str, bytes] = {}
        for name, data in self.files.items():
            path = safe_path(name).replace(os.sep, "/")
            if any(other.startswith(path + "/") or path.startswith(other + "/") for other in files):
                raise OutputError(f"fw_cfg names {quote(name)} and another one cannot both be files of a capture")
            files[path] = data
        directory = list(self.directory) or [{"name": n, "size": len(d)} for n, d in sorted(self.files.items())]
        index = {"format": CAPTURE_FORMAT, "origin": dict(self.origin), "selectors": dict(self.selectors),
                 "files": directory}
        files[CAPTURE_INDEX] = (json.dumps(index, indent=2, sort_keys=True) + "\n").encode()
        return files

    def write_capture(self, out_dir: str, *, force: bool = False) -> None:
        """Write DIR/<fw_cfg name> raw for every file and DIR/fw_cfg.json describing the rest (files.write_folder
        decides whether DIR may be replaced)."""
        write_folder(out_dir, self.capture_files(), "qboot-tables capture", force=force)


def is_capture_dir(path: str) -> bool:
    return os.path.isfile(os.path.join(path, CAPTURE_INDEX))


def is_sysfs_by_name(path: str) -> bool:
    return os.path.isfile(os.path.join(path, "etc", "table-loader", SYSFS_RAW)) or os.path.isfile(
        os.path.join(path, "etc", "acpi", "rsdp", SYSFS_RAW))


def read_capture(path: str) -> FwCfgSnapshot:
    """Read a capture directory written by write_capture (or by `qboot-tables capture`).

    fw_cfg.json is checked against its documented shape (schemas.fw_cfg.CAPTURE_INDEX_SHAPE) before use, so
    a bad value is one CaptureIndexError naming its key, never an exception from deeper down."""
    tree = InputTree(path)
    try:
        index = json.loads(tree.read(os.path.join(path, CAPTURE_INDEX)))
    except (ValueError, RecursionError) as e:  # RecursionError: JSON nested deeper than Python's stack
        raise InputError(f"{quote(path)}: {CAPTURE_INDEX} is not JSON: {str(e)[:80]}") from None
    _check_shape(path, "", index, CAPTURE_INDEX_SHAPE)
    if "files" not in index:
        raise CaptureIndexError(path, "files", "missing: a capture lists its fw_cfg files")
    if index.get("format", CAPTURE_FORMAT) != CAPTURE_FORMAT:
        raise CaptureIndexError(path, "format", f"{quote(index['format'])}, not {CAPTURE_FORMAT!r}")
    selectors, origin, directory = index.get("selectors", {}), index.get("origin", {}), index["files"]
    for key, value in selectors.items():
        _check_shape(path, f"selectors.{key}", value, CAPTURE_SELECTOR_SHAPE.get(key, _SCALAR))
    _check_depth(path, "origin", origin)
    files = {}
    for i, entry in enumerate(directory):
        _check_shape(path, f"files[{i}]", entry, CAPTURE_FILE_SHAPE)
        name = entry.get("name")
        if name is None:
            raise CaptureIndexError(path, f"files[{i}]", "has no name")
        if not name or "\0" in name or len(name) >= FW_CFG_NAME_SIZE:
            raise CaptureIndexError(path, f"files[{i}].name", f"{quote(name)} is not a fw_cfg file name (1 to "
                                                              f"{FW_CFG_NAME_SIZE - 1} characters, no NUL)")
        if name in files:
            raise CaptureIndexError(path, f"files[{i}].name", f"{quote(name)} is listed twice")
        data = tree.read(os.path.join(path, safe_path(name)))
        if "size" in entry and entry["size"] != len(data):
            raise CaptureIndexError(path, f"files[{i}].size", f"{entry['size']}, but {quote(name)} holds "
                                                              f"{len(data)} bytes")
        files[name] = data
    return FwCfgSnapshot(files=files, selectors=selectors, origin=origin, directory=directory)


# A selector this version does not know may hold any JSON scalar.
_SCALAR = (str, int, float, bool, type(None))
_MAX_DEPTH = 16


def _check_shape(path: str, key: str, value, shape) -> None:
    """`value` has the JSON type `shape` names: a type, U64, a one-element list (every item has that shape)
    or a dict (each key present has its shape; other keys are refused)."""
    where = key or "the document"
    if shape == U64:
        if type(value) is not int or not 0 <= value < 1 << 64:
            raise CaptureIndexError(path, where, f"{quote(value)} is not an integer from 0 to 2**64-1")
    elif isinstance(shape, list):
        if not isinstance(value, list):
            raise CaptureIndexError(path, where, f"is {type(value).__name__}, not a list")
        for i, item in enumerate(value):
            _check_shape(path, f"{key}[{i}]", item, shape[0])
    elif isinstance(shape, dict):
        if not isinstance(value, dict):
            raise CaptureIndexError(path, where, f"is {type(value).__name__}, not an object")
        for k, item in value.items():
            if k not in shape:
                raise CaptureIndexError(path, f"{key}.{k}" if key else k, "is not a key of this object")
            _check_shape(path, f"{key}.{k}" if key else k, item, shape[k])
    elif not isinstance(value, shape) or (shape is int and isinstance(value, bool)):
        names = " or ".join(t.__name__ for t in (shape if isinstance(shape, tuple) else (shape,)))
        raise CaptureIndexError(path, where, f"is {type(value).__name__}, not {names}")


def _check_depth(path: str, key: str, value, depth: int = 0) -> None:
    """Free-form JSON ("origin") is only shown, but still not nested without end."""
    if depth > _MAX_DEPTH:
        raise CaptureIndexError(path, key, f"nested more than {_MAX_DEPTH} levels deep")
    children = value.values() if isinstance(value, dict) else value if isinstance(value, list) else ()
    for child in children:
        _check_depth(path, key, child, depth + 1)


def read_sysfs_by_name(path: str) -> FwCfgSnapshot:
    """Read Linux's /sys/firmware/qemu_fw_cfg/by_name (or a copy of it): each file is <name>/raw.

    by_name entries are links into by_key; links are followed only inside the input (files.InputTree)."""
    tree = InputTree(path)
    files = {}
    for root, names in tree.walk(path):
        if SYSFS_RAW in names:
            name = os.path.relpath(root, path).replace(os.sep, "/")
            files[name] = tree.read(os.path.join(root, SYSFS_RAW))
    if not files:
        raise InputError(f"{quote(path)}: no <name>/raw files, so not a qemu_fw_cfg by_name directory")
    return FwCfgSnapshot(files=files, origin={"source": "sysfs by_name", "path": os.path.abspath(path)})
