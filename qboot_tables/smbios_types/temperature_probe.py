"""SMBIOS type 28, Temperature Probe."""
from qboot_tables.schemas import smbios_ext as X
from qboot_tables.smbios_types.probes import probe_descriptor, reading

# §7.29: 1/10 degC, resolution in 1/1000 degC.
DESCRIPTOR = probe_descriptor(28, X.temperature_probe, "DSP0134 3.6.0 §7.29", X.TEMPERATURE_PROBE_LOCATIONS,
                              reading(10, "deg C", 1), reading(1000, "deg C", 3, signed=False))
