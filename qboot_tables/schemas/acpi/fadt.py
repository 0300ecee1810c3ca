"""FADT ("FACP"): the Fixed ACPI Description Table, every revision from 1 (116 bytes) to 6 (276 bytes)."""
from enum import IntEnum, IntFlag

from construct import Int8ul, Int16ul, Int32ul, Int64ul

from qboot_tables.schemas.common import generic_address, optional_tail, table

# ACPI 6.5 §5.2.9 Fixed ACPI Description Table, Table 5.9. Fields past byte 116 exist only in longer
# revisions (ACPI 1.0 ends at flags; the revision 2 FADT of ACPI 1.0b adds the reset register and value, 132
# bytes with the 3 bytes after them; 2.0 adds the X_ fields up to 244; 5.0 the sleep registers to 268; 6.0 the
# hypervisor vendor to 276). Like ACPICA (tbfadt.c AcpiTbCreateLocalFadt copies whatever length the table has),
# any length is read: the fields stop at the first one that does not fit whole, and the bytes left over, if any,
# are kept in `extra`.
fadt = table(
    "firmware_ctrl" / Int32ul,
    "dsdt" / Int32ul,
    "reserved0" / Int8ul,  # INT_MODEL in ACPI 1.0
    "preferred_pm_profile" / Int8ul,
    "sci_int" / Int16ul,
    "smi_cmd" / Int32ul,
    "acpi_enable" / Int8ul,
    "acpi_disable" / Int8ul,
    "s4bios_req" / Int8ul,
    "pstate_cnt" / Int8ul,
    "pm1a_evt_blk" / Int32ul,
    "pm1b_evt_blk" / Int32ul,
    "pm1a_cnt_blk" / Int32ul,
    "pm1b_cnt_blk" / Int32ul,
    "pm2_cnt_blk" / Int32ul,
    "pm_tmr_blk" / Int32ul,
    "gpe0_blk" / Int32ul,
    "gpe1_blk" / Int32ul,
    "pm1_evt_len" / Int8ul,
    "pm1_cnt_len" / Int8ul,
    "pm2_cnt_len" / Int8ul,
    "pm_tmr_len" / Int8ul,
    "gpe0_blk_len" / Int8ul,
    "gpe1_blk_len" / Int8ul,
    "gpe1_base" / Int8ul,
    "cst_cnt" / Int8ul,
    "p_lvl2_lat" / Int16ul,
    "p_lvl3_lat" / Int16ul,
    "flush_size" / Int16ul,
    "flush_stride" / Int16ul,
    "duty_offset" / Int8ul,
    "duty_width" / Int8ul,
    "day_alrm" / Int8ul,
    "mon_alrm" / Int8ul,
    "century" / Int8ul,
    "iapc_boot_arch" / Int16ul,
    "reserved1" / Int8ul,
    "flags" / Int32ul,
    *optional_tail(
        # ---- 116: end of revision 1
        "reset_reg" / generic_address,
        "reset_value" / Int8ul,
        "arm_boot_arch" / Int16ul,
        "fadt_minor_version" / Int8ul,
        "x_firmware_ctrl" / Int64ul,
        "x_dsdt" / Int64ul,
        "x_pm1a_evt_blk" / generic_address,
        "x_pm1b_evt_blk" / generic_address,
        "x_pm1a_cnt_blk" / generic_address,
        "x_pm1b_cnt_blk" / generic_address,
        "x_pm2_cnt_blk" / generic_address,
        "x_pm_tmr_blk" / generic_address,
        "x_gpe0_blk" / generic_address,
        "x_gpe1_blk" / generic_address,
        # ---- 244: end of revisions 3 and 4
        "sleep_control_reg" / generic_address,
        "sleep_status_reg" / generic_address,
        # ---- 268: end of revision 5
        "hypervisor_vendor_identity" / Int64ul,
        # ---- 276: revision 6
    ),
)

# ACPI 6.5 §5.2.9 Table 5.9, Preferred_PM_Profile; 9-0xFF are reserved.
class PmProfile(IntEnum):
    UNSPECIFIED = 0
    DESKTOP = 1
    MOBILE = 2
    WORKSTATION = 3
    ENTERPRISE_SERVER = 4
    SOHO_SERVER = 5
    APPLIANCE_PC = 6
    PERFORMANCE_SERVER = 7
    TABLET = 8


PM_PROFILES = {PmProfile.UNSPECIFIED: "Unspecified", PmProfile.DESKTOP: "Desktop", PmProfile.MOBILE: "Mobile",
               PmProfile.WORKSTATION: "Workstation", PmProfile.ENTERPRISE_SERVER: "Enterprise Server",
               PmProfile.SOHO_SERVER: "SOHO Server", PmProfile.APPLIANCE_PC: "Appliance PC",
               PmProfile.PERFORMANCE_SERVER: "Performance Server", PmProfile.TABLET: "Tablet"}


# FADT flags (ACPI 6.5 Table 5.10).
class FadtFlags(IntFlag):
    WBINVD = 1 << 0
    WBINVD_FLUSH = 1 << 1
    PROC_C1 = 1 << 2
    P_LVL2_UP = 1 << 3
    PWR_BUTTON = 1 << 4
    SLP_BUTTON = 1 << 5
    FIX_RTC = 1 << 6
    RTC_S4 = 1 << 7
    TMR_VAL_EXT = 1 << 8
    DCK_CAP = 1 << 9
    RESET_REG_SUP = 1 << 10
    SEALED_CASE = 1 << 11
    HEADLESS = 1 << 12
    CPU_SW_SLP = 1 << 13
    PCI_EXP_WAK = 1 << 14
    USE_PLATFORM_CLOCK = 1 << 15
    S4_RTC_STS_VALID = 1 << 16
    REMOTE_POWER_ON_CAPABLE = 1 << 17
    FORCE_APIC_CLUSTER_MODEL = 1 << 18
    FORCE_APIC_PHYSICAL_DESTINATION_MODE = 1 << 19
    HW_REDUCED_ACPI = 1 << 20
    LOW_POWER_S0_IDLE_CAPABLE = 1 << 21
    PERSISTENT_CPU_CACHES = 1 << 22


# IA-PC boot architecture flags (ACPI 6.5 Table 5.11). The spec calls bit 1 "8042", which is no identifier, so
# the names shown stay in IAPC_BOOT_ARCH_FLAGS.
class IapcBootArchFlags(IntFlag):
    LEGACY_DEVICES = 1 << 0
    I8042 = 1 << 1
    VGA_NOT_PRESENT = 1 << 2
    MSI_NOT_SUPPORTED = 1 << 3
    PCIE_ASPM_CONTROLS = 1 << 4
    CMOS_RTC_NOT_PRESENT = 1 << 5


IAPC_BOOT_ARCH_FLAGS = {0: "LEGACY_DEVICES", 1: "8042", 2: "VGA_NOT_PRESENT", 3: "MSI_NOT_SUPPORTED",
                        4: "PCIE_ASPM_CONTROLS", 5: "CMOS_RTC_NOT_PRESENT"}
