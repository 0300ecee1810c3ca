"""RSDT and XSDT: the root tables' descriptors; every entry is the address of a table."""
from qboot_tables.schemas.acpi.sdt import rsdt, xsdt
from qboot_tables.tables.descriptor import TableDescriptor

RSDT = TableDescriptor(signature="RSDT", title="Root System Description Table (RSDT)", schema=rsdt,
                       spec="ACPI 6.5 §5.2.7", items="4-byte entry", root=True)
XSDT = TableDescriptor(signature="XSDT", title="Extended System Description Table (XSDT)", schema=xsdt,
                       spec="ACPI 6.5 §5.2.8", items="8-byte entry", root=True)
DESCRIPTORS = (RSDT, XSDT)
