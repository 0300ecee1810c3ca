"""FADT ("FACP"): its descriptor and checks."""
from __future__ import annotations

from qboot_tables.show.descriptions import bit_names, enum_name
from qboot_tables.findings import ERROR, WARNING, Finding
from qboot_tables.schemas.acpi.fadt import IAPC_BOOT_ARCH_FLAGS, PM_PROFILES, FadtFlags, fadt
from qboot_tables.tables.descriptor import TableDescriptor

# The FADT length that iasl expects for each revision (ACPICA common/dmtbdump.c AcpiDmValidateFadtLength, with
# the sizes of actbl.h ACPI_FADT_V1_SIZE .. V5_SIZE): revision 2 is the 132-byte ACPI 1.0b FADT (reset register,
# reset value and 3 reserved bytes). iasl checks no length for revision 6 and above.
FADT_LENGTHS = {1: 116, 2: 132, 3: 244, 4: 244, 5: 268}


def check_fadt(table) -> list[Finding]:
    p, out = table.parsed, []
    # ACPICA reads an FADT of any length (tbfadt.c AcpiTbCreateLocalFadt copies what there is and zeroes the
    # rest; the revision is unreliable, only the length counts), so a length is at most a warning, and only
    # where iasl prints its own "ACPI Warning" (AcpiDmValidateFadtLength). Bytes past the 276 of ACPI 6.5, which
    # AcpiTbCreateLocalFadt warns of and ignores, are the generic check's `extra` warning.
    expected = FADT_LENGTHS.get(p.header.revision)
    if p.header.revision == 0:
        out.append(Finding(WARNING, table.name, "header.revision", "invalid FADT revision 0"))
    elif expected is not None and p.header.length != expected:
        out.append(Finding(WARNING, table.name, "header.length",
                           f"{p.header.length} bytes for revision {p.header.revision}, expected {expected}"))
    for legacy, extended in (("firmware_ctrl", "x_firmware_ctrl"), ("dsdt", "x_dsdt")):
        if p[legacy] and p[extended] and p[legacy] != p[extended]:
            out.append(Finding(WARNING, table.name, extended,
                               f"{p[extended]:#x} differs from {legacy} {p[legacy]:#x}; the X_ field wins"))
    if not p.dsdt and not p.x_dsdt:
        out.append(Finding(ERROR, table.name, "dsdt", "no DSDT address"))
    if not p.firmware_ctrl and not p.x_firmware_ctrl and not p.flags & FadtFlags.HW_REDUCED_ACPI:
        out.append(Finding(ERROR, table.name, "firmware_ctrl", "no FACS address on a non-HW-reduced platform"))
    return out


DESCRIPTOR = TableDescriptor(
    signature="FACP",
    title="Fixed ACPI Description Table (FADT)",
    schema=fadt,
    spec="ACPI 6.5 §5.2.9",
    min_length=116,
    meanings={
        (None, "flags"): bit_names(FadtFlags),
        (None, "iapc_boot_arch"): bit_names(IAPC_BOOT_ARCH_FLAGS),
        (None, "preferred_pm_profile"): enum_name(PM_PROFILES),
    },
    pointers=frozenset({"firmware_ctrl", "dsdt", "x_firmware_ctrl", "x_dsdt"}),
    checks=(check_fadt,),
)
