"""RSDP: its descriptor. It is found by its 8-byte signature, not listed by signature in the registry."""
from qboot_tables.schemas.acpi.rsdp import RSDP_V1_SIZE, rsdp
from qboot_tables.tables.descriptor import TableDescriptor

DESCRIPTOR = TableDescriptor(signature="RSDP", title="Root System Description Pointer (RSDP)", schema=rsdp,
                             spec="ACPI 6.5 §5.2.5.3", header=False, min_length=RSDP_V1_SIZE,
                             pointers=frozenset({"rsdt_address", "v2.xsdt_address"}))
