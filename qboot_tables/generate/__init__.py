"""Generators: the tables, fw_cfg files and captures a QEMU 7.2 machine would have, built from its MachineConfig."""
