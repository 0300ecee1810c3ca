"""DSDT and SSDT: the definition blocks' descriptors; the AML itself is kept as bytes."""
from qboot_tables.schemas.acpi.aml import aml_table
from qboot_tables.tables.descriptor import TableDescriptor

DSDT = TableDescriptor(signature="DSDT", title="Differentiated System Description Table (DSDT)",
                       schema=aml_table, spec="ACPI 6.5 §5.2.11.1")
SSDT = TableDescriptor(signature="SSDT", title="Secondary System Description Table (SSDT)",
                       schema=aml_table, spec="ACPI 6.5 §5.2.11.2")
DESCRIPTORS = (DSDT, SSDT)
