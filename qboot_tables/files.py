"""The user's files: read only as regular files within bounds, written only where asked, never over an input.

Every read of an input and every write of an output goes through here. Reading refuses FIFOs, devices and
sockets, bounds each file and each input, and keeps links inside the input they belong to. Writing makes names
that come from data safe, checks real paths against the inputs before anything is written, and builds an
output folder beside its target before renaming it into place, so a failure leaves no half-written result.
"""
from __future__ import annotations

import os
import stat

from qboot_tables.errors import InputError, OutputError, quote

# Far above any real table set (the largest DSDTs are about 1 MiB, a whole machine's acpidump text a few MiB)
# and far below what would exhaust memory. sysfs reports sizes of 0 or 4096 whatever a file holds, so the bound
# is enforced on what is actually read, never on st_size.
MAX_FILE_BYTES = 64 << 20
MAX_INPUT_BYTES = 64 << 20
# Directory entries one input may make us look at: a by_name tree has a few dozen, a table folder fewer.
MAX_INPUT_ENTRIES = 10_000
# Left in every folder qboot-tables writes, so that a later run knows it may replace that folder whole.
MARKER = ".qboot-tables"


def _umask() -> int:
    """The process's umask, which os.umask can only tell by setting it: what new files' modes leave out."""
    mask = os.umask(0)
    os.umask(mask)
    return mask


_KINDS = ((stat.S_ISDIR, "a directory"), (stat.S_ISFIFO, "a FIFO"), (stat.S_ISCHR, "a character device"),
          (stat.S_ISBLK, "a block device"), (stat.S_ISSOCK, "a socket"))


def _not_regular(mode: int) -> str | None:
    return next((kind for test, kind in _KINDS if test(mode)), None if stat.S_ISREG(mode) else "not a file")


def _inside(path: str, root: str) -> bool:
    return path == root or path.startswith(root.rstrip(os.sep) + os.sep)


class InputTree:
    """One input the user named: its files are read through here, within one byte budget, and no link inside
    it is followed out of it (Linux's qemu_fw_cfg by_name links into its sibling by_key, so a by_name folder
    beside a by_key folder counts their parent as the input)."""

    def __init__(self, path: str):
        self.path = path
        real = os.path.realpath(path)
        parent = os.path.dirname(real)
        if os.path.isdir(real) and os.path.basename(real) == "by_name" and os.path.isdir(
                os.path.join(parent, "by_key")):
            real = parent
        self.root = real
        self.bytes_left = MAX_INPUT_BYTES
        self.entries_left = MAX_INPUT_ENTRIES

    def resolve(self, path: str) -> str:
        """The real path of `path`, which must stay inside this input."""
        real = os.path.realpath(path)
        if not _inside(real, self.root):
            raise InputError(f"{quote(path)}: a link out of the input {quote(self.path)} is not followed")
        return real

    def read(self, path: str) -> bytes:
        """The bytes of a regular file inside this input, charged to its budget."""
        data = read_regular(self.resolve(path), min(MAX_FILE_BYTES, self.bytes_left), shown=path)
        self.bytes_left -= len(data)
        return data

    def listdir(self, path: str) -> list[str]:
        """The sorted entries of a directory inside this input."""
        try:
            names = sorted(os.listdir(self.resolve(path)))
        except OSError as e:
            raise InputError(f"{quote(path)}: {e.strerror}") from None
        self.entries_left -= len(names)
        if self.entries_left < 0:
            raise InputError(f"{quote(self.path)}: more than {MAX_INPUT_ENTRIES} directory entries, not a table "
                             f"set")
        return names

    def walk(self, top: str):
        """(path, names) of every directory below `top`, as os.walk with links followed inside the input only.

        A directory reached twice, through a link cycle or two links, is listed once."""
        seen = set()
        pending = [top]
        while pending:
            path = pending.pop()
            real = self.resolve(path)
            st = os.stat(real)
            identity = (st.st_dev, st.st_ino)
            if identity in seen:
                continue
            seen.add(identity)
            names = self.listdir(path)
            yield path, names
            for name in reversed(names):
                child = os.path.join(path, name)
                if os.path.isdir(child):
                    self.resolve(child)  # a link to a folder outside is refused, not walked
                    pending.append(child)


def read_regular(path: str, limit: int = MAX_FILE_BYTES, shown: str | None = None) -> bytes:
    """The bytes of a regular file of at most `limit` bytes; anything else is an InputError, and nothing blocks."""
    shown = quote(shown or path)
    try:
        kind = _not_regular(os.stat(path).st_mode)
        if kind:
            raise InputError(f"{shown}: {kind}, not a regular file: refused")
        # O_NONBLOCK: should the file turn into a FIFO after the stat, opening it still returns at once.
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_NOCTTY | os.O_CLOEXEC)
    except OSError as e:
        raise InputError(f"{shown}: {e.strerror}") from None
    try:
        kind = _not_regular(os.fstat(fd).st_mode)
        if kind:
            raise InputError(f"{shown}: {kind}, not a regular file: refused")
        chunks, total = [], 0
        while chunk := os.read(fd, min(1 << 20, limit + 1 - total)):
            chunks.append(chunk)
            total += len(chunk)
            if total > limit:
                raise InputError(f"{shown}: more than {limit} bytes, far more than any table set: refused")
        return b"".join(chunks)
    except OSError as e:
        raise InputError(f"{shown}: {e.strerror}") from None
    finally:
        os.close(fd)


# ---- names that come from data

# Kept as they are in file names; anything else in a name taken from data is replaced or escaped.
_SAFE = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-!#$+=@^~")


def safe_signature(signature: str) -> str:
    """A table signature as a file name and an acpidump header: its printable characters kept, every other one
    (path separators, dots, spaces, control bytes) replaced by "_", so "../Q" becomes "___Q"."""
    return "".join(c if c in _SAFE else "_" for c in signature) or "_"


def safe_path(name: str) -> str:
    """A "/"-separated name from data (a fw_cfg file name) as a relative path that stays where it is put:
    bytes outside the safe set, and a leading dot, are %XX-escaped, and an empty component is "%"."""
    parts = []
    for part in name.split("/"):
        escaped = "".join(c if c in _SAFE or (c == "." and i) else "".join(f"%{b:02X}" for b in c.encode())
                          for i, c in enumerate(part))
        parts.append(escaped or "%")
    return os.path.join(*parts)


# ---- writing

def check_outputs(outputs, inputs) -> None:
    """Refuse, before anything is written, an output that is an input or lies inside one, an output folder
    that holds an input, and two outputs inside each other. `outputs` are (option, path) pairs; None is skipped."""
    outs = [(option, path, os.path.realpath(path)) for option, path in outputs if path]
    for path in inputs:
        real = os.path.realpath(path)
        for option, out, real_out in outs:
            if _inside(real_out, real):
                where = "over" if real_out == real else "inside"
                raise OutputError(f"{option} {quote(out)}: refusing to write {where} the input {quote(path)}")
            if _inside(real, real_out):
                raise OutputError(f"{option} {quote(out)}: refusing to replace a folder that holds the input "
                                  f"{quote(path)}")
    for i, (option, out, real) in enumerate(outs):
        for other_option, other, other_real in outs[i + 1:]:
            if _inside(real, other_real) or _inside(other_real, real):
                raise OutputError(f"{option} {quote(out)} and {other_option} {quote(other)} overlap: refused")


def _folder_state(target: str, force: bool, option: str) -> str:
    """"new", "empty" or "replace"; a folder of someone else's is refused unless `force`."""
    if not os.path.lexists(target):
        return "new"
    if not os.path.isdir(target) or os.path.islink(target):
        raise OutputError(f"{option} {quote(target)}: exists and is not a folder: refused")
    try:
        names = os.listdir(target)
    except OSError as e:
        raise OutputError(f"{option} {quote(target)}: {e.strerror}") from None
    if not names:
        return "empty"
    if MARKER in names or force:
        return "replace"
    raise OutputError(f"{option} {quote(target)}: a folder that qboot-tables did not write and that is not "
                      f"empty: refused (--force replaces it)")


def write_folder(target: str, files: dict[str, bytes], writer: str, *, force: bool = False,
                 option: str = "--out") -> None:
    """Make `target` hold exactly `files` (relative paths, "/"-separated, already safe) and the marker.

    The folder is built beside the target and renamed into place. What it replaces is a folder this tool
    wrote (it holds the marker), an empty one, or with `force` any folder; anything else is refused."""
    for name in files:  # callers make names safe; this is the guard that no name can leave the folder
        parts = name.split("/")
        if any(not part or part.startswith(".") or "\0" in part or os.sep in part for part in parts):
            raise OutputError(f"{option}: {quote(name)} is not a safe name for a file in the output")
    import shutil  # imported here: reading, which every run does, needs neither
    import tempfile

    target = os.path.realpath(target)
    state = _folder_state(target, force, option)
    parent = os.path.dirname(target)
    try:
        os.makedirs(parent, exist_ok=True)
        staging = tempfile.mkdtemp(prefix=f".{os.path.basename(target)}.", suffix=".new", dir=parent)
    except OSError as e:
        raise OutputError(f"{option} {quote(target)}: cannot create: {e.strerror}") from None
    old = None
    try:
        os.chmod(staging, 0o777 & ~_umask())  # mkdtemp's 0700 would otherwise become the folder's mode
        for name, data in [(MARKER, f"written by {writer}\n".encode())] + sorted(files.items()):
            path = os.path.join(staging, *name.split("/"))
            os.makedirs(os.path.dirname(path), exist_ok=True)
            with open(path, "xb") as f:
                f.write(data)
        if state == "replace":
            old = staging[:-len(".new")] + ".old"
            os.rename(target, old)
        os.rename(staging, target)  # onto nothing, or onto an empty folder, which rename() replaces
    except OSError as e:
        if old is not None and not os.path.lexists(target):
            os.rename(old, target)
            old = None
        shutil.rmtree(staging, ignore_errors=True)
        raise OutputError(f"{option} {quote(target)}: cannot write: {e.strerror}") from None
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)


def write_single(target: str, data: bytes, *, option: str) -> None:
    """Write one file by writing a temporary file beside it and renaming it into place."""
    import tempfile

    target = os.path.realpath(target)
    if os.path.isdir(target):
        raise OutputError(f"{option} {quote(target)}: is a folder: refused")
    staging = None
    try:
        fd, staging = tempfile.mkstemp(prefix=f".{os.path.basename(target)}.", suffix=".new",
                                       dir=os.path.dirname(target))
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        os.chmod(staging, 0o666 & ~_umask())  # mkstemp's 0600 would otherwise stay
        os.replace(staging, target)
    except OSError as e:
        if staging is not None and os.path.lexists(staging):
            os.unlink(staging)
        raise OutputError(f"{option} {quote(target)}: cannot write: {e.strerror}") from None
