"""The table registry: one descriptor per ACPI table signature, from one module per table.

Adding a table: write qboot_tables/schemas/acpi/<table>.py (the construct schema and the spec's constants)
and qboot_tables/tables/<table>.py (a DESCRIPTOR with meanings, subtable keys and checks), then add its
signature and module, one line, to TABLE_MODULES below. Nothing else names a signature.
"""
from collections.abc import Mapping

from qboot_tables.registry import LazyRegistry
from qboot_tables.tables import generic, rsdp
from qboot_tables.tables.descriptor import Subtables, TableDescriptor

# Signature -> the module below qboot_tables/tables/ that describes it: a DESCRIPTOR, or DESCRIPTORS when one
# module serves several signatures (RSDT and XSDT). A module is imported when its table is first met, so a
# dump of QEMU's dozen tables does not load sixty modules.
TABLE_MODULES = {
    "APIC": "madt",
    "ASF!": "asf",
    "BERT": "bert",
    "BGRT": "bgrt",
    "BOOT": "boot",
    "CEDT": "cedt",
    "CPEP": "cpep",
    "CSRT": "csrt",
    "DBG2": "dbg2",
    "DBGP": "dbgp",
    "DMAR": "dmar",
    "DRTM": "drtm",
    "DSDT": "aml",
    "ECDT": "ecdt",
    "EINJ": "einj",
    "ERST": "erst",
    "FACP": "fadt",
    "FACS": "facs",
    "FPDT": "fpdt",
    "GTDT": "gtdt",
    "HEST": "hest",
    "HMAT": "hmat",
    "HPET": "hpet",
    "IORT": "iort",
    "IVRS": "ivrs",
    "LPIT": "lpit",
    "MCFG": "mcfg",
    "MCHI": "mchi",
    "MPST": "mpst",
    "MSCT": "msct",
    "MSDM": "msdm",
    "MTMR": "mtmr",
    "NFIT": "nfit",
    "PCCT": "pcct",
    "PDTT": "pdtt",
    "PMTT": "pmtt",
    "PPTT": "pptt",
    "RASF": "rasf",
    "RSDT": "sdt",
    "S3PT": "fpdt",
    "SBST": "sbst",
    "SDEI": "sdei",
    "SDEV": "sdev",
    "SLIC": "slic",
    "SLIT": "slit",
    "SPCR": "spcr",
    "SPMI": "spmi",
    "SRAT": "srat",
    "SSDT": "aml",
    "STAO": "stao",
    "TCPA": "tcpa",
    "TPM2": "tpm2",
    "UEFI": "uefi",
    "VIOT": "viot",
    "VRTC": "vrtc",
    "WAET": "waet",
    "WDAT": "wdat",
    "WDDT": "wddt",
    "WDRT": "wdrt",
    "WPBT": "wpbt",
    "WSMT": "wsmt",
    "XENV": "xenv",
    "XSDT": "sdt",
}


DESCRIPTORS: Mapping[str, TableDescriptor] = LazyRegistry("qboot_tables.tables", TABLE_MODULES,
                                                            lambda found: found.signature)
# The names people use for tables whose signature says something else (ACPI 6.5 §5.2.12, §5.2.9).
SIGNATURE_ALIASES = {"MADT": "APIC", "FADT": "FACP"}
RSDP = rsdp.DESCRIPTOR
GENERIC = generic.DESCRIPTOR


def descriptor(signature: str) -> TableDescriptor:
    """The descriptor for a table signature; a signature nobody registered gets GENERIC."""
    return DESCRIPTORS[signature] if signature in TABLE_MODULES else GENERIC


__all__ = ["DESCRIPTORS", "GENERIC", "RSDP", "SIGNATURE_ALIASES", "Subtables", "TableDescriptor", "descriptor"]
