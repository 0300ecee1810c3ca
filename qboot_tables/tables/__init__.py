"""The table registry: one descriptor per ACPI table signature, from one module per table.

Adding a table: write qboot_tables/schemas/acpi/<table>.py (the construct schema and the spec's name tables)
and qboot_tables/tables/<table>.py (a DESCRIPTOR with meanings, subtable keys and checks), then add the module
to TABLE_MODULES below. Nothing else names a signature.
"""
from qboot_tables.tables import aml, facs, fadt, generic, hpet, madt, mcfg, rsdp, sdt, slit, srat, waet
from qboot_tables.tables.descriptor import Subtables, TableDescriptor

# Each module has a DESCRIPTOR, or DESCRIPTORS when one module serves several signatures (RSDT and XSDT).
TABLE_MODULES = (
    fadt, facs, madt, hpet, mcfg, srat, slit, waet, sdt, aml,
)
DESCRIPTORS: dict[str, TableDescriptor] = {
    d.signature: d for module in TABLE_MODULES for d in getattr(module, "DESCRIPTORS", None) or (module.DESCRIPTOR,)}
RSDP = rsdp.DESCRIPTOR
GENERIC = generic.DESCRIPTOR


def descriptor(signature: str) -> TableDescriptor:
    """The descriptor for a table signature; a signature nobody registered gets GENERIC."""
    return DESCRIPTORS.get(signature, GENERIC)


__all__ = ["DESCRIPTORS", "GENERIC", "RSDP", "Subtables", "TableDescriptor", "descriptor"]
