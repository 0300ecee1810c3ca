"""fw_cfg wire formats: the file directory (selector 0x19) and the DMA access descriptor."""
from construct import Array, Bytes, Int8ul, Int16ub, Int16ul, Int32ub, Int64ub, Struct, this

FW_CFG_NAME_SIZE = 56

# QEMU docs/specs/fw_cfg.rst "File Directory Item": big-endian count, then 64-byte entries sorted by name.
fw_cfg_file = Struct(
    "size" / Int32ub,
    "select" / Int16ub,
    "reserved" / Int16ub,
    "name" / Bytes(FW_CFG_NAME_SIZE),
)
fw_cfg_directory = Struct(
    "count" / Int32ub,
    "files" / Array(this.count, fw_cfg_file),
)

# QEMU docs/specs/fw_cfg.rst "FWCfgDmaAccess": all fields big-endian.
fw_cfg_dma_access = Struct(
    "control" / Int32ub,
    "length" / Int32ub,
    "address" / Int64ub,
)

# Well-known selectors (QEMU include/standard-headers/linux/qemu_fw_cfg.h, hw/i386/fw_cfg.h).
FW_CFG_SIGNATURE = 0x00
FW_CFG_ID = 0x01
FW_CFG_UUID = 0x02
FW_CFG_RAM_SIZE = 0x03
FW_CFG_NB_CPUS = 0x05
FW_CFG_NUMA = 0x0D
FW_CFG_MAX_CPUS = 0x0F
FW_CFG_FILE_DIR = 0x19
FW_CFG_SMBIOS_ENTRIES = 0x8001
FW_CFG_IRQ0_OVERRIDE = 0x8002
FW_CFG_HPET = 0x8004

# The capture's selector names (fw_cfg.json "selectors", as qboot_tables.tools.qemu decodes them) -> the
# selector key each is read from (QEMU include/standard-headers/linux/qemu_fw_cfg.h, hw/i386/fw_cfg.h), in key order.
SELECTOR_KEYS = {
    "signature": FW_CFG_SIGNATURE, "features": FW_CFG_ID, "uuid": FW_CFG_UUID, "ram_size": FW_CFG_RAM_SIZE,
    "nographic": 0x04, "nb_cpus": FW_CFG_NB_CPUS, "kernel_size": 0x08, "initrd_size": 0x0B,
    "numa": FW_CFG_NUMA, "boot_menu": 0x0E, "max_cpus": FW_CFG_MAX_CPUS, "cmdline_size": 0x14,
    "setup_size": 0x17, "smbios_entries": FW_CFG_SMBIOS_ENTRIES, "irq0_override": FW_CFG_IRQ0_OVERRIDE,
    "hpet": FW_CFG_HPET,
}
# FW_CFG_SMBIOS_ENTRIES, how QEMU 7.2 hands SMBIOS to firmware on machines with smbios_legacy_mode (pc-i440fx-2.0
# and older, isapc): a little-endian u16 entry count, then entries, each led by this header (QEMU hw/smbios/smbios.c
# "legacy structures": struct smbios_header; SeaBIOS src/fw/paravirt.c qemu_cfg_legacy reads them the same way).
smbios_legacy_header = Struct(
    "length" / Int16ul,  # of the whole entry, header included
    "kind" / Int8ul,  # SMBIOS_FIELD_ENTRY or SMBIOS_TABLE_ENTRY
)
SMBIOS_FIELD_ENTRY = 0  # struct smbios_field: u8 structure type, u16 offset in it, then the field's bytes
SMBIOS_TABLE_ENTRY = 1  # struct smbios_table: a whole structure (-smbios file=), its final NUL left to firmware
smbios_legacy_field = Struct(
    "header" / smbios_legacy_header,
    "type" / Int8ul,
    "offset" / Int16ul,
    "data" / Bytes(this.header.length - 6),
)

FW_CFG_FILE_FIRST = 0x20  # the first selector QEMU gives a named file

FW_CFG_ID_TRADITIONAL = 1 << 0
FW_CFG_ID_DMA = 1 << 1

FW_CFG_DMA_CTL_ERROR = 0x01
FW_CFG_DMA_CTL_READ = 0x02
FW_CFG_DMA_CTL_SKIP = 0x04
FW_CFG_DMA_CTL_SELECT = 0x08
FW_CFG_DMA_CTL_WRITE = 0x10

# The capture directory's fw_cfg.json (format "qboot-tables capture 1"): the JSON type of each key. Selectors are
# decoded by qboot_tables.tools.qemu; a selector not named here may hold any JSON scalar. "origin" is free-form.
U64 = "u64"  # a JSON integer in 0..2**64-1
CAPTURE_INDEX_SHAPE = {"format": str, "origin": dict, "selectors": dict, "files": list}
CAPTURE_FILE_SHAPE = {"name": str, "size": U64, "select": U64}  # "name" is required, the rest optional
CAPTURE_SELECTOR_SHAPE = {
    "signature": str, "uuid": str, "features": U64, "ram_size": U64, "nb_cpus": U64, "max_cpus": U64,
    "irq0_override": U64, "boot_menu": U64, "nographic": U64, "kernel_size": U64, "initrd_size": U64,
    "cmdline_size": U64, "setup_size": U64,
    "smbios_entries": str,  # FW_CFG_SMBIOS_ENTRIES as hex, present only when it holds entries
    "numa": {"nodes": U64, "apic_node": [U64], "node_mem": [U64]},
    "hpet": {"count": U64, "blocks": [{"address": U64, "event_timer_block_id": U64, "min_tick": U64,
                                       "page_prot": U64}]},
}
