"""ACPI table schemas, one module per table. qboot_tables.tables maps signatures to them, through descriptors."""
from __future__ import annotations

from enum import IntFlag


def flag_bits(flags: type[IntFlag]) -> dict[int, str]:
    """{bit: member name} of an IntFlag's one-bit members, in their order of definition: the {bit: name} table
    of flags whose spec names are identifiers."""
    return {member.value.bit_length() - 1: name for name, member in flags.__members__.items()
            if member.value and member.value & (member.value - 1) == 0}
