"""ACPI table schemas, one module per table; SIGNATURE_SCHEMAS maps a signature to its schema."""
from qboot_tables.schemas.acpi.aml import aml_table
from qboot_tables.schemas.acpi.facs import facs
from qboot_tables.schemas.acpi.fadt import fadt
from qboot_tables.schemas.acpi.generic import generic_table
from qboot_tables.schemas.acpi.hpet import hpet
from qboot_tables.schemas.acpi.madt import madt
from qboot_tables.schemas.acpi.mcfg import mcfg
from qboot_tables.schemas.acpi.rsdp import rsdp
from qboot_tables.schemas.acpi.sdt import rsdt, xsdt
from qboot_tables.schemas.acpi.slit import slit
from qboot_tables.schemas.acpi.srat import srat
from qboot_tables.schemas.acpi.waet import waet

# Table signature (as text) -> schema. A signature not listed here parses with generic_table. The RSDP has
# no table header and is found by its own signature, so it is exported beside this map, not in it.
SIGNATURE_SCHEMAS = {
    "APIC": madt,
    "FACP": fadt,
    "RSDT": rsdt,
    "XSDT": xsdt,
    "HPET": hpet,
    "MCFG": mcfg,
    "SRAT": srat,
    "SLIT": slit,
    "WAET": waet,
    "DSDT": aml_table,
    "SSDT": aml_table,
    "FACS": facs,
}

__all__ = ["SIGNATURE_SCHEMAS", "generic_table", "rsdp"]
