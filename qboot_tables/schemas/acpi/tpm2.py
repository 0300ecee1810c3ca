"""TPM2: the Trusted Platform Module 2.0 hardware interface table."""
from enum import IntEnum, IntFlag

from construct import Bytes, IfThenElse, Int8ul, Int16ul, Int32ul, Int64ul, Optional, Pass, Struct, Switch, this

from qboot_tables.schemas.common import table


# TCG ACPI Specification 1.3 §8.3 Table 8 Start Method; the others are reserved.
class Tpm2StartMethod(IntEnum):
    NOT_ALLOWED = 0
    ACPI_START = 2
    MEMORY_MAPPED = 6
    COMMAND_BUFFER = 7
    COMMAND_BUFFER_WITH_ACPI_START = 8
    COMMAND_BUFFER_WITH_ARM_SMC = 11
    COMMAND_BUFFER_WITH_PLUTON = 13  # ACPICA actbl3.h
    COMMAND_BUFFER_WITH_ARM_FFA = 15  # ACPICA actbl3.h


# Revision 3 is the layout before TCG's ACPI specification (ACPICA actbl3.h ACPI_TABLE_TPM23): a 4-byte
# reserved field where revision 4 has the platform class, and a 4-byte trailer for the ACPI start method.
REVISION_3 = 3

# TCG ACPI Specification 1.3 §8.3 Table 9: start method specific parameters of the Command Response Buffer
# with Arm SMC start method (COMMAND_BUFFER_WITH_ARM_SMC).
arm_smc_parameters = Struct(
    "interrupt" / Int32ul,  # GSIV of the TPM's interrupt, when interrupt_flags says it has one
    "interrupt_flags" / Int8ul,  # Tpm2ArmSmcInterruptFlags
    "operation_flags" / Int8ul,  # Tpm2ArmSmcOperationFlags
    "reserved" / Int16ul,
    "function_id" / Int32ul,  # the SMC/HVC function that starts a command
)

# TCG ACPI Specification 1.3 §8.3 Table 7 TPM2 table. After the start method come its 12 bytes of start
# method specific parameters, then the optional log area (the TCG event log's minimum length and address);
# Linux reads them at the same offsets (include/acpi/actbl3.h struct acpi_tpm2_phy, used by
# drivers/char/tpm/eventlog/acpi.c). Each part is there only when the table is long enough for it.
tpm2 = table(
    "platform_class" / IfThenElse(this.header.revision == REVISION_3, Pass, Int16ul),  # Tpm2PlatformClass
    "reserved" / IfThenElse(this.header.revision == REVISION_3, Int32ul, Int16ul),
    "control_address" / Int64ul,  # the CRB control area, or the TIS base for memory-mapped I/O
    "start_method" / Int32ul,  # Tpm2StartMethod
    "start_method_parameters" / Optional(IfThenElse(
        this.header.revision == REVISION_3, Int32ul,
        Switch(this.start_method, {Tpm2StartMethod.COMMAND_BUFFER_WITH_ARM_SMC: arm_smc_parameters},
               default=Bytes(12)))),
    "log_area_minimum_length" / Optional(Int32ul),
    "log_area_start_address" / Optional(Int64ul),
)



# TCG ACPI Specification 1.3 §8.3 Table 7 Platform Class.
class Tpm2PlatformClass(IntEnum):
    CLIENT = 0
    SERVER = 1


# The name of each platform class, for display.
TPM2_PLATFORM_CLASSES = {Tpm2PlatformClass.CLIENT: "Client", Tpm2PlatformClass.SERVER: "Server"}
# The spec's name of each start method, for display.
TPM2_START_METHODS = {
    Tpm2StartMethod.NOT_ALLOWED: "Not allowed",
    Tpm2StartMethod.ACPI_START: "ACPI Start",
    Tpm2StartMethod.MEMORY_MAPPED: "Memory-mapped I/O (TIS)",
    Tpm2StartMethod.COMMAND_BUFFER: "Command Response Buffer",
    Tpm2StartMethod.COMMAND_BUFFER_WITH_ACPI_START: "Command Response Buffer with ACPI Start",
    Tpm2StartMethod.COMMAND_BUFFER_WITH_ARM_SMC: "Command Response Buffer with Arm SMC",
    Tpm2StartMethod.COMMAND_BUFFER_WITH_PLUTON: "Command Response Buffer with Pluton",
    Tpm2StartMethod.COMMAND_BUFFER_WITH_ARM_FFA: "Command Response Buffer with Arm FF-A",
}


# TCG ACPI Specification 1.3 §8.3 Table 9 Interrupt Flags.
class Tpm2ArmSmcInterruptFlags(IntFlag):
    INTERRUPT_SUPPORT = 1 << 0


# TCG ACPI Specification 1.3 §8.3 Table 9 Operation Flags.
class Tpm2ArmSmcOperationFlags(IntFlag):
    IDLE_SUPPORT = 1 << 0
