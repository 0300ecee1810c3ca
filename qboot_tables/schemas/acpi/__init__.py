"""ACPI table schemas, one module per table; SIGNATURE_SCHEMAS maps a signature to its schema."""
