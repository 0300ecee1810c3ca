"""PCI bus 0 as QEMU 7.2 fills it: the chipset's functions, the default VGA and NIC, then -device in order."""
from __future__ import annotations

import re
from dataclasses import dataclass

from qboot_tables.errors import quote
from qboot_tables.generate.machine.model import MachineConfigError

SLOTS, FUNCTIONS = 32, 8


@dataclass(frozen=True)
class PciDevice:
    """One function on the root bus (bus 0, segment 0): what the DMAR, IVRS and SMBIOS type 41 name."""
    devfn: int  # slot << 3 | function
    driver: str
    id: str | None = None  # -device ...,id=
    multifunction: bool = False  # -device ...,multifunction=on: other functions may share its slot

    @property
    def slot(self) -> int:
        return self.devfn >> 3

    @property
    def function(self) -> int:
        return self.devfn & 7


# The chipset's own functions at fixed addresses (hw/i386/pc_piix.c pc_init1, hw/i386/pc_q35.c pc_q35_init), and
# whether each is multifunction: the ISA bridges are created so (pci_create_simple_multifunction), which lets
# -device take the free functions of their slots. PIIX4's power management function exists only with ACPI; USB
# (01.2) needs -usb, which is not modelled.
PC_CHIPSET = ((0x00, "i440FX", False), (0x08, "PIIX3", True), (0x09, "piix3-ide", False))
PC_ACPI_FUNCTION = (0x0B, "PIIX4_PM")
Q35_CHIPSET = ((0x00, "mch", False), (0xF8, "ICH9-LPC", True), (0xFA, "ich9-ahci", False), (0xFB, "ICH9-SMB", False))
DEFAULT_NIC = {"pc": "e1000", "q35": "e1000e"}  # the machine class's default_nic
DEFAULT_VGA = "VGA"  # the std VGA both machines default to

# -device drivers that are PCI functions, and the qdev aliases of the virtio ones (qdev-monitor.c
# qdev_alias_table: on x86 "virtio-blk" means virtio-blk-pci).
PCI_ALIASES = {"virtio-blk": "virtio-blk-pci", "virtio-net": "virtio-net-pci", "virtio-rng": "virtio-rng-pci"}
PCI_DRIVERS = {"e1000", "e1000e", "rtl8139", "usb-ehci", "qemu-xhci", "VGA"}

# hw/pci/pci.c set_pci_devfn: "slot" or "slot.function", each read with sscanf's %x.
_ADDR = re.compile(r"\s*[+-]?(0[xX])?([0-9a-fA-F]+)(?:\.\s*[+-]?(0[xX])?([0-9a-fA-F]+))?")


def is_pci_driver(driver: str) -> bool:
    return driver in PCI_DRIVERS or driver in PCI_ALIASES or driver.endswith("-pci")


def parse_pci_addr(text: str, option: str) -> int:
    """The devfn that -device ...,addr=TEXT asks for."""
    match = _ADDR.fullmatch(text)
    slot = int(match.group(2), 16) if match else SLOTS
    function = int(match.group(4), 16) if match and match.group(4) else 0
    if not match or slot >= SLOTS or function >= FUNCTIONS:
        raise MachineConfigError(f"{option} addr={quote(text)}: Property 'addr' doesn't take value {quote(text)}")
    return slot << 3 | function


class RootBus:
    """Places functions on bus 0 the way hw/pci/pci.c do_pci_register_device does."""

    def __init__(self) -> None:
        self.devices: dict[int, PciDevice] = {}

    def add(self, driver: str, devfn: int | None = None, id_: str | None = None, option: str = "-device",
            multifunction: bool = False) -> PciDevice:
        if devfn is None:
            # The first slot whose function 0 is free.
            free = [slot << 3 for slot in range(SLOTS) if slot << 3 not in self.devices]
            if not free:
                raise MachineConfigError(f"{option} {quote(driver)}: PCI: no slot/function available for {driver}, "
                                         f"all in use or reserved")
            devfn = free[0]
        slot, function = devfn >> 3, devfn & 7
        if devfn in self.devices:
            raise MachineConfigError(f"{option} {quote(driver)}: PCI: slot {slot} function {function} not "
                                     f"available for {driver}, in use by {self.devices[devfn].driver}")
        # hw/pci/pci.c pci_init_multifunction: Linux reads the multifunction bit of function 0 only, so a function
        # above 0 needs function 0, if present, to have it, and function 0 without it needs its slot otherwise empty.
        if function:
            first = self.devices.get(slot << 3)
            if first is not None and not first.multifunction:
                raise MachineConfigError(f"{option} {quote(driver)}: PCI: single function device can't be populated "
                                         f"in function {slot:x}.{function:x}")
        elif not multifunction:
            taken = next((f for f in range(1, FUNCTIONS) if slot << 3 | f in self.devices), None)
            if taken is not None:
                raise MachineConfigError(f"{option} {quote(driver)}: PCI: {slot:x}.0 indicates single function, but "
                                         f"{slot:x}.{taken:x} is already populated.")
        device = PciDevice(devfn, driver, id_, multifunction)
        self.devices[devfn] = device
        return device

    def sorted(self) -> tuple[PciDevice, ...]:
        return tuple(self.devices[devfn] for devfn in sorted(self.devices))


def machine_bus(family: str, acpi: bool, default_vga: bool, default_nic: bool) -> RootBus:
    """Bus 0 once the machine itself is built, before any -device: fixed functions, then VGA, then the NIC."""
    bus = RootBus()
    if family == "microvm":
        return bus  # no PCI bus without pcie=on, which is not modelled
    for devfn, driver, multifunction in PC_CHIPSET if family == "pc" else Q35_CHIPSET:
        bus.add(driver, devfn, multifunction=multifunction)
    if family == "pc" and acpi:
        bus.add(PC_ACPI_FUNCTION[1], PC_ACPI_FUNCTION[0])
    # pc_vga_init and pc_nic_init run before the -device options are created, and take the first free slots.
    if default_vga:
        bus.add(DEFAULT_VGA)
    if default_nic:
        bus.add(DEFAULT_NIC[family])
    return bus
