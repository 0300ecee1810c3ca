"""SMBIOS type 8, Port Connector Information."""
from qboot_tables.schemas import smbios as S, smbios_ext as X
from qboot_tables.smbios_types.descriptor import SmbiosDescriptor

# §7.9.2, §7.9.3: FFh is "Other" in both tables.
CONNECTORS = {**X.CONNECTOR_TYPES, 0xFF: "Other"}
PORTS = {**X.PORT_TYPES, 0xFF: "Other"}

DESCRIPTOR = SmbiosDescriptor(
    type=8, title=S.TYPE_NAMES[8], schema=X.port_connector, spec="DSP0134 3.6.0 §7.9", min_length=0x09,
    strings=frozenset({"internal_reference_designator", "external_reference_designator"}),
    enums={"internal_connector_type": CONNECTORS, "external_connector_type": CONNECTORS, "port_type": PORTS},
)
