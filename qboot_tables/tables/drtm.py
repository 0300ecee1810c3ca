"""DRTM: its descriptor."""
from qboot_tables.show.descriptions import bit_fields, bit_names, byte_size
from qboot_tables.schemas.acpi.drtm import DRTM_MIN_LENGTH, DRTM_RESOURCE_TYPE_FIELDS, DrtmFlags, drtm
from qboot_tables.tables.descriptor import TableDescriptor

DESCRIPTOR = TableDescriptor(
    signature="DRTM",
    title="Dynamic Root of Trust for Measurement Table (DRTM)",
    schema=drtm,
    spec="TCG D-RTM Architecture Specification 1.0.0 §7.1",
    min_length=DRTM_MIN_LENGTH,
    meanings={
        (None, "drt_flags"): bit_names(DrtmFlags),
        (None, "type"): bit_fields(DRTM_RESOURCE_TYPE_FIELDS),
        (None, "size"): byte_size,
        (None, "log_area_length"): byte_size,
    },
)
