"""qboot_tables: the firmware tables (ACPI, SMBIOS, e820, fw_cfg) that QEMU hands a guest, read and checked."""

__version__ = "0.1.0"
