"""The table registry: one descriptor per ACPI table signature, from one module per table.

Adding a table: write qboot_tables/schemas/acpi/<table>.py (the construct schema and the spec's name tables)
and qboot_tables/tables/<table>.py (a DESCRIPTOR with meanings, subtable keys and checks), then add the module's
name to TABLE_MODULES below. Nothing else names a signature.
"""
import importlib

from qboot_tables.tables import generic, rsdp
from qboot_tables.tables.descriptor import Subtables, TableDescriptor

# One line per table module below qboot_tables/tables/. Each has a DESCRIPTOR, or DESCRIPTORS when one module
# serves several signatures (RSDT and XSDT).
TABLE_MODULES = (
    "aml",
    "asf",
    "bert",
    "bgrt",
    "boot",
    "cedt",
    "cpep",
    "csrt",
    "dbg2",
    "dbgp",
    "dmar",
    "drtm",
    "ecdt",
    "einj",
    "erst",
    "facs",
    "fadt",
    "fpdt",
    "gtdt",
    "hest",
    "hmat",
    "hpet",
    "iort",
    "ivrs",
    "lpit",
    "madt",
    "mcfg",
    "mchi",
    "mpst",
    "msct",
    "msdm",
    "mtmr",
    "nfit",
    "pcct",
    "pdtt",
    "pmtt",
    "pptt",
    "rasf",
    "sbst",
    "sdei",
    "sdev",
    "sdt",
    "slic",
    "slit",
    "spcr",
    "spmi",
    "srat",
    "stao",
    "tcpa",
    "tpm2",
    "uefi",
    "viot",
    "vrtc",
    "waet",
    "wdat",
    "wddt",
    "wdrt",
    "wpbt",
    "wsmt",
    "xenv",
)
DESCRIPTORS: dict[str, TableDescriptor] = {}
for _name in TABLE_MODULES:
    _module = importlib.import_module(f"qboot_tables.tables.{_name}")
    for _descriptor in getattr(_module, "DESCRIPTORS", None) or (_module.DESCRIPTOR,):
        DESCRIPTORS[_descriptor.signature] = _descriptor
RSDP = rsdp.DESCRIPTOR
GENERIC = generic.DESCRIPTOR


def descriptor(signature: str) -> TableDescriptor:
    """The descriptor for a table signature; a signature nobody registered gets GENERIC."""
    return DESCRIPTORS.get(signature, GENERIC)


__all__ = ["DESCRIPTORS", "GENERIC", "RSDP", "Subtables", "TableDescriptor", "descriptor"]
