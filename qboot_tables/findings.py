"""A finding: one problem that validation or linking saw in otherwise readable tables."""
from __future__ import annotations

from typing import NamedTuple

ERROR = "error"
WARNING = "warning"
INFO = "info"


# NamedTuple rather than a dataclass: it is immutable and compares the same, and it costs a tenth as much to
# define, which matters to a CLI whose whole run is a few dozen milliseconds.
class Finding(NamedTuple):
    severity: str  # ERROR, WARNING or INFO
    table: str  # "APIC", "SMBIOS type 4 @0x0400", "table-loader", "e820" ...
    field: str  # the field path, "" for the table as a whole
    message: str

    def __str__(self) -> str:
        field = f".{self.field}" if self.field else ""
        return f"{self.severity}: {self.table}{field}: {self.message}"

    def as_dict(self) -> dict:
        return {"severity": self.severity, "table": self.table, "field": self.field, "message": self.message}


def has_errors(findings) -> bool:
    return any(f.severity == ERROR for f in findings)
