"""ACPI table schemas, one module per table. qboot_tables.tables maps signatures to them, through descriptors."""
