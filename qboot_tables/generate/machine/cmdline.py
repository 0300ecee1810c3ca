"""The QEMU 7.2 command-line parser: one pass over the arguments, then QEMU's derivations in its order."""
from __future__ import annotations

import math
import re

from qboot_tables.errors import InputError, quote
from qboot_tables.files import read_regular
from qboot_tables.generate.machine.catalogue import (
    ACPI_MAX_RAM_SLOTS, ACPI_OEM_ID, ACPI_OEM_TABLE_ID, CPU_MODELS, DEFAULT_RAM_SIZE, FOUR_GIB, MACHINE_ALIASES,
    MACHINE_TYPES, MAX_NODES, NUMA_DISTANCE_MIN, RAM_ALIGN, SMBIOS_MAX_TYPE, TARGET_PAGE_SIZE, MachineType, MiB)
from qboot_tables.generate.machine.model import (HmatCache, HmatLocality, Iommu, MachineConfig, MachineConfigError,
                                                 NumaNode, Nvdimm, OnboardDevice, Topology, round_up,
                                                 smbios_file_types)
from qboot_tables.generate.machine.numbers import (
    DIGITS, U32_MASK, U64_LIMIT, located, parse_bool, parse_cpu_list, parse_int, parse_number, parse_on_off_auto,
    parse_opts, parse_release, parse_size, parse_uint, parse_uuid, signed32)
from qboot_tables.generate.machine.pci import PCI_ALIASES, is_pci_driver, machine_bus, parse_pci_addr
from qboot_tables.generate.machine.topology import possible_cpus
from qboot_tables.schemas.smbios_fields import HEADER_SIZE as SMBIOS_HEADER_SIZE


def host_cpu_vendor(cpuinfo: str = "/proc/cpuinfo") -> str:
    """This host's CPUID vendor string. Under KVM, QEMU 7.2 replaces a named model's vendor with the host's
    (target/i386/host-cpu.c host_cpu_instance_init, from kvm_cpu_instance_init), so the e820 HyperTransport hole,
    which only AMD CPUs get, follows the host rather than -cpu. Linux prints CPUID leaf 0's vendor as vendor_id."""
    try:
        with open(cpuinfo, encoding="ascii", errors="replace") as lines:
            for line in lines:
                key, _, value = line.partition(":")
                if key.strip() == "vendor_id":
                    return value.strip()
    except OSError:
        pass
    raise MachineConfigError(f"-accel kvm: the host CPU's vendor is unknown (no vendor_id in {cpuinfo})")


def _oem_string_file(path: str, option: str) -> str:
    """-smbios type=11,path=: the file's bytes as one OEM string (hw/smbios/smbios.c save_opt_one), kept as
    str with surrogateescape so that the SMBIOS gets them back byte for byte. A special file or a huge one is
    refused, as every input is."""
    try:
        data = read_regular(path, shown=path)
    except InputError as e:
        raise MachineConfigError(f"{option}: {e}") from None
    if b"\0" in data:
        raise MachineConfigError(f"{option}: NUL in OEM strings value in {path}")
    return data.decode("utf-8", "surrogateescape")

# ---- command line parsing

# Options that change neither the tables nor the fw_cfg selectors we model, with their argument.
IGNORED_OPTIONS = {
    "display", "serial", "parallel", "monitor", "qmp", "qmp-pretty", "chardev", "name", "pidfile", "D", "d",
    "drive", "hda", "hdb", "hdc", "hdd", "cdrom", "fda", "fdb", "netdev", "rtc", "vnc", "L", "bios",
    "kernel", "initrd", "append", "dtb", "fw_cfg", "trace", "msg", "k", "accel", "icount", "loadvm",
    "incoming", "runas", "chroot", "sandbox", "audiodev", "mon", "qtest", "qtest-log", "action",
}
IGNORED_FLAGS = {"S", "snapshot", "no-reboot", "no-shutdown", "daemonize", "enable-fips", "no-user-config",
                 "nodefconfig", "full-screen", "no-quit", "no-acpi-tables-placeholder"}
# -device types that only add a PCI (or virtio-mmio) function: they change the DSDT's PCI bus at most, which
# QEMU builds and we do not copy. vmgenid adds an SSDT and is recorded. The PCI ones are still placed on bus 0
# (machine.pci), because a vIOMMU's table and SMBIOS type 41 name their functions.
IGNORED_DEVICES = {
    "virtio-blk-pci", "virtio-net-pci", "virtio-scsi-pci", "virtio-rng-pci", "virtio-balloon-pci",
    "virtio-serial-pci", "virtio-gpu-pci", "virtio-keyboard-pci", "virtio-mouse-pci", "virtio-tablet-pci",
    "virtio-9p-pci", "virtio-blk-device", "virtio-net-device", "virtio-rng-device", "virtio-serial-device",
    "virtio-blk", "virtio-net", "virtio-rng", "e1000", "e1000e", "rtl8139", "ide-hd", "ide-cd", "scsi-hd",
    "scsi-cd", "usb-ehci", "qemu-xhci", "usb-tablet", "usb-kbd", "usb-mouse", "VGA", "isa-debugcon",
    "isa-debug-exit", "pvpanic",
}
# The accelerators modelled and their -accel properties in 7.2 (accel/tcg/tcg-all.c, accel/kvm/kvm-all.c,
# target/i386/kvm/kvm.c); only kernel-irqchip can change the tables, the others are accepted and ignored.
ACCEL_PROPERTIES = {"tcg": ("thread", "tb-size", "split-wx"),
                    "kvm": ("kernel-irqchip", "kvm-shadow-mem", "dirty-ring-size", "notify-vmexit", "notify-window")}
MACHINE_PROPERTIES = {"type", "smm", "acpi", "hpet", "smbios-entry-point-type", "x-oem-id", "x-oem-table-id",
                      "max-ram-below-4g", "accel", "graphics", "kernel-irqchip", "hmat", "nvdimm",
                      "nvdimm-persistence", *"ioapic2 pcie rtc pit pic isa-serial usb".split()}
# microvm's own properties (hw/i386/microvm.c microvm_machine_class_init; pit and pic are x86 ones, modelled
# only there): OnOffAuto but isa-serial and usb, which are bool.
MICROVM_PROPERTIES = ("ioapic2", "pcie", "rtc", "pit", "pic", "isa-serial", "usb")
# The vIOMMUs (hw/i386/x86-iommu.c, intel_iommu.c, amd_iommu.c, hw/virtio/virtio-iommu-pci.c) and the
# properties accepted for each; the others change no table and are left out.
IOMMU_PROPERTIES = {
    "intel-iommu": {"id", "intremap", "device-iotlb", "caching-mode", "aw-bits", "eim", "pt", "dma-drain",
                    "snoop-control"},
    "amd-iommu": {"id", "intremap", "device-iotlb", "pt"},
    "virtio-iommu-pci": {"id", "addr", "bus"},
}
NVDIMM_PROPERTIES = {"memdev", "id", "slot", "node", "unarmed", "label-size"}  # hw/mem/nvdimm.c, pc-dimm.c
NVDIMM_MIN_LABEL_SIZE = 128 << 10  # include/hw/mem/nvdimm.h MIN_NAMESPACE_LABEL_SIZE
# A RAM backend's region alignment: QEMU_VMALLOC_ALIGN, 2 MiB for QEMU on an x86-64 Linux host
# (include/qemu/osdep.h). hw/mem/nvdimm.c rounds the persistent part down to it.
RAM_BACKEND_ALIGN = 2 << 20
NVDIMM_PERSISTENCE = {"mem-ctrl": 2, "cpu": 3}  # hw/i386/pc.c: the NFIT platform capabilities bits
# hw/smbios/smbios.c type41_kind_lookup: the device type is the index + 1.
SMBIOS_41_KINDS = ("other", "unknown", "video", "scsi", "ethernet", "tokenring", "sound", "pata", "sata", "sas")
SMBIOS_41_ENABLED = 0x80
# qapi/machine.json: the enums of -numa hmat-lb and hmat-cache, by value.
HMAT_HIERARCHIES = ("memory", "first-level", "second-level", "third-level")
HMAT_DATA_TYPES = ("access-latency", "read-latency", "write-latency", "access-bandwidth", "read-bandwidth",
                   "write-bandwidth")
HMAT_FIRST_BANDWIDTH = 3
HMAT_ASSOCIATIVITIES = ("none", "direct", "complex")
HMAT_POLICIES = ("none", "write-back", "write-through")
HMAT_CACHE_LEVELS = 4  # HMAT_LB_LEVELS: levels 1 to 3
HMAT_DISABLED = ("ACPI Heterogeneous Memory Attribute Table (HMAT) is disabled, enable it with -machine hmat=on "
                 "before using any of hmat specific options")
SMP_KEYS = ("cpus", "maxcpus", "sockets", "dies", "clusters", "cores", "threads")
MIN_CPUS = 1  # mc->min_cpus of every machine type we model ("The min CPUs supported by machine ... is 1")
BOOT_KEYS = ("order", "once", "menu", "splash", "splash-time", "reboot-timeout", "strict")  # BootConfiguration
# hw/smbios/smbios.c qemu_smbios_typeN_opts: the fields each -smbios type accepts.
SMBIOS_KEYS = {
    0: {"vendor", "version", "date", "release", "uefi"},
    1: {"manufacturer", "product", "version", "serial", "uuid", "sku", "family"},
    2: {"manufacturer", "product", "version", "serial", "asset", "location"},
    3: {"manufacturer", "version", "serial", "asset", "sku"},
    4: {"sock_pfx", "manufacturer", "version", "max-speed", "current-speed", "serial", "asset", "part",
        "processor-id"},
    11: {"value", "path"},
    17: {"loc_pfx", "bank", "manufacturer", "serial", "asset", "part", "speed"},
    41: {"designation", "kind", "instance", "pcidev"},
}


class _Parser:
    """One pass over the arguments, then QEMU's derivations in the order QEMU applies them."""

    def __init__(self, args: list[str], host_vendor: str | None = None):
        self.args = args
        self.host_vendor = host_vendor
        self.machine_props: dict[str, tuple[str, str]] = {}  # key -> (value, option that set it)
        # -accel NAME,props / -enable-kvm, in order: (accelerator, option, properties).
        self.accels: list[tuple[str, str, dict[str, str]]] = []
        self.smp: dict[str, int] = {}
        self.memory: dict[str, str] = {}
        self.backends: dict[str, int] = {}
        self.numa: list[tuple[str, list[tuple[str, str]]]] = []
        self.uuid: bytes | None = None
        self.cpu = "qemu64"
        self.smbios: dict[int, dict[str, str]] = {}
        self.vmgenid: str | None = None
        self.devices: list[tuple[str, dict[str, str], str]] = []  # -device driver, properties, option
        self.default_nic = True  # vl.c default_net: -netdev, -nic and -net turn it off
        self.virtio_drives = 0  # -drive if=virtio: each becomes a virtio-blk device after every -device
        self.smbios_oem_strings: list[str] = []
        self.smbios_files: list[bytes] = []  # -smbios file=, each file's bytes, in order
        self.smbios_field_types: set[int] = set()  # every -smbios type=N given (smbios.c have_fields_bitmap)
        # -smbios type=41 as read: (designation, pcidev, device type with the enabled bit, instance).
        self.smbios_onboard: list[tuple[str | None, str | None, int, int]] = []
        self.nographic = False
        self.boot_menu = False

    def config(self) -> MachineConfig:
        self._scan()
        mtype = self._machine_type()
        family = mtype.family
        props = {k: v for k, (v, _) in self.machine_props.items()}

        def opt(key):
            return self.machine_props[key][1] + f" {key}="

        if family == "microvm" and "hpet" in props:
            raise MachineConfigError(f"{opt('hpet')}: property 'hpet' not found on machine microvm")
        for key in MICROVM_PROPERTIES:
            if family != "microvm" and key in props:
                raise MachineConfigError(f"{self.machine_props[key][1]} {quote(key)}: machine property not modelled "
                                         f"by qboot-tables")
        accel = self._accel(props, opt)
        irqchip = self._irqchip(accel, props, opt)
        if self.cpu == "host":  # target/i386/cpu.c: the host model exists only with KVM (or HVF)
            raise MachineConfigError("-cpu host: CPU model 'host' requires KVM or HVF" if accel == "tcg" else
                                     "-cpu host: the host CPU's CPUID (the SMBIOS processor ID) is not modelled")
        # -machine goes through keyval: smm and acpi are OnOffAuto (auto is on under TCG), hpet and graphics bool.
        smm = "smm" not in props or parse_on_off_auto(props["smm"], opt("smm"), "smm", auto=True)
        acpi = "acpi" not in props or parse_on_off_auto(props["acpi"], opt("acpi"), "acpi", auto=True)
        hpet = family != "microvm" and ("hpet" not in props or parse_bool(props["hpet"], opt("hpet"), "hpet"))
        nographic = self.nographic or ("graphics" in props
                                       and not parse_bool(props["graphics"], opt("graphics"), "graphics"))
        ep_type = props.get("smbios-entry-point-type", "32")
        if ep_type not in ("32", "64"):  # the SmbiosEntryPointType enum of 7.2
            raise MachineConfigError(f"{opt('smbios-entry-point-type').rstrip('=')}: Parameter "
                                     f"'smbios-entry-point-type' does not accept value {quote(ep_type)}")
        oem_id = self._oem("x-oem-id", props, 6, ACPI_OEM_ID)
        oem_table_id = self._oem("x-oem-table-id", props, 8, ACPI_OEM_TABLE_ID)
        max_ram_below_4g = 0
        if "max-ram-below-4g" in props:
            if family == "microvm":
                raise MachineConfigError("-machine max-ram-below-4g: property not found on machine microvm")
            max_ram_below_4g = parse_size(props["max-ram-below-4g"], opt("max-ram-below-4g"),
                                          param="max-ram-below-4g", expects="size")
            if max_ram_below_4g > FOUR_GIB:  # pc.c pc_machine_set_max_ram_below_4g
                raise MachineConfigError(f"{opt('max-ram-below-4g').rstrip('=')}: Machine option "
                                         f"'max-ram-below-4g={max_ram_below_4g}' expects size less than or equal "
                                         f"to 4G")

        topology = self._topology(mtype)
        ram_size, maxmem, slots = self._memory(family)
        if mtype.version < (2, 1) and family == "pc" and (slots or maxmem > ram_size):
            # hw/i386/pc.c pc_memory_init: has_reserved_memory is off for 2.0 and older.
            raise MachineConfigError(f"-m slots/maxmem: \"-memory 'slots|maxmem'\" is not supported by: {mtype.name}")
        model = CPU_MODELS.get(self.cpu)
        if model is None:
            raise MachineConfigError(self._cpu_refusal())
        hmat = "hmat" in props and parse_bool(props["hmat"], opt("hmat"), "hmat")
        if hmat and family == "microvm":
            raise MachineConfigError(f"{opt('hmat').rstrip('=')}: HMAT is not modelled on microvm")
        nodes, cpu_nodes, distances, localities, caches = self._numa(family, topology, ram_size, maxmem, slots, hmat)
        pci_devices, iommu = self._devices(family, acpi, irqchip)
        onboard = self._smbios_onboard(pci_devices) if family != "microvm" else ()
        nvdimm_on = "nvdimm" in props and parse_bool(props["nvdimm"], opt("nvdimm"), "nvdimm")
        if nvdimm_on and family == "microvm":
            raise MachineConfigError(f"{opt('nvdimm').rstrip('=')}: NVDIMMs are not modelled on microvm")
        persistence = 0
        if "nvdimm-persistence" in props:
            persistence = NVDIMM_PERSISTENCE.get(props["nvdimm-persistence"], 0)
            if not persistence:
                raise MachineConfigError(f"{opt('nvdimm-persistence')}{quote(props['nvdimm-persistence'])}: "
                                         f"unsupported option")
        nvdimms = self._nvdimms(nvdimm_on, acpi, ram_size, maxmem, slots, nodes)
        if family == "microvm" and self.smbios:
            pass  # QEMU accepts -smbios on microvm and builds no SMBIOS from it
        if self.vmgenid and not mtype.fw_cfg_dma:  # hw/acpi/vmgenid.c vmgenid_realize: it writes back by DMA
            raise MachineConfigError("-device vmgenid: vmgenid requires DMA write support in fw_cfg, which this "
                                     "machine type does not provide")
        if mtype.smbios_legacy_mode and (any(t > 1 for t in self.smbios) or self.smbios_oem_strings
                                         or self.smbios_onboard):
            # hw/smbios/smbios.c smbios_set_defaults: legacy mode hands over type 0 and 1 fields only.
            raise MachineConfigError("-smbios: can't process fields for smbios types > 1 on machine versions < 2.1!")
        config = MachineConfig(
            machine=family, machine_type=mtype.name, topology=topology,
            cpus=possible_cpus(topology, cpu_nodes), ram_size=ram_size, ram_slots=slots, maxmem=maxmem,
            numa_nodes=nodes, numa_distances=distances, smm=smm, acpi=acpi, hpet=hpet,
            smbios_entry_point_type=ep_type, oem_id=oem_id, oem_table_id=oem_table_id, uuid=self.uuid,
            cpu_model=self.cpu, cpu_vendor=(self.host_vendor or host_cpu_vendor()) if accel == "kvm" else model.vendor,
            smbios_fields={t: dict(f) for t, f in self.smbios.items()}, args=tuple(self.args),
            max_ram_below_4g=max_ram_below_4g, vmgenid_guid=self.vmgenid, nographic=nographic,
            boot_menu=self.boot_menu, has_numa_distance=bool(distances), pci_devices=pci_devices, iommu=iommu,
            smbios_oem_strings=tuple(self.smbios_oem_strings), smbios_onboard_devices=onboard, hmat=hmat,
            smbios_files=tuple(self.smbios_files),
            hmat_localities=localities, hmat_caches=caches, nvdimm=nvdimm_on, nvdimm_persistence=persistence,
            nvdimms=nvdimms, accel=accel, **(self._microvm(props, opt, acpi, accel) if family == "microvm" else {}),
            virtio_mmio_devices=sum(family == "microvm" and driver.startswith("virtio-") and driver.endswith("-device")
                                    for driver, _, _ in self.devices))
        self._check_address_space(config)
        # hw/smbios/smbios.c smbios_validate_table: type 4 files stand for every socket's (every CPU's in legacy
        # mode); microvm builds no SMBIOS, so it never checks.
        type4_files = sum(data[0] == 4 for data in self.smbios_files)
        expected = topology.cpus if mtype.smbios_legacy_mode else config.smbios_sockets
        if family != "microvm" and type4_files and type4_files != expected:
            raise MachineConfigError(f"-smbios file=: Expected {expected} SMBIOS Type 4 tables, got {type4_files} "
                                     f"instead")
        # hw/i386/x86.c x86_cpus_init: APIC IDs of 255 and above need KVM's in-kernel local APIC with its X2APIC
        # API; TCG's APIC is xAPIC only. (Whether the host's KVM has the API is not known here: we assume it.)
        if config.apic_id_limit > 255 and irqchip not in ("on", "split"):
            raise MachineConfigError(f"-smp: current -smp configuration requires kernel irqchip and X2APIC API "
                                     f"support. (APIC IDs up to {config.apic_id_limit - 1}: "
                                     + ("-accel kvm)" if accel == "tcg" else "kernel-irqchip=on or split)"))
        return config

    def _accel(self, props: dict[str, str], opt) -> str:
        """"tcg" (the default here) or "kvm", from -accel, -enable-kvm or -machine accel=. softmmu/vl.c tries the
        accelerators named in order and keeps the first that starts; we take the first (KVM assumed to start)."""
        if self.accels and "accel" in props:
            raise MachineConfigError(f'{self.accels[0][1]}: The -accel and "-machine accel=" options are '
                                     f'incompatible')
        if "accel" in props:
            name, option = props["accel"].split(":")[0], opt("accel")
        elif self.accels:
            name, option = self.accels[0][0], self.accels[0][1]
        else:
            return "tcg"
        if name not in ACCEL_PROPERTIES:
            raise MachineConfigError(f"{located(option, name)}: only the TCG and KVM accelerators are modelled")
        return name

    def _irqchip(self, accel: str, props: dict[str, str], opt) -> str | None:
        """KVM's kernel-irqchip: "on" (the default, accel/kvm/kvm-all.c kvm_init, but "split" on pc-q35-4.0,
        the one x86 type of 7.2 with default_kernel_irqchip_split), "off" or "split"; None under TCG, which
        ignores the property whatever its value (vl.c forwards it to the accelerator; measured with
        kernel-irqchip=foo)."""
        if accel != "kvm":
            return None
        accel_props = self.accels[0][2] if self.accels else {}
        given = ((accel_props["kernel-irqchip"], f"{self.accels[0][1]} kernel-irqchip=")
                 if "kernel-irqchip" in accel_props else
                 (props["kernel-irqchip"], opt("kernel-irqchip")) if "kernel-irqchip" in props else None)
        if given is None:
            return "split" if self._machine_type().kernel_irqchip_split else "on"
        value, option = given
        if value not in ("on", "off", "split"):  # qapi OnOffSplit
            raise MachineConfigError(f"{option.rstrip('=')}: Parameter 'kernel-irqchip' does not accept value "
                                     f"{quote(value)}")
        return value

    # ---- the argument scan

    def _scan(self) -> None:
        args = self.args
        i = 0
        while i < len(args):
            arg = args[i]
            if not arg.startswith("-") or arg == "-":
                raise MachineConfigError(f"{quote(arg)}: not an option (a disk image as a bare argument is not "
                                         f"modelled)")
            # vl.c lookup_opt: "--name" is "-name"; a third dash makes no option.
            name = arg[2:] if arg.startswith("--") else arg[1:]
            if name in IGNORED_FLAGS or name in ("nographic", "no-hpet", "no-acpi", "enable-kvm"):
                if name == "nographic":
                    self.nographic = True
                elif name == "no-acpi":
                    self.machine_props["acpi"] = ("off", "-no-acpi")  # vl.c: the same as -machine acpi=off
                elif name == "no-hpet":
                    self.machine_props["hpet"] = ("off", "-no-hpet")
                elif name == "enable-kvm":
                    self.accels.append(("kvm", arg, {}))  # vl.c: the same as -accel kvm
                i += 1
                continue
            handler = getattr(self, "_opt_" + name.replace("-", "_"), None)
            if handler is None and name not in IGNORED_OPTIONS:
                raise MachineConfigError(f"{quote(arg)}: option not modelled by qboot-tables (it may change the "
                                         f"tables)")
            # From here `arg` is an option we know, so short enough to repeat as it is.
            if i + 1 >= len(args):
                raise MachineConfigError(f"{arg}: requires an argument")
            value = args[i + 1]
            i += 2
            if handler is not None:
                handler(value, arg)
            elif name == "netdev":
                self.default_nic = False
            elif name == "drive":
                drive_if = dict(parse_opts(value, arg, "file")).get("if")
                if drive_if == "virtio":
                    self.virtio_drives += 1
                elif drive_if in ("scsi", "sd", "pflash", "mtd", "xen"):
                    raise MachineConfigError(f"{arg} if={drive_if}: this drive interface is not modelled (it can "
                                             f"add devices)")
            elif name == "accel":
                accel_opts = parse_opts(value, arg, "accel")
                accel_name, accel_props = accel_opts[0][1], dict(accel_opts[1:])
                for key in accel_props:
                    if key not in ACCEL_PROPERTIES.get(accel_name, (key,)):
                        raise MachineConfigError(f"{located(arg, value)}: Property '{accel_name}-accel.{key}' not "
                                                 f"found")
                self.accels.append((accel_name, arg, accel_props))

    def _opt_machine(self, value: str, option: str) -> None:
        for key, val in parse_opts(value, option, "type"):
            if key not in MACHINE_PROPERTIES:
                raise MachineConfigError(f"{option} {quote(key)}: machine property not modelled by qboot-tables")
            self.machine_props[key] = (val, option)

    _opt_M = _opt_machine

    def _opt_smp(self, value: str, option: str) -> None:
        # vl.c hands -smp to keyval for the machine's "smp" property: each value an int64 read by
        # qobject-input-visitor.c (machine_parse_smp_config narrows them later). An empty -smp sets nothing.
        if value == "":
            return
        for key, val in parse_opts(value, option, "cpus"):
            if key not in SMP_KEYS:
                raise MachineConfigError(f"{option}: Parameter {quote(key)} is unexpected")
            self.smp[key] = parse_int(val, f"{option} {key}=", f"smp.{key}")

    def _opt_m(self, value: str, option: str) -> None:
        # QemuOpts checks the values as it parses -m (vl.c qemu_mem_opts): size and maxmem are sizes in bytes,
        # slots a number. _memory() then derives what QEMU derives from them. An empty -m sets nothing.
        if value == "":
            return
        for key, val in parse_opts(value, option, "size"):
            if key not in ("size", "slots", "maxmem"):
                raise MachineConfigError(f"{option}: Invalid parameter {quote(key)}")
            if key == "slots":
                parse_number(val, f"{option} slots=", "slots")
            else:
                parse_size(val, option if key == "size" else f"{option} maxmem=", param=key)
            self.memory[key] = val

    def _opt_object(self, value: str, option: str) -> None:
        pairs = dict(parse_opts(value, option, "qom-type"))
        qom_type = pairs.get("qom-type", "")
        if qom_type != "memory-backend-ram":
            raise MachineConfigError(f"{option} {quote(qom_type)}: object type not modelled (only "
                                     f"memory-backend-ram)")
        if "id" not in pairs:
            raise MachineConfigError(f"{option} memory-backend-ram: Parameter 'id' is missing")
        backend = f"{option} memory-backend-ram,id={quote(pairs['id'])}"
        unknown = set(pairs) - {"qom-type", "id", "size", "share", "prealloc", "merge", "dump", "policy",
                                "host-nodes", "reserve", "x-use-canonical-path-for-ramblock-id"}
        if unknown:
            raise MachineConfigError(f"{backend}: property {quote(sorted(unknown)[0])} not modelled")
        if "size" not in pairs:
            raise MachineConfigError(f"{backend}: property 'size' is required")
        if pairs["id"] in self.backends:
            raise MachineConfigError(f"{option}: attempt to add duplicate property {quote(pairs['id'])}")
        size = parse_size(pairs["size"], f"{option} size=", param="size", expects="a size value")
        if size == 0:
            raise MachineConfigError(f"{backend}: property 'size' of memory-backend-ram doesn't take value '0'")
        self.backends[pairs["id"]] = size

    def _opt_numa(self, value: str, option: str) -> None:
        pairs = parse_opts(value, option, "type")
        kind = pairs[0][1] if pairs and pairs[0][0] == "type" else None
        allowed = {"node": {"nodeid", "mem", "memdev", "cpus", "initiator"}, "dist": {"src", "dst", "val"},
                   "cpu": {"node-id", "socket-id", "die-id", "core-id", "thread-id", "cluster-id"},
                   "hmat-lb": {"initiator", "target", "hierarchy", "data-type", "latency", "bandwidth"},
                   "hmat-cache": {"node-id", "size", "level", "associativity", "policy", "line"}}
        if kind not in allowed:
            raise MachineConfigError(f"{located(option, value)}: -numa type {quote(kind or '')} not modelled (node, "
                                     f"dist, cpu, hmat-lb or hmat-cache)")
        for key, _ in pairs[1:]:
            if key not in allowed[kind]:
                raise MachineConfigError(f"{option} {kind}: Parameter {quote(key)} is unexpected")
        self.numa.append((kind, pairs[1:]))

    def _opt_uuid(self, value: str, option: str) -> None:
        self.uuid = parse_uuid(value, option)

    def _opt_cpu(self, value: str, option: str) -> None:
        model, _, features = value.partition(",")
        if features:
            raise MachineConfigError(f"{located(option, value)}: CPU feature flags are not modelled (they can change "
                                     f"the SMBIOS processor ID)")
        self.cpu = model

    def _cpu_refusal(self) -> str:
        return f"{located('-cpu', self.cpu)}: CPU model not modelled; known: {', '.join(sorted(CPU_MODELS))}"

    def _opt_smbios(self, value: str, option: str) -> None:
        # hw/smbios/smbios.c: QemuOpts, whose numbers are QEMU_OPT_NUMBER (parse_number). The numbers are kept
        # in smbios_fields as QEMU read them, in decimal, so the generators never parse user text.
        pairs = parse_opts(value, option, None)
        keys = dict(pairs)
        if "file" in keys:
            self._smbios_file(pairs, option)
            return
        if "type" not in keys:
            raise MachineConfigError(f"{option}: Must specify type= or file=")
        smbios_type = parse_number(keys["type"], f"{option} type=", "type")
        if smbios_type in smbios_file_types(self.smbios_files):
            raise MachineConfigError(f"{located(option, value)}: can't add fields, binary file already loaded!")
        self.smbios_field_types.add(smbios_type)
        if smbios_type not in SMBIOS_KEYS:
            raise MachineConfigError(f"{option} type={smbios_type}: SMBIOS type not modelled "
                                     f"(0, 1, 2, 3, 4, 11, 17 and 41 are)")
        label = f"{option} type={smbios_type},"
        if smbios_type in (11, 41):
            for key, _ in pairs:
                if key != "type" and key not in SMBIOS_KEYS[smbios_type]:
                    raise MachineConfigError(f"{option} type={smbios_type}: Invalid parameter {quote(key)}")
            if smbios_type == 11:
                # smbios.c save_opt_one: every value= and path= of every type=11 option, in order; a path= is
                # the file's bytes, which may hold no NUL.
                for key, val in pairs:
                    if key == "value":
                        self.smbios_oem_strings.append(val)
                    elif key == "path":
                        self.smbios_oem_strings.append(_oem_string_file(val, f"{label}path="))
                return
            kind = keys.get("kind", "other")  # the option's default value
            if kind not in SMBIOS_41_KINDS:
                raise MachineConfigError(f"{located(label + 'kind=', kind)}: Parameter 'kind' does not accept value "
                                         f"{quote(kind)}")
            instance = parse_number(keys["instance"], f"{label}instance=", "instance") if "instance" in keys else 1
            self.smbios_onboard.append((keys.get("designation"), keys.get("pcidev"),
                                        (SMBIOS_41_KINDS.index(kind) + 1) | SMBIOS_41_ENABLED,
                                        instance & 0xFF))  # stored in a uint8_t
            return
        fields = self.smbios.setdefault(smbios_type, {})
        for key, val in pairs:
            if key == "type":
                continue
            if key not in SMBIOS_KEYS[smbios_type]:
                raise MachineConfigError(f"{option} type={smbios_type}: Invalid parameter {quote(key)}")
            fields[key] = val
        if smbios_type == 0 and "release" in keys:
            major, minor = parse_release(keys["release"], f"{label}release=")
            fields["release"] = f"{major}.{minor}"
        if smbios_type == 0 and "uefi" in keys:
            parse_bool(keys["uefi"], f"{label}uefi=", "uefi")
        if smbios_type == 1 and "uuid" in keys:
            self.uuid = parse_uuid(keys["uuid"], f"{label}uuid=")
        if smbios_type == 4:
            for key in ("max-speed", "current-speed"):
                if key in keys:
                    speed = parse_number(keys[key], f"{label}{key}=", key)
                    if speed > 0xFFFF:  # so "-1", which is 2**64 - 1, is too large too
                        raise MachineConfigError(f"{located(label + key + '=', keys[key])}: SMBIOS CPU speed is too "
                                                 f"large (> 65535)")
                    fields[key] = str(speed)
            if "processor-id" in keys:
                fields["processor-id"] = str(parse_number(keys["processor-id"], f"{label}processor-id=",
                                                          "processor-id"))
        if smbios_type == 17 and "speed" in keys:
            # Unchecked, and stored in a 16-bit field: 70000 gives 4464, -1 gives 65535 (measured).
            fields["speed"] = str(parse_number(keys["speed"], f"{label}speed=", "speed") & 0xFFFF)

    def _opt_device(self, value: str, option: str) -> None:
        pairs = parse_opts(value, option, "driver")
        driver = pairs[0][1]
        if driver == "vmgenid":
            guid = dict(pairs).get("guid", "auto")
            if guid == "auto":
                raise MachineConfigError(f"{option} vmgenid: guid=auto makes a random GUID; give guid=")
            parse_uuid(guid, f"{option} vmgenid guid=")
            self.vmgenid = guid
        elif driver == "nvdimm":
            props = dict(pairs[1:])
            unknown = sorted(set(props) - NVDIMM_PROPERTIES)
            if unknown:
                raise MachineConfigError(f"{option} nvdimm: property {quote(unknown[0])} not modelled")
            self.devices.append((driver, props, option))
        elif driver in IOMMU_PROPERTIES or driver in IGNORED_DEVICES:
            props = dict(pairs[1:])
            if driver in IOMMU_PROPERTIES:
                unknown = sorted(set(props) - IOMMU_PROPERTIES[driver])
                if unknown:
                    raise MachineConfigError(f"{option} {driver}: property {quote(unknown[0])} not modelled")
            self.devices.append((driver, props, option))
        elif driver not in IGNORED_DEVICES:
            raise MachineConfigError(f"{option} {quote(driver)}: device not modelled by qboot-tables (it may "
                                     f"change the tables)")

    def _devices(self, family: str, acpi: bool, irqchip: str | None):
        """Bus 0 in devfn order and the vIOMMU: the machine's functions, then each -device in order (QEMU
        realizes them in command-line order, each taking the first free slot unless addr= says), then the
        -drive if=virtio devices, which vl.c adds to the end of the device list."""
        default_vga = not any(driver == "VGA" for driver, _, _ in self.devices)  # vl.c default_list
        bus = machine_bus(family, acpi, default_vga, self.default_nic)
        iommu = None
        bus_name = {"pc": "pci.0", "q35": "pcie.0"}.get(family)
        for driver, props, option in self.devices:
            label = f"{option} {driver}"
            if driver in IOMMU_PROPERTIES:
                if iommu is not None:  # pc.c pc_machine_device_pre_plug
                    raise MachineConfigError(f"{label}: QEMU does not support multiple vIOMMUs for x86 yet.")
                iommu = self._iommu(family, driver, props, label, irqchip)
            if not is_pci_driver(driver) and driver != "amd-iommu":
                continue
            if family == "microvm":
                raise MachineConfigError(f"{label}: No 'PCI' bus found for device {quote(driver)}")
            if props.get("bus", bus_name) != bus_name:
                raise MachineConfigError(f"{located(label + ' bus=', props['bus'])}: only the root bus "
                                         f"{bus_name} is modelled")
            if driver == "amd-iommu":
                # amd_iommu.c amdvi_sysbus_realize: its PCI function (AMDVI-PCI) takes the next free slot.
                iommu = Iommu(**{**iommu.__dict__, "devfn": bus.add("AMDVI-PCI", None, None, option).devfn})
                continue
            devfn = parse_pci_addr(props["addr"], label) if "addr" in props else None
            multifunction = "multifunction" in props and parse_bool(props["multifunction"], f"{label} multifunction=",
                                                                    "multifunction")
            device = bus.add(PCI_ALIASES.get(driver, driver), devfn, props.get("id"), option, multifunction)
            if driver == "virtio-iommu-pci":
                iommu = Iommu(**{**iommu.__dict__, "devfn": device.devfn})
        for _ in range(self.virtio_drives):
            bus.add("virtio-blk-pci", None, None, "-drive")
        return bus.sorted(), iommu

    def _nvdimms(self, enabled: bool, acpi: bool, ram_size: int, maxmem: int, slots: int, nodes) -> tuple:
        # hw/i386/pc.c pc_memory_pre_plug, hw/mem/pc-dimm.c pc_dimm_pre_plug and memory-device.c, in their order.
        dimms = [(props, option) for driver, props, option in self.devices if driver == "nvdimm"]
        if len(dimms) > 1:
            # nvdimm_get_device_list walks QOM children, a hash table: the NFIT's order is not the command line's.
            raise MachineConfigError(f"{dimms[1][1]} nvdimm: more than one NVDIMM is not modelled (QEMU lists them "
                                     f"in an order it does not define)")
        busy = {node.memdev for node in nodes if node.memdev}
        result = []
        for props, option in dimms:
            label = f"{option} nvdimm"
            if not acpi:
                raise MachineConfigError(f"{label}: memory hotplug is not enabled: missing acpi device or acpi "
                                         f"disabled")
            if not enabled:
                raise MachineConfigError(f"{label}: nvdimm is not enabled: missing 'nvdimm' in '-M'")
            if "memdev" not in props:
                raise MachineConfigError(f"{label}: 'memdev' property is not set")
            memdev = props["memdev"]
            if memdev not in self.backends:
                raise MachineConfigError(f"{label}: Property 'nvdimm.memdev' can't find value {quote(memdev)}")
            if memdev in busy:
                raise MachineConfigError(f"{label}: can't use already busy memdev: {quote(memdev)}")
            node = parse_uint(props["node"], f"{label} node=", "node", 32) if "node" in props else 0
            if nodes and node >= len(nodes):
                raise MachineConfigError(f"{label}: 'DIMM property node has value {node}' which exceeds the number of "
                                         f"numa nodes: {len(nodes)}")
            label_size = 0
            if "label-size" in props:  # nvdimm_set_label_size, when the property is set
                label_size = parse_size(props["label-size"], f"{label} label-size=", param="label-size",
                                        expects="a size value")
                if label_size < NVDIMM_MIN_LABEL_SIZE:
                    raise MachineConfigError(f"{label}: Property 'nvdimm.label-size' ({label_size:#x}) is required at "
                                             f"least {NVDIMM_MIN_LABEL_SIZE:#x}")
            slot = parse_int(props["slot"], f"{label} slot=", "slot") if "slot" in props else -1
            if not slots:  # -m slots= needs maxmem=, so this also covers a machine without device memory
                raise MachineConfigError(f"{label}: no slots where allocated, please specify the 'slots' option")
            if slot == -1:
                slot = 0  # the first free slot: the only DIMM
            elif not 0 <= slot < slots:
                raise MachineConfigError(f"{label}: invalid slot number {slot}, valid range is [0-{slots - 1}]")
            # nvdimm_prepare_memory_region: the label area is the backend's tail; the rest, rounded down to the
            # backend's alignment, is the persistent memory the NFIT and SRAT describe.
            backend_size = self.backends[memdev]
            size = 0 if backend_size <= label_size else \
                (backend_size - label_size) // RAM_BACKEND_ALIGN * RAM_BACKEND_ALIGN
            if not size:
                raise MachineConfigError(f"{label}: the size of memdev {quote(memdev)} ({backend_size:#x}) is too small "
                                         f"to contain nvdimm label ({label_size:#x}) and aligned PMEM "
                                         f"({RAM_BACKEND_ALIGN:#x})")
            if size > maxmem - ram_size:
                raise MachineConfigError(f"{label}: not enough space, currently 0x0 in use of total space for memory "
                                         f"devices {maxmem - ram_size:#x}")
            unarmed = "unarmed" in props and parse_bool(props["unarmed"], f"{label} unarmed=", "unarmed")
            result.append(Nvdimm(slot=slot, node=node, size=size, unarmed=unarmed))
        return tuple(result)

    @staticmethod
    def _iommu(family: str, driver: str, props: dict[str, str], label: str, irqchip: str | None) -> Iommu:
        if driver != "virtio-iommu-pci" and family != "q35":
            # Only q35 lists intel-iommu and amd-iommu as dynamic sysbus devices.
            raise MachineConfigError(f"{label}: Parameter 'driver' expects a dynamic sysbus device type for the "
                                     f"machine")
        if driver == "virtio-iommu-pci":
            return Iommu(kind=driver)

        def flag(key: str, default: bool) -> bool:
            return parse_bool(props[key], f"{label} {key}=", key) if key in props else default

        # x86-iommu.c x86_iommu_realize: intremap=auto is on unless the irqchip is wholly in KVM, where it
        # cannot work. irqchip is None under TCG, else KVM's kernel-irqchip.
        all_in_kernel = irqchip == "on"
        intremap = parse_on_off_auto(props["intremap"], f"{label} intremap=", "intremap", auto=not all_in_kernel) \
            if "intremap" in props else not all_in_kernel
        if intremap and all_in_kernel:
            raise MachineConfigError(f"{label}: Interrupt Remapping cannot work with kernel-irqchip=on, please use "
                                     f"'split|off'.")
        for key in ("pt", "dma-drain", "snoop-control"):
            flag(key, False)
        aw_bits = 39
        if driver == "intel-iommu":
            # intel_iommu.c vtd_decide_config: eim=auto is on with intremap when the irqchip is in KVM (on or
            # split), and eim=on needs KVM's split irqchip.
            in_kernel = irqchip in ("on", "split")
            eim = parse_on_off_auto(props["eim"], f"{label} eim=", "eim", auto=in_kernel and intremap) \
                if "eim" in props else in_kernel and intremap
            if "eim" in props and props["eim"] == "on" and not intremap:
                raise MachineConfigError(f"{label}: eim=on cannot be selected without intremap=on")
            if eim and irqchip != "split" and "eim" in props and props["eim"] == "on":
                raise MachineConfigError(f"{label}: eim=on requires accel=kvm,kernel-irqchip=split")
            if eim:
                # The DMAR's x2APIC opt-out flag follows eim (hw/i386/acpi-build.c build_dmar_q35).
                raise MachineConfigError(f"{label}: extended interrupt mode (eim, on with KVM's split irqchip) is "
                                         f"not modelled")
            if "aw-bits" in props:
                aw_bits = parse_uint(props["aw-bits"], f"{label} aw-bits=", "aw-bits", 8)
                if aw_bits not in (39, 48):
                    raise MachineConfigError(f"{label}: Supported values for aw-bits are: 39, 48")
        return Iommu(kind=driver, intremap=intremap, device_iotlb=flag("device-iotlb", False),
                     caching_mode=flag("caching-mode", False), aw_bits=aw_bits)

    def _smbios_file(self, pairs: list[tuple[str, str]], option: str) -> None:
        """-smbios file=: the file's bytes, a whole structure (or several) that QEMU puts in the table as they are,
        ahead of the ones it builds, and instead of those of the type the file starts with (hw/smbios/smbios.c
        smbios_entry_add and smbios_skip_table). The messages are QEMU's."""
        path = dict(pairs)["file"]
        where = located(f"{option} file=", path)
        for key, _ in pairs:
            if key != "file":  # qemu_smbios_file_opts: file= alone
                raise MachineConfigError(f"{where}: Invalid parameter {quote(key)}")
        try:
            data = read_regular(path, shown=path)
        except InputError as e:
            raise MachineConfigError(f"{where}: Cannot read SMBIOS file: {e}") from None
        if len(data) < SMBIOS_HEADER_SIZE:
            raise MachineConfigError(f"{where}: Cannot read SMBIOS file: {len(data)} bytes, not even a header")
        if data[0] <= SMBIOS_MAX_TYPE and data[0] in self.smbios_field_types:
            raise MachineConfigError(f"{where}: can't load type {data[0]} struct, fields already specified!")
        self.smbios_files.append(data)

    def _smbios_onboard(self, pci_devices) -> tuple[OnboardDevice, ...]:
        # smbios.c smbios_build_type_41_table: pcidev= names a PCI device by id, on the root bus.
        by_id = {device.id: device for device in pci_devices if device.id is not None}
        entries = []
        for designation, pcidev, kind, instance in self.smbios_onboard:
            devfn = None
            if pcidev is not None:
                if pcidev not in by_id:
                    raise MachineConfigError(f"-smbios type=41: No PCI device {quote(pcidev)} for SMBIOS type 41 "
                                             f"entry {quote(designation or '(null)')}")
                devfn = by_id[pcidev].devfn
            entries.append(OnboardDevice(designation=designation, kind=kind, instance=instance, devfn=devfn))
        return tuple(entries)

    def _opt_boot(self, value: str, option: str) -> None:
        # vl.c hands -boot to keyval for the machine's "boot" property (qapi BootConfiguration); the ranges are
        # hw/nvram/fw_cfg.c's (fw_cfg_bootsplash, fw_cfg_reboot).
        for key, val in parse_opts(value, option, "order"):
            if key not in BOOT_KEYS:
                raise MachineConfigError(f"{option}: Parameter {quote('boot.' + key)} is unexpected")
            label = f"{option} {key}="
            if key in ("menu", "strict"):
                flag = parse_bool(val, label, f"boot.{key}")
                if key == "menu":
                    self.boot_menu = flag
            elif key == "splash-time" and not 0 <= parse_int(val, label, f"boot.{key}") <= 0xFFFF:
                raise MachineConfigError(f"{located(label, val)}: splash-time is invalid,it should be a value between "
                                         f"0 and 65535")
            elif key == "reboot-timeout" and not -1 <= parse_int(val, label, f"boot.{key}") <= 0xFFFF:
                raise MachineConfigError(f"{located(label, val)}: reboot timeout is invalid,it should be a value "
                                         f"between -1 and 65535")

    # ---- QEMU's derivations

    def _machine_type(self) -> MachineType:
        name = self.machine_props.get("type", ("pc", ""))[0]
        name = MACHINE_ALIASES.get(name, name)
        if name in MACHINE_TYPES:
            return MACHINE_TYPES[name]
        option = self.machine_props.get("type", ("", "-machine"))[1]
        if re.fullmatch(r"pc(-i440fx)?-[0-9]+\.[0-9]+|pc-q35-[0-9]+\.[0-9]+(\.[0-9]+)?|pc-1\.[0-9]|isapc|xenfv.*|none",
                        name):
            raise MachineConfigError(f"{located(option, name)}: machine type not modelled (pc-i440fx 1.7 and pc-q35 "
                                     f"2.4 to 7.2, pc, q35 and microvm are)")
        raise MachineConfigError(f"{located(option, name)}: unsupported machine type")

    @staticmethod
    def _microvm(props: dict, opt, acpi: bool, accel: str) -> dict:
        # hw/i386/microvm.c microvm_devices_init: the second I/O APIC and pcie need ACPI (pcie only when on,
        # auto is off); the RTC's auto means on without KVM; pit and pic change no table.
        def on_off_auto(key: str, auto: bool) -> bool:
            return parse_on_off_auto(props[key], opt(key), key, auto=auto) if key in props else auto

        def flag(key: str, default: bool) -> bool:
            return parse_bool(props[key], opt(key), key) if key in props else default

        on_off_auto("pit", True)  # pit and pic change no table: validated, nothing more
        on_off_auto("pic", True)
        return {"microvm_ioapic2": acpi and on_off_auto("ioapic2", True),
                "microvm_pcie": acpi and "pcie" in props and parse_on_off_auto(props["pcie"], opt("pcie"), "pcie",
                                                                             auto=False),
                "microvm_rtc": on_off_auto("rtc", accel != "kvm"), "microvm_isa_serial": flag("isa-serial", True),
                "microvm_usb": acpi and flag("usb", False)}

    def _oem(self, key: str, props: dict, size: int, default: bytes) -> bytes:
        if key not in props:
            return default
        # The bytes QEMU saw: surrogateescape gives back what a non-UTF-8 argv held.
        raw = props[key].encode("utf-8", "surrogateescape")
        if len(raw) > size:
            raise MachineConfigError(f"-machine {key}: User specified {key} value is bigger than {size} bytes "
                                     f"in size")
        return raw.ljust(size, b"\0")  # x86.c strncpy() into the default's buffer

    def _topology(self, mtype: MachineType) -> Topology:
        # hw/core/machine-smp.c machine_parse_smp_config keeps the counts in `unsigned`: an int64 from the
        # command line keeps its low 32 bits (-smp 4294967297 is 1 CPU, -1 is 4294967295), and products wrap.
        smp = self.smp
        cpus, sockets, dies, clusters, cores, threads, maxcpus = (smp.get(k, 0) & U32_MASK for k in (
            "cpus", "sockets", "dies", "clusters", "cores", "threads", "maxcpus"))
        wrapped = False

        def product(*factors: int) -> int:
            nonlocal wrapped
            exact = math.prod(factors)
            wrapped = wrapped or exact > U32_MASK
            return exact & U32_MASK

        def share(total: int, *factors: int) -> int:
            divisor = product(*factors)
            if divisor == 0:
                raise MachineConfigError("-smp: the counts multiply to a multiple of 2^32, which is 0 in QEMU "
                                         "7.2's 32-bit arithmetic; QEMU divides by it and dies (SIGFPE)")
            return total // divisor

        # An explicit 0 is deprecated and then counts as omitted (only a warning in 7.2).
        if mtype.family == "microvm" and dies > 1:
            raise MachineConfigError("-smp dies: dies not supported by this machine's CPU topology")
        if clusters > 1:
            raise MachineConfigError("-smp clusters: clusters not supported by this machine's CPU topology")
        dies = dies or 1
        if cpus == 0 and maxcpus == 0:
            sockets, cores, threads = sockets or 1, cores or 1, threads or 1
        else:
            maxcpus = maxcpus or cpus
            if mtype.prefer_sockets:
                if sockets == 0:
                    cores, threads = cores or 1, threads or 1
                    sockets = share(maxcpus, dies, cores, threads)
                elif cores == 0:
                    threads = threads or 1
                    cores = share(maxcpus, sockets, dies, threads)
            else:
                if cores == 0:
                    sockets, threads = sockets or 1, threads or 1
                    cores = share(maxcpus, sockets, dies, threads)
                elif sockets == 0:
                    threads = threads or 1
                    sockets = share(maxcpus, dies, cores, threads)
            if threads == 0:
                threads = share(maxcpus, sockets, dies, cores)
        total = product(sockets, dies, cores, threads)
        maxcpus = maxcpus or total
        cpus = cpus or maxcpus
        hierarchy = f"sockets ({sockets})" + (f" * dies ({dies})" if mtype.family != "microvm" else "") + \
            f" * cores ({cores}) * threads ({threads})"
        if total != maxcpus:
            raise MachineConfigError(f"-smp: Invalid CPU topology: product of the hierarchy must match maxcpus: "
                                     f"{hierarchy} != maxcpus ({maxcpus})")
        if maxcpus < cpus:
            raise MachineConfigError(f"-smp: Invalid CPU topology: maxcpus must be equal to or greater than smp: "
                                     f"{hierarchy} == maxcpus ({maxcpus}) < smp_cpus ({cpus})")
        if cpus < MIN_CPUS:
            raise MachineConfigError(f"-smp: Invalid SMP CPUs {signed32(cpus)}. The min CPUs supported by machine "
                                     f"'{mtype.name}' is {MIN_CPUS}")
        if maxcpus > mtype.max_cpus:
            raise MachineConfigError(f"-smp: Invalid SMP CPUs {signed32(maxcpus)}. The max CPUs supported by "
                                     f"machine '{mtype.name}' is {mtype.max_cpus}")
        if wrapped:
            # QEMU 7.2 accepts it, but its APIC IDs then come from the same wrapped counts and shifts of 32 bits
            # or more (undefined in C).
            raise MachineConfigError(f"-smp: {hierarchy} matches maxcpus ({maxcpus}) only because QEMU 7.2's "
                                     f"32-bit product wraps around; not modelled")
        return Topology(sockets=sockets, dies=dies, cores=cores, threads=threads, cpus=cpus, maxcpus=maxcpus)

    def _memory(self, family: str) -> tuple[int, int, int]:
        # softmmu/vl.c parse_memory_options and hw/core/machine.c machine_set_mem; _opt_m has made QemuOpts'
        # checks already.
        mem = self.memory
        size = DEFAULT_RAM_SIZE
        text = mem.get("size")
        if text is not None and parse_size(text, "-m") != 0:
            # A size that ends in a digit gets an "M" and is parsed again (keyval, 'memory.size'): so "-m 512"
            # and "-m 0x10" are MiB, "-m 1." is one byte, and 2^44 or more MiB is refused there.
            size = parse_size(text + "M" if text[-1] in DIGITS[10] else text, "-m", param="memory.size",
                              expects="size")
        size = round_up(size, RAM_ALIGN) % U64_LIMIT  # QEMU_ALIGN_UP in 64 bits
        if size == 0:
            raise MachineConfigError(f"{located('-m', mem['size'])}: QEMU 7.2 rounds this up to 8 KiB past 2^64 and "
                                     f"gets 0 bytes of RAM; not modelled")
        slots = parse_number(mem["slots"], "-m slots=", "slots") if "slots" in mem else 0
        maxmem = 0
        if "maxmem" in mem:
            maxmem = parse_size(mem["maxmem"], "-m maxmem=", param="maxmem")  # bytes unless suffixed
            if maxmem < size:
                raise MachineConfigError(f"-m maxmem: invalid value of maxmem: maximum memory size ({maxmem:#x}) "
                                         f"must be at least the initial memory size ({size:#x})")
            if slots and maxmem == size:
                raise MachineConfigError(f"-m maxmem: invalid value of maxmem: memory slots were specified but "
                                         f"maximum memory size ({maxmem:#x}) is equal to the initial memory size "
                                         f"({size:#x})")
        elif "slots" in mem:
            raise MachineConfigError("-m slots: slots specified but no max-size")
        if family == "microvm" and (slots or maxmem > size):
            raise MachineConfigError("-m slots/maxmem: memory hotplug is not modelled on microvm")
        if maxmem > size:
            if slots > ACPI_MAX_RAM_SLOTS:
                raise MachineConfigError(f"-m slots: unsupported amount of memory slots: {slots}")
            if maxmem % TARGET_PAGE_SIZE:
                raise MachineConfigError(f"-m maxmem: maximum memory size must by aligned to multiple of "
                                         f"{TARGET_PAGE_SIZE} bytes")
        return size, (maxmem if "maxmem" in mem else 0), slots

    def _numa(self, family: str, topology: Topology, ram_size: int, maxmem: int, slots: int, hmat: bool = False):
        # hw/core/numa.c parse_numa_node / parse_numa_distance / numa_complete_configuration and
        # hw/core/machine.c machine_set_cpu_numa_node, machine_numa_finish_cpu_init. The OptsVisitor reads an
        # option's fields (qapi/machine.json) before numa.c checks them.
        if family == "microvm" and self.numa:
            raise MachineConfigError("-numa: NUMA is not modelled on microvm (QEMU builds no SRAT there)")
        nodes: dict[int, NumaNode] = {}
        explicit: dict[int, int] = {}  # cpu index -> node, as -numa node,cpus= / -numa cpu set it
        distances: dict[tuple[int, int], int] = {}
        used_memdevs: set[str] = set()
        have_mem = have_memdev = False
        cpus = possible_cpus(topology)
        # HMAT state, built in command-line order as numa.c does: hmat-lb checks what is known when it comes.
        initiators: dict[int, int] = {}
        has_cpu: set[int] = set()
        lb_provided: dict[int, int] = {}  # node -> bit 0 latency given, bit 1 bandwidth given
        localities: dict[tuple[int, int], dict] = {}
        caches: dict[tuple[int, int], HmatCache] = {}

        def cpu_in_node(node_id, option):
            # machine.c machine_set_cpu_numa_node: with HMAT a node holding a CPU is its own initiator.
            if not hmat:
                return
            if node_id in initiators and initiators[node_id] != node_id:
                raise MachineConfigError(f"{option}: The initiator of CPU NUMA node {node_id} should be itself (got "
                                         f"{initiators[node_id]})")
            has_cpu.add(node_id)
            initiators[node_id] = node_id

        def assign(index_filter, node_id, option):
            matched = False
            for cpu in cpus:
                if not index_filter(cpu):
                    continue
                if cpu.index in explicit and explicit[cpu.index] != node_id:
                    raise MachineConfigError(f"{option}: CPU is already assigned to node-id: "
                                             f"{explicit[cpu.index]}")
                explicit[cpu.index] = node_id
                cpu_in_node(node_id, option)
                matched = True
            if not matched:
                raise MachineConfigError(f"{option}: no match found")

        for kind, pairs in self.numa:
            keys = dict(pairs)
            if kind == "node":
                option = "-numa node"
                node_id = (parse_uint(keys["nodeid"], f"{option},nodeid=", "nodeid", 16) if "nodeid" in keys
                           else len(nodes))
                cpu_lists = [(value, parse_cpu_list(value, f"{option},cpus=")) for key, value in pairs
                             if key == "cpus"]
                mem_size = (parse_size(keys["mem"], f"{option},mem=", param="mem", expects="a size value")
                            if "mem" in keys else 0)
                initiator = None
                if "initiator" in keys:
                    initiator = parse_uint(keys["initiator"], f"{option},initiator=", "initiator", 16)
                if node_id >= MAX_NODES:
                    raise MachineConfigError(f"{option}: Max number of NUMA nodes reached: {node_id}")
                if node_id in nodes:
                    raise MachineConfigError(f"{option}: Duplicate NUMA nodeid: {node_id}")
                if initiator is not None:
                    if not hmat:
                        raise MachineConfigError(f"{option},initiator=: {HMAT_DISABLED}")
                    if initiator >= MAX_NODES:
                        raise MachineConfigError(f"{option},initiator=: The initiator id {initiator} expects an "
                                                 f"integer between 0 and {MAX_NODES - 1}")
                    initiators[node_id] = initiator
                for value, indexes in cpu_lists:
                    for index in indexes:
                        if index >= topology.maxcpus:
                            raise MachineConfigError(f"{located(option + ',cpus=', value)}: CPU index ({index}) should "
                                                     f"be smaller than maxcpus ({topology.maxcpus})")
                        assign(lambda c, i=index: c.index == i, node_id, located(option + ",cpus=", value))
                have_mem = have_mem or "mem" in keys
                have_memdev = have_memdev or "memdev" in keys
                if ("mem" in keys and have_memdev) or ("memdev" in keys and have_mem):
                    raise MachineConfigError(f"{option}: numa configuration should use either mem= or memdev=, "
                                             f"mixing both is not allowed")
                memory, memdev = 0, None
                if "mem" in keys and self._machine_type().version > (5, 0):
                    # hw/core/numa.c parse_numa_node: numa_mem_supported is on only for 5.0 and older types.
                    raise MachineConfigError(f"{option},mem=: Parameter -numa node,mem is not supported by this "
                                             f"machine type (use -numa node,memdev instead)")
                if "mem" in keys:
                    memory = mem_size
                if "memdev" in keys:
                    memdev = keys["memdev"]
                    where = located(option + ",memdev=", memdev)
                    if memdev not in self.backends:
                        raise MachineConfigError(f"{where}: memdev={quote(memdev)} is ambiguous (no such memory "
                                                 f"backend)")
                    if memdev in used_memdevs:
                        raise MachineConfigError(f"{where}: memory backend {quote(memdev)} can't be used multiple "
                                                 f"times.")
                    used_memdevs.add(memdev)
                    memory = self.backends[memdev]
                nodes[node_id] = NumaNode(node_id=node_id, memory=memory, memdev=memdev)
            elif kind in ("hmat-lb", "hmat-cache"):
                if not hmat:
                    raise MachineConfigError(f"-numa {kind}: {HMAT_DISABLED}")
                if kind == "hmat-lb":
                    self._hmat_lb(keys, nodes, has_cpu, lb_provided, localities)
                else:
                    self._hmat_cache(keys, nodes, lb_provided, caches)
            elif kind == "dist":
                option = "-numa dist"
                for key in ("src", "dst", "val"):
                    if key not in keys:
                        raise MachineConfigError(f"{option}: Parameter '{key}' is missing")
                src = parse_uint(keys["src"], f"{option},src=", "src", 16)
                dst = parse_uint(keys["dst"], f"{option},dst=", "dst", 16)
                val = parse_uint(keys["val"], f"{option},val=", "val", 8)
                if src >= MAX_NODES or dst >= MAX_NODES:
                    which = "src" if src >= MAX_NODES else "dst"
                    raise MachineConfigError(f"{option}: Parameter '{which}' expects an integer between 0 and "
                                             f"{MAX_NODES - 1}")
                if src not in nodes or dst not in nodes:
                    raise MachineConfigError(f"{option}: Source/Destination NUMA node is missing. Please use "
                                             f"'-numa node' option to declare it first.")
                if val < NUMA_DISTANCE_MIN:
                    raise MachineConfigError(f"{option}: NUMA distance ({val}) is invalid, it shouldn't be less "
                                             f"than {NUMA_DISTANCE_MIN}.")
                if src == dst and val != NUMA_DISTANCE_MIN:
                    raise MachineConfigError(f"{option}: Local distance of node {src} should be "
                                             f"{NUMA_DISTANCE_MIN}.")
                distances[(src, dst)] = val
            else:
                option = "-numa cpu"
                # CpuInstanceProperties: every id is an int64, so a negative one is read and then matches nothing.
                ids = {key: parse_int(keys[key], f"{option},{key}=", key, "an int64 value") for key in (
                    "node-id", "socket-id", "die-id", "cluster-id", "core-id", "thread-id") if key in keys}
                if "node-id" not in ids:
                    raise MachineConfigError(f"{option}: Missing mandatory node-id property")
                node_id = ids["node-id"]
                if node_id not in nodes:
                    raise MachineConfigError(f"{option}: Invalid node-id={node_id}, NUMA node must be defined "
                                             f"with -numa node,nodeid=ID before it's used with -numa cpu,node-id=ID")
                if "cluster-id" in ids:
                    raise MachineConfigError(f"{option}: cluster-id is not supported")
                if "die-id" in ids and topology.dies <= 1:
                    raise MachineConfigError(f"{option}: die-id is not supported")
                want = {attr: ids[key] for key, attr in (
                    ("socket-id", "socket"), ("die-id", "die"), ("core-id", "core"), ("thread-id", "thread"))
                    if key in ids}
                assign(lambda c: all(getattr(c, a) == v for a, v in want.items()), node_id, option)

        # numa_complete_configuration: memory hotplug on pc/q35 without -numa implies one node with all RAM, with
        # slots from 2.11 (auto_enable_numa_with_memhp), with maxmem alone from 5.1 (auto_enable_numa_with_memdev).
        version = self._machine_type().version
        if not nodes and ((slots and version >= (2, 11)) or (maxmem and maxmem > ram_size and version >= (5, 1))):
            nodes[0] = NumaNode(node_id=0, memory=ram_size)
        if not nodes:
            return (), None, {}, (), ()
        for node_id in range(max(nodes), -1, -1):
            if node_id not in nodes:
                raise MachineConfigError(f"-numa: numa: Node ID missing: {node_id}")
        total = sum(n.memory for n in nodes.values())
        if total != ram_size:
            raise MachineConfigError(f"-numa: total memory for NUMA nodes ({total:#x}) should equal RAM size "
                                     f"({ram_size:#x})")
        count = len(nodes)
        if distances:
            self._validate_distances(distances, count)
        # machine_numa_finish_cpu_init: with no explicit mapping at all, socket_id % nodes; otherwise an
        # unmapped CPU falls back to node 0.
        if explicit:
            cpu_nodes = {c.index: explicit.get(c.index, 0) for c in cpus}
        else:
            cpu_nodes = {c.index: c.socket % count for c in cpus}
        for index, node_id in cpu_nodes.items():
            if index not in explicit:
                cpu_in_node(node_id, "-numa")
        if hmat:
            # machine.c numa_validate_initiator.
            for node_id in range(count):
                initiator = initiators.get(node_id)
                if initiator is None:
                    continue
                if initiator not in nodes:
                    raise MachineConfigError(f"-numa node,initiator=: NUMA node {initiator} is missing, use '-numa "
                                             f"node' option to declare it first")
                if initiator not in has_cpu:
                    raise MachineConfigError(f"-numa node,initiator=: The initiator of NUMA node {node_id} is "
                                             f"invalid")
            nodes = {i: NumaNode(node_id=i, memory=n.memory, memdev=n.memdev, initiator=initiators.get(i),
                                 has_cpu=i in has_cpu) for i, n in nodes.items()}
        hmat_localities = tuple(HmatLocality(hierarchy, data_type, table["base"], tuple(table["entries"]))
                                for (hierarchy, data_type), table in sorted(localities.items()))
        hmat_caches = tuple(caches[key] for key in sorted(caches))
        return tuple(nodes[i] for i in range(count)), cpu_nodes, distances, hmat_localities, hmat_caches

    @staticmethod
    def _hmat_lb(keys: dict, nodes: dict, has_cpu: set, lb_provided: dict, localities: dict) -> None:
        # hw/core/numa.c parse_numa_hmat_lb: the checks in its order, and the base unit it derives as each value
        # arrives (so the order of the options matters, as in QEMU).
        option = "-numa hmat-lb"
        for key in ("initiator", "target", "hierarchy", "data-type"):
            if key not in keys:
                raise MachineConfigError(f"{option}: Parameter '{key}' is missing")
        initiator = parse_uint(keys["initiator"], f"{option},initiator=", "initiator", 16)
        target = parse_uint(keys["target"], f"{option},target=", "target", 16)
        for key, names in (("hierarchy", HMAT_HIERARCHIES), ("data-type", HMAT_DATA_TYPES)):
            if keys[key] not in names:
                raise MachineConfigError(f"{located(option + ',' + key + '=', keys[key])}: Parameter '{key}' does "
                                         f"not accept value {quote(keys[key])}")
        hierarchy, data_type = HMAT_HIERARCHIES.index(keys["hierarchy"]), HMAT_DATA_TYPES.index(keys["data-type"])
        count = len(nodes)
        if initiator > count:
            raise MachineConfigError(f"{option}: Invalid initiator={initiator}, it should be less than {count}")
        if target > count:
            raise MachineConfigError(f"{option}: Invalid target={target}, it should be less than {count}")
        if initiator not in has_cpu:
            raise MachineConfigError(f"{option}: Invalid initiator={initiator}, it isn't an initiator proximity "
                                     f"domain")
        if target not in nodes:
            raise MachineConfigError(f"{option}: The target={target} should point to an existing node")
        table = localities.setdefault((hierarchy, data_type), {"base": 0, "range": 0, "entries": []})
        latency = data_type < HMAT_FIRST_BANDWIDTH
        wanted, other = ("latency", "bandwidth") if latency else ("bandwidth", "latency")
        if wanted not in keys:
            raise MachineConfigError(f"{option}: Missing '{wanted}' option")
        if other in keys:
            raise MachineConfigError(f"{option}: Invalid option '{other}' since the data type is {wanted}")
        if latency:
            value = parse_uint(keys["latency"], f"{option},latency=", "latency")
        else:
            value = parse_size(keys["bandwidth"], f"{option},bandwidth=", param="bandwidth", expects="a size value")
            if value % MiB:
                raise MachineConfigError(f"{option}: Bandwidth {value} between initiator={initiator} and "
                                         f"target={target} should be 1MB aligned")
        if any(i == initiator and t == target for i, t, _ in table["entries"]):
            raise MachineConfigError(f"{option}: Duplicate configuration of the {wanted} for initiator={initiator} "
                                     f"and target={target}")
        if latency:
            table["base"] = table["base"] or U64_LIMIT - 1
            if value:
                compressed, unit = value, 1
                while compressed % 10 == 0:
                    compressed //= 10
                    unit *= 10
                unit = min(table["base"], unit)
                # QEMU divides by the base in force before this value, not by the new one.
                largest = max(table["range"], value // table["base"])
                if largest >= 0xFFFF:
                    raise MachineConfigError(f"{option}: Latency {value} between initiator={initiator} and "
                                             f"target={target} should not differ from previously entered min or "
                                             f"max values on more than 65534")
                table["base"], table["range"] = unit, largest
                lb_provided[target] = lb_provided.get(target, 0) | 1
        else:
            table["base"] = table["base"] or 1
            if value:
                bits = table["range"] | value
                first, last = (bits & -bits).bit_length() - 1, bits.bit_length()
                if last - first > 16 or value >> first >= 0xFFFF:
                    raise MachineConfigError(f"{option}: Bandwidth {value} between initiator={initiator} and "
                                             f"target={target} should not differ from previously entered values on "
                                             f"more than 65534")
                table["base"], table["range"] = 1 << first, bits
                lb_provided[target] = lb_provided.get(target, 0) | 2
        table["entries"].append((initiator, target, value))

    @staticmethod
    def _hmat_cache(keys: dict, nodes: dict, lb_provided: dict, caches: dict) -> None:
        # hw/core/numa.c parse_numa_hmat_cache.
        option = "-numa hmat-cache"
        for key in ("node-id", "size", "level", "associativity", "policy", "line"):
            if key not in keys:
                raise MachineConfigError(f"{option}: Parameter '{key}' is missing")
        node_id = parse_uint(keys["node-id"], f"{option},node-id=", "node-id", 32)
        size = parse_size(keys["size"], f"{option},size=", param="size", expects="a size value")
        level = parse_uint(keys["level"], f"{option},level=", "level", 8)
        enums = {}
        for key, names in (("associativity", HMAT_ASSOCIATIVITIES), ("policy", HMAT_POLICIES)):
            if keys[key] not in names:
                raise MachineConfigError(f"{located(option + ',' + key + '=', keys[key])}: Parameter '{key}' does "
                                         f"not accept value {quote(keys[key])}")
            enums[key] = names.index(keys[key])
        line = parse_uint(keys["line"], f"{option},line=", "line", 16)
        if node_id >= len(nodes):
            raise MachineConfigError(f"{option}: Invalid node-id={node_id}, it should be less than {len(nodes)}")
        if lb_provided.get(node_id, 0) != 3:
            raise MachineConfigError(f"{option}: The latency and bandwidth information of node-id={node_id} should "
                                     f"be provided before memory side cache attributes")
        if not 1 <= level < HMAT_CACHE_LEVELS:
            raise MachineConfigError(f"{option}: Invalid level={level}, it should be larger than 0 and less than or "
                                     f"equal to {HMAT_CACHE_LEVELS - 1}")
        if (node_id, level) in caches:
            raise MachineConfigError(f"{option}: Duplicate configuration of the side cache for node-id={node_id} and "
                                     f"level={level}")
        below, above = caches.get((node_id, level - 1)), caches.get((node_id, level + 1))
        if level > 1 and below is None:
            raise MachineConfigError(f"{option}: Cache level={level - 1} shall be defined first")
        if below is not None and size <= below.size:
            raise MachineConfigError(f"{option}: Invalid size={size}, the size of level={level} should be larger "
                                     f"than the size({below.size}) of level={level - 1}")
        if above is not None and size >= above.size:
            raise MachineConfigError(f"{option}: Invalid size={size}, the size of level={level} should be less "
                                     f"than the size({above.size}) of level={level + 1}")
        caches[(node_id, level)] = HmatCache(node_id, size, level, enums["associativity"], enums["policy"], line)

    @staticmethod
    def _validate_distances(distances: dict, count: int) -> None:
        # numa.c validate_numa_distance.
        asymmetric = False
        for src in range(count):
            for dst in range(src, count):
                there, back = distances.get((src, dst), 0), distances.get((dst, src), 0)
                if there == 0 and back == 0 and src != dst:
                    raise MachineConfigError(f"-numa dist: The distance between node {src} and {dst} is missing, "
                                             f"at least one distance value between each nodes should be provided.")
                if there and back and there != back:
                    asymmetric = True
        if asymmetric:
            for src in range(count):
                for dst in range(count):
                    if src != dst and not distances.get((src, dst)):
                        raise MachineConfigError("-numa dist: At least one asymmetrical pair of distances is "
                                                 "given, please provide distances for both directions of all "
                                                 "node pairs.")

    @staticmethod
    def _check_address_space(config: MachineConfig) -> None:
        # pc.c pc_memory_init: the highest address the machine uses must fit the CPU's physical address bits.
        if config.machine == "microvm":
            return
        used = config._max_used_gpa(config.above_4g_mem_start)
        limit = (1 << config.cpu_phys_bits) - 1
        if limit < used:
            raise MachineConfigError(f"-m/-cpu: Address space limit {limit:#x} < {used:#x} phys-bits too low "
                                     f"({config.cpu_phys_bits}): {config.ram_size:#x} bytes of RAM and the 64-bit "
                                     f"PCI hole do not fit {config.cpu_model}'s address space")
