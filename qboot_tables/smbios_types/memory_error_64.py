"""SMBIOS type 33, 64-Bit Memory Error Information."""
from qboot_tables.schemas import smbios_ext as X
from qboot_tables.smbios_types.memory_error import memory_error_descriptor

DESCRIPTOR = memory_error_descriptor(33, X.memory_error_64, "DSP0134 3.6.0 §7.34", 0x1F, 0x8000000000000000)
