"""STAO: the Status Override Table, with which a hypervisor hides devices (and the UART) from its guest."""
from construct import ExprValidator, GreedyRange, Int8ul

from qboot_tables.schemas.common import table, through_nul

STAO_MIN_SIZE = 37

# "_STA Override (STAO) Table" (Xen project, linked from the ACPI 6.5 §5.2.6 signature table): a byte that says
# whether to ignore the SPCR's UART, then NUL-terminated namepaths of the devices to hide, to the end.
stao = table(
    "ignore_uart" / Int8ul,  # 1: the OS should not use the UART the SPCR names
    "namepaths" / GreedyRange(ExprValidator(through_nul, lambda name, _ctx: len(name) > 0)),
)
