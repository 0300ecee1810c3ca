"""AML: the encoder (and, to come, the decoder) of ACPI Machine Language."""
