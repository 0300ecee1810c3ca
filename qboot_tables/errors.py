"""The library's exception hierarchy, and the one place that turns construct's errors into it."""
from __future__ import annotations

import construct


class QbootTablesError(Exception):
    """Base of every error this library raises on bad input; the CLI turns it into a message and exit 2."""


class UsageError(QbootTablesError):
    """A command line that asks for something impossible: a malformed option, or outputs over inputs."""


class InputError(QbootTablesError):
    """An input that cannot be read or recognised: a missing file, an empty directory, an unknown format."""


class ParseError(QbootTablesError):
    """Bytes that do not fit a schema: truncated, or with a field that cannot hold its value."""

    def __init__(self, what: str, message: str, path: str = "", offset: int | None = None):
        self.what, self.path, self.offset = what, path, offset
        where = f" at {path}" if path else ""
        at = f" (offset {offset:#x})" if offset is not None else ""
        super().__init__(f"{what}: {message}{where}{at}")


class LoaderError(QbootTablesError):
    """A table-loader command that a firmware must refuse before it touches memory. `link(strict=True)` raises
    it; the default lint mode turns it into the finding `finding()` makes and goes on."""

    def __init__(self, index: int | None, field: str, message: str, severity: str = "error"):
        self.index, self.field, self.message, self.severity = index, field, message, severity
        where = f"command {index}" if index is not None else "table-loader"
        super().__init__(f"{where}: {field}: {message}")

    def finding(self):
        from qboot_tables.findings import Finding

        field = self.field if self.index is None else f"command[{self.index}].{self.field}"
        return Finding(self.severity, "table-loader", field, self.message)


class CaptureError(QbootTablesError):
    """QEMU could not be started, exited, timed out or answered the qtest protocol wrongly."""


class LoggedCaptureError(CaptureError):
    """A run that failed, its message ending with the last `lines` lines of the log that tells why."""

    def __init__(self, message: str, log_text: str, title: str, lines: int):
        tail = "\n".join(log_text.splitlines()[-lines:])
        super().__init__(f"{message}\n--- {title} ---\n{tail}" if tail else message)


class CaptureIndexError(InputError):
    """A capture's fw_cfg.json that does not have its documented shape; `key` names the offending value."""

    def __init__(self, where: str, key: str, message: str):
        self.key = key
        super().__init__(f"{where}: fw_cfg.json {key}: {message}")


class OutputError(QbootTablesError):
    """An output that must not or cannot be written: over an input, into someone else's folder, or an OSError."""


class ToolError(QbootTablesError):
    """An outside tool (iasl, dmidecode) is missing or failed to run."""


def quote(text, limit: int = 80) -> str:
    """User text for an error message: single-quoted, with control and non-ASCII characters escaped (a
    full-width four shows as `\\uff14`, not as a 4), and past about `limit` characters cut in the middle,
    keeping both ends (a path's end names the file), so a 100,000-character argument still gives a short line."""
    text = str(text)
    whole = _fit(text[:limit + 1], limit)
    if len(whole) == len(text):
        return "'" + "".join(whole) + "'"
    head = _fit(text[:limit // 2], limit // 2)
    tail = _fit(text[::-1][:limit // 2], limit // 2)[::-1]
    return f"'{''.join(head)}...{''.join(tail)}' ({len(text)} characters)"


def _fit(chars: str, limit: int) -> list[str]:
    """The escaped forms of `chars`, as many of them as fit in `limit` characters."""
    pieces, size = [], 0
    for ch in chars:
        piece = "\\'" if ch == "'" else ascii(ch)[1:-1]
        if size + len(piece) > limit:
            break
        pieces.append(piece)
        size += len(piece)
    return pieces


def parse(schema: construct.Construct, data: bytes, what: str, **context):
    """Parse `data` with `schema`; construct's errors become ParseError naming `what` and the field path."""
    try:
        return schema.parse(data, **context)
    except construct.StreamError as e:
        raise ParseError(what, "truncated: " + _short(e), _path(e)) from None
    except construct.ConstructError as e:
        raise ParseError(what, _short(e), _path(e)) from None


def build(schema: construct.Construct, value, what: str, **context) -> bytes:
    """Build `value` with `schema`; construct's errors become ParseError naming `what` and the field path."""
    try:
        return schema.build(value, **context)
    except construct.ConstructError as e:
        raise ParseError(what, "cannot build: " + _short(e), _path(e)) from None
    except (TypeError, ValueError, KeyError, AttributeError) as e:
        # construct lets Python's own errors through for a missing key or a value of the wrong type.
        raise ParseError(what, f"cannot build: {e.__class__.__name__}: {e}") from None


def _path(e: construct.ConstructError) -> str:
    path = getattr(e, "path", None) or ""
    return path.replace("(parsing) -> ", "").replace("(building) -> ", "").strip()


def _short(e: construct.ConstructError) -> str:
    # construct prefixes the message with the path; keep only the message itself.
    text = str(e).split("\n")[-1]
    if "\n" not in str(e) and getattr(e, "path", None):
        text = str(e).replace(e.path, "").strip()
    return text or e.__class__.__name__
