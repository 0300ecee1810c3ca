"""FwCfgSnapshot: the fw_cfg files and well-known selectors of one machine, and the capture directory format.

Every source that speaks fw_cfg (QEMU over qtest, a guest's qemu_fw_cfg sysfs, the generator) yields one of
these, so nothing downstream needs to know where the tables came from.
"""
from __future__ import annotations

import json
import os
from types import MappingProxyType
from typing import Mapping

from qboot_tables.errors import InputError

CAPTURE_INDEX = "fw_cfg.json"
CAPTURE_FORMAT = "qboot-tables capture 1"
# Linux's drivers/firmware/qemu_fw_cfg.c puts each file's bytes in <name>/raw below by_name/.
SYSFS_RAW = "raw"


class FwCfgSnapshot:
    """fw_cfg files by name, plus what is known of the machine they came from. Linking never changes it."""

    __slots__ = ("files", "selectors", "origin", "directory")

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

    def write_capture(self, out_dir: str) -> None:
        """Write DIR/<fw_cfg name> raw for every file and DIR/fw_cfg.json describing the rest."""
        os.makedirs(out_dir, exist_ok=True)
        for name, data in self.files.items():
            path = _file_path(out_dir, name)
            os.makedirs(os.path.dirname(path), exist_ok=True)
            with open(path, "wb") as f:
                f.write(data)
        directory = list(self.directory) or [{"name": n, "size": len(d)} for n, d in sorted(self.files.items())]
        index = {
            "format": CAPTURE_FORMAT,
            "origin": dict(self.origin),
            "selectors": dict(self.selectors),
            "files": directory,
        }
        with open(os.path.join(out_dir, CAPTURE_INDEX), "w") as f:
            json.dump(index, f, indent=2, sort_keys=True)
            f.write("\n")


def _file_path(root: str, name: str) -> str:
    # fw_cfg names are "/"-separated paths chosen by QEMU or the user; refuse any that would leave root.
    parts = name.split("/")
    if not name or name.startswith("/") or any(p in ("", ".", "..") for p in parts):
        raise InputError(f"fw_cfg file name {name!r} cannot be stored in a capture directory")
    return os.path.join(root, *parts)


def is_capture_dir(path: str) -> bool:
    return os.path.isfile(os.path.join(path, CAPTURE_INDEX))


def is_sysfs_by_name(path: str) -> bool:
    return os.path.isfile(os.path.join(path, "etc", "table-loader", SYSFS_RAW)) or os.path.isfile(
        os.path.join(path, "etc", "acpi", "rsdp", SYSFS_RAW))


def read_capture(path: str) -> FwCfgSnapshot:
    """Read a capture directory written by write_capture (or by `qboot-tables capture`)."""
    try:
        with open(os.path.join(path, CAPTURE_INDEX)) as f:
            index = json.load(f)
    except (OSError, ValueError) as e:
        raise InputError(f"{path}: cannot read {CAPTURE_INDEX}: {e}") from None
    if not isinstance(index, dict) or not isinstance(index.get("files"), list):
        raise InputError(f"{path}: {CAPTURE_INDEX} has no file list")
    files = {}
    for entry in index["files"]:
        name = entry.get("name") if isinstance(entry, dict) else None
        if not isinstance(name, str):
            raise InputError(f"{path}: {CAPTURE_INDEX} has a file entry without a name")
        try:
            with open(_file_path(path, name), "rb") as f:
                files[name] = f.read()
        except OSError as e:
            raise InputError(f"{path}: fw_cfg file {name!r} listed but unreadable: {e.strerror}") from None
    return FwCfgSnapshot(files=files, selectors=index.get("selectors") or {}, origin=index.get("origin") or {},
                         directory=index["files"])


def read_sysfs_by_name(path: str) -> FwCfgSnapshot:
    """Read Linux's /sys/firmware/qemu_fw_cfg/by_name (or a copy of it): each file is <name>/raw."""
    files = {}
    # by_name entries are symlinks into by_key, so follow links as `find -L` does.
    for root, _dirs, names in os.walk(path, followlinks=True):
        if SYSFS_RAW in names:
            name = os.path.relpath(root, path).replace(os.sep, "/")
            try:
                with open(os.path.join(root, SYSFS_RAW), "rb") as f:
                    files[name] = f.read()
            except OSError as e:
                raise InputError(f"{root}/{SYSFS_RAW}: {e.strerror}") from None
    if not files:
        raise InputError(f"{path}: no <name>/raw files, so not a qemu_fw_cfg by_name directory")
    return FwCfgSnapshot(files=files, origin={"source": "sysfs by_name", "path": os.path.abspath(path)})
