"""The wrappers of outside programs and formats: QEMU capture, iasl, dmidecode and acpidump text."""
