"""SMBIOS type 44, Processor Additional Information."""
from qboot_tables.findings import ERROR, Finding
from qboot_tables.schemas import smbios as S, smbios_ext as X
from qboot_tables.smbios_types.descriptor import SmbiosDescriptor
from qboot_tables.smbios_types.formats import handle

# §7.45.2 Processor Architecture Types.
ARCHITECTURES = {0x00: "Reserved", 0x01: "IA32 (x86)", 0x02: "x64 (x86-64, Intel64, AMD64, EM64T)",
                 0x03: "Intel Itanium architecture", 0x04: "32-bit ARM (Aarch32)", 0x05: "64-bit ARM (Aarch64)",
                 0x06: "32-bit RISC-V (RV32)", 0x07: "64-bit RISC-V (RV64)", 0x08: "128-bit RISC-V (RV128)",
                 0x09: "32-bit LoongArch (LoongArch32)", 0x0A: "64-bit LoongArch (LoongArch64)"}


def check_block(s) -> list[Finding]:
    body = s.parsed.body
    if body.block_length is not None and body.processor_specific_data is None:
        return [Finding(ERROR, s.name, "block_length", f"{body.block_length} bytes of processor data do not fit in "
                                                       f"length {s.length:#x}")]
    return []


# §7.45: the smallest structure is the handle and an empty block (its length and type bytes): 08h.
DESCRIPTOR = SmbiosDescriptor(
    type=44, title=S.TYPE_NAMES[44], schema=X.processor_additional_information, spec="DSP0134 3.6.0 §7.45",
    min_length=0x08, meanings={"referenced_handle": handle}, enums={"processor_type": ARCHITECTURES},
    checks=(check_block,),
    references={"referenced_handle": 4},
)
