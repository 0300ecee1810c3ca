"""TPM2: the Trusted Platform Module 2.0 hardware interface table."""
from construct import Bytes, IfThenElse, Int8ul, Int16ul, Int32ul, Int64ul, Optional, Pass, Struct, Switch, this

from qboot_tables.schemas.common import table

ARM_SMC = 11
# Revision 3 is the layout before TCG's ACPI specification (ACPICA actbl3.h ACPI_TABLE_TPM23): a 4-byte
# reserved field where revision 4 has the platform class, and a 4-byte trailer for the ACPI start method.
REVISION_3 = 3

# TCG ACPI Specification 1.3 §8.3 Table 9: start method specific parameters of the Command Response Buffer
# with Arm SMC start method (11).
arm_smc_parameters = Struct(
    "interrupt" / Int32ul,  # GSIV of the TPM's interrupt, when interrupt_flags says it has one
    "interrupt_flags" / Int8ul,  # TPM2_ARM_SMC_INTERRUPT_FLAGS
    "operation_flags" / Int8ul,  # TPM2_ARM_SMC_OPERATION_FLAGS
    "reserved" / Int16ul,
    "function_id" / Int32ul,  # the SMC/HVC function that starts a command
)

# TCG ACPI Specification 1.3 §8.3 Table 7 TPM2 table. After the start method come its 12 bytes of start
# method specific parameters, then the optional log area (the TCG event log's minimum length and address);
# Linux reads them at the same offsets (include/acpi/actbl3.h struct acpi_tpm2_phy, used by
# drivers/char/tpm/eventlog/acpi.c). Each part is there only when the table is long enough for it.
tpm2 = table(
    "platform_class" / IfThenElse(this.header.revision == REVISION_3, Pass, Int16ul),  # TPM2_PLATFORM_CLASSES
    "reserved" / IfThenElse(this.header.revision == REVISION_3, Int32ul, Int16ul),
    "control_address" / Int64ul,  # the CRB control area, or the TIS base for memory-mapped I/O
    "start_method" / Int32ul,  # TPM2_START_METHODS
    "start_method_parameters" / Optional(IfThenElse(
        this.header.revision == REVISION_3, Int32ul,
        Switch(this.start_method, {ARM_SMC: arm_smc_parameters}, default=Bytes(12)))),
    "log_area_minimum_length" / Optional(Int32ul),
    "log_area_start_address" / Optional(Int64ul),
)

# TCG ACPI Specification 1.3 §8.3 Table 7 Platform Class.
TPM2_PLATFORM_CLASSES = {0: "Client", 1: "Server"}
# TCG ACPI Specification 1.3 §8.3 Table 8 Start Method; the others are reserved.
TPM2_START_METHODS = {
    0: "Not allowed",
    2: "ACPI Start",
    6: "Memory-mapped I/O (TIS)",
    7: "Command Response Buffer",
    8: "Command Response Buffer with ACPI Start",
    11: "Command Response Buffer with Arm SMC",
    13: "Command Response Buffer with Pluton",  # ACPICA actbl3.h
    15: "Command Response Buffer with Arm FF-A",  # ACPICA actbl3.h
}
# TCG ACPI Specification 1.3 §8.3 Table 9 flags, bit -> name.
TPM2_ARM_SMC_INTERRUPT_FLAGS = {0: "INTERRUPT_SUPPORT"}
TPM2_ARM_SMC_OPERATION_FLAGS = {0: "IDLE_SUPPORT"}
