"""TPM2: its descriptor."""
from qboot_tables.show.descriptions import bit_names, byte_size, enum_name
from qboot_tables.schemas.acpi.tpm2 import (TPM2_PLATFORM_CLASSES, TPM2_START_METHODS, Tpm2ArmSmcInterruptFlags,
                                            Tpm2ArmSmcOperationFlags, tpm2)
from qboot_tables.tables.descriptor import TableDescriptor

DESCRIPTOR = TableDescriptor(
    signature="TPM2",
    title="Trusted Platform Module 2.0 Table (TPM2)",
    schema=tpm2,
    spec="TCG ACPI Specification 1.3 §8.3",
    min_length=52,
    meanings={
        (None, "platform_class"): enum_name(TPM2_PLATFORM_CLASSES, "Reserved"),
        (None, "start_method"): enum_name(TPM2_START_METHODS, "Reserved"),
        (None, "interrupt_flags"): bit_names(Tpm2ArmSmcInterruptFlags),
        (None, "operation_flags"): bit_names(Tpm2ArmSmcOperationFlags),
        (None, "log_area_minimum_length"): byte_size,
    },
)
