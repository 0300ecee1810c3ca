"""WSMT: Microsoft's Windows SMM Security Mitigations Table, the SMM protections the firmware promises."""
from enum import IntFlag

from construct import Int32ul

from qboot_tables.schemas.common import table

WSMT_SIZE = 40

# Microsoft "Windows SMM Security Mitigations Table (WSMT)" specification 1.0, table format (40 bytes).
wsmt = table(
    "protection_flags" / Int32ul,  # WsmtProtectionFlags
)


# The same document, Protection Flags. FIXED_COMM_BUFFERS: SMI handlers use only fixed,
# firmware-allocated communication buffers. COMM_BUFFER_NESTED_PTR_PROTECTION: they also check pointers inside
# those buffers (needs FIXED_COMM_BUFFERS). SYSTEM_RESOURCE_PROTECTION: the firmware locks the system resources
# (such as I/O and MMIO configuration) that SMM relies on.
class WsmtProtectionFlags(IntFlag):
    FIXED_COMM_BUFFERS = 1 << 0
    COMM_BUFFER_NESTED_PTR_PROTECTION = 1 << 1
    SYSTEM_RESOURCE_PROTECTION = 1 << 2
