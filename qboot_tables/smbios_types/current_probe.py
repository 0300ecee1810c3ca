"""SMBIOS type 29, Electrical Current Probe."""
from qboot_tables.schemas import smbios_ext as X
from qboot_tables.smbios_types.probes import probe_descriptor, reading

# §7.30: mA, resolution in 1/10 mA; the locations are the voltage probe's.
DESCRIPTOR = probe_descriptor(29, X.current_probe, "DSP0134 3.6.0 §7.30", X.VOLTAGE_PROBE_LOCATIONS,
                              reading(1000, "A", 3), reading(10, "mA", 1, signed=False))
