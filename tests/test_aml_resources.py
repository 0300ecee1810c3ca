"""ResourceTemplates against iasl: each descriptor decodes to what its ASL says, prints as iasl -d prints it and
compiles back to the same bytes; iasl calls a Buffer a template exactly when decode_template does, on hand-laid,
mutated and real machines' byte lists alike."""
from __future__ import annotations

import json
import os
import random
import re
import struct
import subprocess
import tempfile

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from qboot_tables.aml import resources as res
from qboot_tables.aml import resources_soc as res_soc
from qboot_tables.aml.resources import (CLOCK_INPUT_SINCE, CSI2_SINCE, decode_template, descriptor_asl,
                                        early_end_tag, is_template, resource_json, template_asl)
from qboot_tables.schemas.acpi import resources as rs
from qboot_tables.schemas.acpi import resources_soc as soc
from qboot_tables.tools.iasl import iasl_available

needs_iasl = pytest.mark.skipif(not iasl_available(), reason="iasl (acpica-tools) is not installed")
HEADER = 36
INDENT = "    "  # where iasl puts the braces of a Name at the top of a definition block
END = b"\x79\x00"


# --- running iasl ------------------------------------------------------------------------------------------------

def run_iasl(names: dict[str, str]) -> tuple[bytes, str]:
    """Compile `Name (XXXX, value)` for each name and value, then disassemble the result: (AML, .dsl text)."""
    body = "\n".join(f"    Name ({name}, {value})" for name, value in names.items())
    source = f'DefinitionBlock ("", "SSDT", 2, "QBOOT", "RESTEST", 1)\n{{\n{body}\n}}\n'
    with tempfile.TemporaryDirectory(prefix="qboot-res-") as work:
        with open(os.path.join(work, "t.asl"), "w") as f:
            f.write(source)
        done = subprocess.run(["iasl", "-p", "t", "t.asl"], cwd=work, capture_output=True, text=True)
        assert done.returncode == 0, done.stdout + done.stderr
        with open(os.path.join(work, "t.aml"), "rb") as f:
            aml = f.read()
        done = subprocess.run(["iasl", "-d", "t.aml"], cwd=work, capture_output=True, text=True)
        assert done.returncode == 0, done.stdout + done.stderr
        with open(os.path.join(work, "t.dsl"), encoding="latin-1") as f:
            return aml, f.read()


def named_buffers(aml: bytes) -> dict[str, tuple[int, bytes]]:
    """{name: (offset, byte list)} of a definition block made only of `Name (XXXX, Buffer)` (ACPI 6.5 §20.2.5.1
    NameOp, §20.2.5.4 BufferOp): the templates iasl compiled, and where they sit in the AML."""
    found, pos = {}, HEADER
    while pos < len(aml):
        assert aml[pos] == 0x08 and aml[pos + 5] == 0x11, aml[pos:pos + 8].hex()
        name = aml[pos + 1:pos + 5].decode()
        lead = aml[pos + 6]
        extra = lead >> 6
        package = (lead & 0x3F) if not extra else (lead & 0x0F) | int.from_bytes(aml[pos + 7:pos + 7 + extra],
                                                                                   "little") << 4
        end = pos + 6 + package
        start = pos + 7 + extra
        size_bytes = {0x0A: 1, 0x0B: 2, 0x0C: 4}.get(aml[start], 0)  # BytePrefix, WordPrefix, DWordPrefix
        size = int.from_bytes(aml[start + 1:start + 1 + size_bytes], "little") if size_bytes else aml[start]
        start += 1 + size_bytes
        assert start + size == end
        found[name] = (start, aml[start:end])
        pos = end
    return found


def buffers(aml: bytes) -> dict[str, bytes]:
    return {name: data for name, (_, data) in named_buffers(aml).items()}


def following(aml: bytes, name: str) -> bytes:
    """The AML after the byte list of `Name (name, Buffer)`, which iasl reads when a field points past it."""
    start, data = named_buffers(aml)[name]
    return aml[start + len(data):]


def printed_templates(dsl: str) -> dict[str, list[str]]:
    """The ResourceTemplate lines iasl printed for each top-level Name, from "ResourceTemplate ()" to its "}"."""
    lines, found = dsl.split("\n"), {}
    for i, line in enumerate(lines):
        match = re.fullmatch(r"    Name \((\w{4}), ResourceTemplate \(\)", line)
        if match:
            end = lines.index(INDENT + "})", i)
            found[match.group(1)] = ["ResourceTemplate ()", *lines[i + 1:end], INDENT + "}"]
    return found


def marked_early(dsl: str) -> set[str]:
    return set(re.findall(r"Name \((\w{4}), /\*\*\*\* Is ResourceTemplate, but EndTag not at buffer end", dsl))


def buffer_asl(data: bytes) -> str:
    return "Buffer () {" + ", ".join(f"0x{b:02X}" for b in data) + "}"


def as_json(resources) -> list[dict]:
    return [resource_json(r) for r in resources]


# --- every descriptor, from ASL ----------------------------------------------------------------------------------

def large(tag: int, body: bytes) -> bytes:
    return bytes([tag]) + struct.pack("<H", len(body)) + body


NO_SOURCE = {"resource_source_index": None, "resource_source": None}
GPO0 = "\\_SB.GPO0"

# (ASL of the template's body, the descriptors as resource_json gives them). Every one compiles back from
# template_asl to the same bytes except where noted.
CASES = {
    "irq_no_flags": ("IRQNoFlags () {0, 8, 15}", [{"descriptor": "IRQNoFlags", "interrupts": [0, 8, 15]}]),
    "irq_no_flags_empty": ("IRQNoFlags () {}", [{"descriptor": "IRQNoFlags", "interrupts": []}]),
    "irq": ("IRQ (Level, ActiveLow, Shared) {3, 4, 5}",
            [{"descriptor": "IRQ", "edge_level": "Level", "active_level": "ActiveLow", "shared": "Shared",
              "interrupts": [3, 4, 5]}]),
    "irq_edge_wake": ("IRQ (Edge, ActiveHigh, ExclusiveAndWake) {1}",
                      [{"descriptor": "IRQ", "edge_level": "Edge", "active_level": "ActiveHigh",
                        "shared": "ExclusiveAndWake", "interrupts": [1]}]),
    "irq_shared_wake": ("IRQ (Level, ActiveLow, SharedAndWake) {}",
                        [{"descriptor": "IRQ", "edge_level": "Level", "active_level": "ActiveLow",
                          "shared": "SharedAndWake", "interrupts": []}]),
    "dma": ("DMA (Compatibility, NotBusMaster, Transfer8) {}",
            [{"descriptor": "DMA", "dma_type": "Compatibility", "is_bus_master": "NotBusMaster",
              "dma_transfer_size": "Transfer8", "channels": []}]),
    "dma_typef": ("DMA (TypeF, BusMaster, Transfer16) {0, 7}",
                  [{"descriptor": "DMA", "dma_type": "TypeF", "is_bus_master": "BusMaster",
                    "dma_transfer_size": "Transfer16", "channels": [0, 7]}]),
    "dma_typea_b": ("DMA (TypeA, BusMaster, Transfer8_16) {5} DMA (TypeB, NotBusMaster, Transfer8) {2, 3}",
                    [{"descriptor": "DMA", "dma_type": "TypeA", "is_bus_master": "BusMaster",
                      "dma_transfer_size": "Transfer8_16", "channels": [5]},
                     {"descriptor": "DMA", "dma_type": "TypeB", "is_bus_master": "NotBusMaster",
                      "dma_transfer_size": "Transfer8", "channels": [2, 3]}]),
    "fixed_dma": ("FixedDMA (0x1234, 0x00FF, Width8bit) FixedDMA (5, 6) FixedDMA (0, 1, Width256bit)",
                  [{"descriptor": "FixedDMA", "dma_request_line": 0x1234, "channel": 0xFF,
                    "dma_transfer_width": "Width8bit"},
                   {"descriptor": "FixedDMA", "dma_request_line": 5, "channel": 6,
                    "dma_transfer_width": "Width32bit"},
                   {"descriptor": "FixedDMA", "dma_request_line": 0, "channel": 1,
                    "dma_transfer_width": "Width256bit"}]),
    "io": ("IO (Decode16, 0x0060, 0x0064, 0x01, 0x05) IO (Decode10, 0, 0x300, 0x80, 0xFF)",
           [{"descriptor": "IO", "decode": "Decode16", "address_min": 0x60, "address_max": 0x64,
             "address_alignment": 1, "range_length": 5},
            {"descriptor": "IO", "decode": "Decode10", "address_min": 0, "address_max": 0x300,
             "address_alignment": 0x80, "range_length": 0xFF}]),
    "fixed_io": ("FixedIO (0x3F8, 0x08) FixedIO (0, 0)",
                 [{"descriptor": "FixedIO", "address_base": 0x3F8, "range_length": 8},
                  {"descriptor": "FixedIO", "address_base": 0, "range_length": 0}]),
    "dependent": ("StartDependentFn (0, 1) { IO (Decode16, 0x100, 0x200, 4, 8) IRQNoFlags () {7} }"
                  " StartDependentFn (2, 2) { }"
                  " StartDependentFnNoPri () { DMA (Compatibility, NotBusMaster, Transfer8) {1} }"
                  " EndDependentFn () FixedIO (0x60, 1)",
                  [{"descriptor": "StartDependentFn", "compatibility_priority": 0, "performance_priority": 1},
                   {"descriptor": "IO", "decode": "Decode16", "address_min": 0x100, "address_max": 0x200,
                    "address_alignment": 4, "range_length": 8},
                   {"descriptor": "IRQNoFlags", "interrupts": [7]},
                   {"descriptor": "StartDependentFn", "compatibility_priority": 2, "performance_priority": 2},
                   {"descriptor": "StartDependentFnNoPri"},
                   {"descriptor": "DMA", "dma_type": "Compatibility", "is_bus_master": "NotBusMaster",
                    "dma_transfer_size": "Transfer8", "channels": [1]},
                   {"descriptor": "EndDependentFn"},
                   {"descriptor": "FixedIO", "address_base": 0x60, "range_length": 1}]),
    "vendor_short": ("VendorShort () {} VendorShort () {0x01} VendorShort () {0x41, 0x42, 3, 4, 5, 6, 0xFF}",
                     [{"descriptor": "VendorShort", "data": []}, {"descriptor": "VendorShort", "data": [1]},
                      {"descriptor": "VendorShort", "data": [0x41, 0x42, 3, 4, 5, 6, 0xFF]}]),
    "vendor_long": ("VendorLong () {} VendorLong () {0x7E} VendorLong () {" + ", ".join(str(i) for i in range(17))
                    + "} VendorLong () {" + ", ".join(str(0x20 + i) for i in range(16)) + "}",
                    [{"descriptor": "VendorLong", "data": []}, {"descriptor": "VendorLong", "data": [0x7E]},
                     {"descriptor": "VendorLong", "data": list(range(17))},
                     {"descriptor": "VendorLong", "data": list(range(0x20, 0x30))}]),
    "memory24": ("Memory24 (ReadOnly, 0, 0xFFFF, 1, 0x10) Memory24 (ReadWrite, 0x1000, 0x2000, 0x10, 0x100)",
                 [{"descriptor": "Memory24", "read_and_write": "ReadOnly", "address_minimum": 0,
                   "address_maximum": 0xFFFF, "address_alignment": 1, "range_length": 0x10},
                  {"descriptor": "Memory24", "read_and_write": "ReadWrite", "address_minimum": 0x1000,
                   "address_maximum": 0x2000, "address_alignment": 0x10, "range_length": 0x100}]),
    "memory32": ("Memory32 (ReadWrite, 0x10000, 0xFFFFFFF0, 0x10, 0x100)",
                 [{"descriptor": "Memory32", "read_and_write": "ReadWrite", "address_minimum": 0x10000,
                   "address_maximum": 0xFFFFFFF0, "address_alignment": 0x10, "range_length": 0x100}]),
    "memory32_fixed": ("Memory32Fixed (ReadOnly, 0xFED00000, 0x400) Memory32Fixed (ReadWrite, 0, 0)",
                       [{"descriptor": "Memory32Fixed", "read_and_write": "ReadOnly", "address_base": 0xFED00000,
                         "range_length": 0x400},
                        {"descriptor": "Memory32Fixed", "read_and_write": "ReadWrite", "address_base": 0,
                         "range_length": 0}]),
    "word_io": ("WordIO (ResourceProducer, MinFixed, MaxFixed, PosDecode, EntireRange, 0, 0, 0xCF7, 0, 0xCF8,,,,"
                " TypeStatic, DenseTranslation)"
                " WordIO (ResourceConsumer, MinNotFixed, MaxNotFixed, SubDecode, ISAOnlyRanges, 0, 0x10, 0x1F, 4, 0x10,"
                " 0x07, \"\\\\_SB.PCI0\",, TypeTranslation, SparseTranslation)"
                " WordIO (ResourceProducer, MinFixed, MaxNotFixed, PosDecode, NonISAOnlyRanges, 0, 0, 0xFF, 0, 0, 3)",
                [{"descriptor": "WordIO", "resource_usage": "ResourceProducer", "is_min_fixed": "MinFixed",
                  "is_max_fixed": "MaxFixed", "decode": "PosDecode", "isa_ranges": "EntireRange",
                  "address_granularity": 0, "address_minimum": 0, "address_maximum": 0xCF7,
                  "address_translation": 0, "range_length": 0xCF8, **NO_SOURCE, "translation_type": "TypeStatic",
                  "translation_density": "DenseTranslation"},
                 {"descriptor": "WordIO", "resource_usage": "ResourceConsumer", "is_min_fixed": "MinNotFixed",
                  "is_max_fixed": "MaxNotFixed", "decode": "SubDecode", "isa_ranges": "ISAOnlyRanges",
                  "address_granularity": 0, "address_minimum": 0x10, "address_maximum": 0x1F,
                  "address_translation": 4, "range_length": 0x10, "resource_source_index": 7,
                  "resource_source": "\\_SB.PCI0",
                  "translation_type": "TypeTranslation", "translation_density": "SparseTranslation"},
                 {"descriptor": "WordIO", "resource_usage": "ResourceProducer", "is_min_fixed": "MinFixed",
                  "is_max_fixed": "MaxNotFixed", "decode": "PosDecode", "isa_ranges": "NonISAOnlyRanges",
                  "address_granularity": 0, "address_minimum": 0, "address_maximum": 0xFF, "address_translation": 0,
                  "range_length": 0, "resource_source_index": 3, "resource_source": None,
                  "translation_type": "TypeStatic", "translation_density": "DenseTranslation"}]),
    "word_bus_space": ("WordBusNumber (ResourceConsumer, MinNotFixed, MaxNotFixed, SubDecode, 0, 0x10, 0x1F, 0,"
                       " 0x10, 5, \"PCI1\")"
                       " WordSpace (0xC0, ResourceProducer, PosDecode, MinFixed, MaxFixed, 0xA5, 0, 1, 2, 0, 2,,,)",
                       [{"descriptor": "WordBusNumber", "resource_usage": "ResourceConsumer",
                         "is_min_fixed": "MinNotFixed", "is_max_fixed": "MaxNotFixed", "decode": "SubDecode",
                         "address_granularity": 0, "address_minimum": 0x10, "address_maximum": 0x1F,
                         "address_translation": 0, "range_length": 0x10, "resource_source_index": 5,
                         "resource_source": "PCI1"},
                        {"descriptor": "WordSpace", "resource_type": 0xC0, "resource_usage": "ResourceProducer",
                         "decode": "PosDecode", "is_min_fixed": "MinFixed", "is_max_fixed": "MaxFixed",
                         "type_specific_flags": 0xA5, "address_granularity": 0, "address_minimum": 1,
                         "address_maximum": 2, "address_translation": 0, "range_length": 2, **NO_SOURCE}]),
    "dword": ("DWordMemory (ResourceProducer, PosDecode, MinFixed, MaxFixed, Cacheable, ReadWrite, 0, 0xA0000,"
              " 0xBFFFF, 0, 0x20000,,,, AddressRangeMemory, TypeStatic)"
              " DWordMemory (ResourceConsumer, SubDecode, MinNotFixed, MaxNotFixed, WriteCombining, ReadOnly,"
              " 0xFFF, 0x1000, 0x1FFF, 0x10, 0x1000, 0x02, \"^MEM0\",, AddressRangeACPI, TypeTranslation)"
              " DWordMemory (ResourceProducer, PosDecode, MinFixed, MaxFixed, NonCacheable, ReadWrite, 0,"
              " 0x80000000, 0xFEBFFFFF, 0, 0x7EC00000,,,, AddressRangeReserved, TypeStatic)"
              " DWordIO (ResourceProducer, MinFixed, MaxFixed, PosDecode, EntireRange, 0, 0xD00, 0xFFFF, 0, 0xF300,"
              " 1, \"\\\\_SB.PCI0\",, TypeTranslation, SparseTranslation)"
              " DWordSpace (0xFF, ResourceConsumer, SubDecode, MinNotFixed, MaxNotFixed, 0x55, 0, 1, 2, 0, 2,,,)",
              [{"descriptor": "DWordMemory", "resource_usage": "ResourceProducer", "decode": "PosDecode",
                "is_min_fixed": "MinFixed", "is_max_fixed": "MaxFixed", "cacheable": "Cacheable",
                "read_and_write": "ReadWrite", "address_granularity": 0, "address_minimum": 0xA0000,
                "address_maximum": 0xBFFFF, "address_translation": 0, "range_length": 0x20000, **NO_SOURCE,
                "memory_range_type": "AddressRangeMemory", "translation_type": "TypeStatic"},
               {"descriptor": "DWordMemory", "resource_usage": "ResourceConsumer", "decode": "SubDecode",
                "is_min_fixed": "MinNotFixed", "is_max_fixed": "MaxNotFixed", "cacheable": "WriteCombining",
                "read_and_write": "ReadOnly", "address_granularity": 0xFFF, "address_minimum": 0x1000,
                "address_maximum": 0x1FFF, "address_translation": 0x10, "range_length": 0x1000,
                "resource_source_index": 2, "resource_source": "^MEM0", "memory_range_type": "AddressRangeACPI",
                "translation_type": "TypeTranslation"},
               {"descriptor": "DWordMemory", "resource_usage": "ResourceProducer", "decode": "PosDecode",
                "is_min_fixed": "MinFixed", "is_max_fixed": "MaxFixed", "cacheable": "NonCacheable",
                "read_and_write": "ReadWrite", "address_granularity": 0, "address_minimum": 0x80000000,
                "address_maximum": 0xFEBFFFFF, "address_translation": 0, "range_length": 0x7EC00000, **NO_SOURCE,
                "memory_range_type": "AddressRangeReserved", "translation_type": "TypeStatic"},
               {"descriptor": "DWordIO", "resource_usage": "ResourceProducer", "is_min_fixed": "MinFixed",
                "is_max_fixed": "MaxFixed", "decode": "PosDecode", "isa_ranges": "EntireRange",
                "address_granularity": 0, "address_minimum": 0xD00, "address_maximum": 0xFFFF,
                "address_translation": 0, "range_length": 0xF300, "resource_source_index": 1,
                "resource_source": "\\_SB.PCI0", "translation_type": "TypeTranslation",
                "translation_density": "SparseTranslation"},
               {"descriptor": "DWordSpace", "resource_type": 0xFF, "resource_usage": "ResourceConsumer",
                "decode": "SubDecode", "is_min_fixed": "MinNotFixed", "is_max_fixed": "MaxNotFixed",
                "type_specific_flags": 0x55, "address_granularity": 0, "address_minimum": 1, "address_maximum": 2,
                "address_translation": 0, "range_length": 2, **NO_SOURCE}]),
    "qword": ("QWordMemory (ResourceProducer, PosDecode, MinFixed, MaxFixed, Prefetchable, ReadWrite, 0,"
              " 0x800000000, 0x8FFFFFFFF, 0, 0x100000000,,,, AddressRangeNVS, TypeStatic)"
              " QWordIO (ResourceConsumer, MinNotFixed, MaxFixed, PosDecode, ISAOnlyRanges, 0, 0x1000, 0xFFFF,"
              " 0xFFFFFFFFFFFFFFFF, 0, 0xFF, \"IOB\",, TypeStatic, DenseTranslation)"
              " QWordSpace (0xC1, ResourceProducer, PosDecode, MinFixed, MaxFixed, 0x01, 0, 1, 2, 0, 2,,,)",
              [{"descriptor": "QWordMemory", "resource_usage": "ResourceProducer", "decode": "PosDecode",
                "is_min_fixed": "MinFixed", "is_max_fixed": "MaxFixed", "cacheable": "Prefetchable",
                "read_and_write": "ReadWrite", "address_granularity": 0, "address_minimum": 0x800000000,
                "address_maximum": 0x8FFFFFFFF, "address_translation": 0, "range_length": 0x100000000,
                **NO_SOURCE, "memory_range_type": "AddressRangeNVS", "translation_type": "TypeStatic"},
               {"descriptor": "QWordIO", "resource_usage": "ResourceConsumer", "is_min_fixed": "MinNotFixed",
                "is_max_fixed": "MaxFixed", "decode": "PosDecode", "isa_ranges": "ISAOnlyRanges",
                "address_granularity": 0, "address_minimum": 0x1000, "address_maximum": 0xFFFF,
                "address_translation": 0xFFFFFFFFFFFFFFFF, "range_length": 0, "resource_source_index": 0xFF,
                "resource_source": "IOB", "translation_type": "TypeStatic",
                "translation_density": "DenseTranslation"},
               {"descriptor": "QWordSpace", "resource_type": 0xC1, "resource_usage": "ResourceProducer",
                "decode": "PosDecode", "is_min_fixed": "MinFixed", "is_max_fixed": "MaxFixed",
                "type_specific_flags": 1, "address_granularity": 0, "address_minimum": 1, "address_maximum": 2,
                "address_translation": 0, "range_length": 2, **NO_SOURCE}]),
    "extended": ("ExtendedMemory (ResourceProducer, PosDecode, MinFixed, MaxFixed, Cacheable, ReadWrite, 0, 0x1000,"
                 " 0x1FFF, 0, 0x1000, 0x1234,, AddressRangeReserved, TypeStatic)"
                 " ExtendedIO (ResourceConsumer, MinFixed, MaxFixed, SubDecode, EntireRange, 0, 0x1000, 0x1FFF, 0,"
                 " 0x1000, 0,, TypeTranslation, SparseTranslation)"
                 " ExtendedSpace (0xC0, ResourceConsumer, PosDecode, MinFixed, MaxFixed, 0x12, 0, 1, 2, 0, 2,"
                 " 0x99)",
                 [{"descriptor": "ExtendedMemory", "resource_usage": "ResourceProducer", "decode": "PosDecode",
                   "is_min_fixed": "MinFixed", "is_max_fixed": "MaxFixed", "cacheable": "Cacheable",
                   "read_and_write": "ReadWrite", "address_granularity": 0, "address_minimum": 0x1000,
                   "address_maximum": 0x1FFF, "address_translation": 0, "range_length": 0x1000,
                   "type_specific_attributes": 0x1234, "memory_range_type": "AddressRangeReserved",
                   "translation_type": "TypeStatic"},
                  {"descriptor": "ExtendedIO", "resource_usage": "ResourceConsumer", "is_min_fixed": "MinFixed",
                   "is_max_fixed": "MaxFixed", "decode": "SubDecode", "isa_ranges": "EntireRange",
                   "address_granularity": 0, "address_minimum": 0x1000, "address_maximum": 0x1FFF,
                   "address_translation": 0, "range_length": 0x1000, "type_specific_attributes": 0,
                   "translation_type": "TypeTranslation", "translation_density": "SparseTranslation"},
                  {"descriptor": "ExtendedSpace", "resource_type": 0xC0, "resource_usage": "ResourceConsumer",
                   "decode": "PosDecode", "is_min_fixed": "MinFixed", "is_max_fixed": "MaxFixed",
                   "type_specific_flags": 0x12, "address_granularity": 0, "address_minimum": 1,
                   "address_maximum": 2, "address_translation": 0, "range_length": 2,
                   "type_specific_attributes": 0x99}]),
    "interrupt": ("Interrupt (ResourceConsumer, Level, ActiveHigh, Exclusive, ,, ) {9}"
                  " Interrupt (ResourceProducer, Edge, ActiveLow, SharedAndWake, 3, \"\\\\_SB.LNKA\") {1, 2, 0x30}"
                  " Interrupt (ResourceConsumer, Level, ActiveLow, ExclusiveAndWake, 0x05) {0xFFFFFFFF}"
                  " Interrupt (ResourceConsumer, Edge, ActiveHigh, Shared) {"
                  + ", ".join(str(0x20 + i) for i in range(20)) + "}",
                  [{"descriptor": "Interrupt", "resource_usage": "ResourceConsumer", "edge_level": "Level",
                    "active_level": "ActiveHigh", "shared": "Exclusive", **NO_SOURCE, "interrupts": [9]},
                   {"descriptor": "Interrupt", "resource_usage": "ResourceProducer", "edge_level": "Edge",
                    "active_level": "ActiveLow", "shared": "SharedAndWake", "resource_source_index": 3,
                    "resource_source": "\\_SB.LNKA", "interrupts": [1, 2, 0x30]},
                   {"descriptor": "Interrupt", "resource_usage": "ResourceConsumer", "edge_level": "Level",
                    "active_level": "ActiveLow", "shared": "ExclusiveAndWake", "resource_source_index": 5,
                    "resource_source": None, "interrupts": [0xFFFFFFFF]},
                   {"descriptor": "Interrupt", "resource_usage": "ResourceConsumer", "edge_level": "Edge",
                    "active_level": "ActiveHigh", "shared": "Shared", **NO_SOURCE,
                    "interrupts": list(range(0x20, 0x34))}]),
    "register": ("Register (SystemIO, 8, 0, 0xB2, 1) Register (SystemMemory, 32, 0, 0xFED40000)"
                 " Register (FFixedHW, 0x40, 0x01, 0x0000000000000002, 3)"
                 " Register (PCI_Config, 16, 4, 0x10, 2) Register (EmbeddedControl, 8, 0, 0x62)"
                 " Register (SMBus, 8, 0, 0) Register (SystemCMOS, 8, 0, 0x70) Register (PCIBARTarget, 32, 0, 4, 4)"
                 " Register (IPMI, 8, 0, 0) Register (GeneralPurposeIo, 1, 0, 5)"
                 " Register (GenericSerialBus, 8, 0, 0) Register (PCC, 64, 0, 0xFFFFFFFFFFFFFFFF)"
                 " Register (PlatformRtMechanism, 8, 0, 0)",
                 [{"descriptor": "Register", "address_space": space, "register_bit_width": width,
                   "register_bit_offset": offset, "register_address": address, "access_size": size}
                  for space, width, offset, address, size in [
                      ("SystemIO", 8, 0, 0xB2, 1), ("SystemMemory", 32, 0, 0xFED40000, 0),
                      ("FFixedHW", 0x40, 1, 2, 3), ("PCI_Config", 16, 4, 0x10, 2),
                      ("EmbeddedControl", 8, 0, 0x62, 0), ("SMBus", 8, 0, 0, 0), ("SystemCMOS", 8, 0, 0x70, 0),
                      ("PCIBARTarget", 32, 0, 4, 4), ("IPMI", 8, 0, 0, 0), ("GeneralPurposeIo", 1, 0, 5, 0),
                      ("GenericSerialBus", 8, 0, 0, 0), ("PCC", 64, 0, 0xFFFFFFFFFFFFFFFF, 0),
                      ("PlatformRtMechanism", 8, 0, 0, 0)]]),
    "gpio_int": ("GpioInt (Edge, ActiveLow, Exclusive, PullUp, 0x0010, \"\\\\_SB.GPO0\", 0x00, ResourceConsumer, ,)"
                 " {0x11}"
                 " GpioInt (Level, ActiveBoth, SharedAndWake, PullNone, 0xFFFF, \"GPO1\", 0x00, ResourceProducer, ,"
                 " RawDataBuffer () {1, 2, 3}) {0}"
                 " GpioInt (Level, ActiveHigh, ExclusiveAndWake, PullDefault, 0, \"\\\\_SB.PCI0.GPO2\",,, ) {7}"
                 " GpioInt (Edge, ActiveHigh, Shared, 0x80, 1, \"G\") {0xFFFF}",
                 [{"descriptor": "GpioInt", "edge_level": "Edge", "active_level": "ActiveLow", "shared": "Exclusive",
                   "pin_config": "PullUp", "debounce_timeout": 0x10, "resource_source": GPO0,
                   "resource_source_index": 0, "resource_usage": "ResourceConsumer", "vendor_data": [],
                   "pins": [0x11]},
                  {"descriptor": "GpioInt", "edge_level": "Level", "active_level": "ActiveBoth",
                   "shared": "SharedAndWake", "pin_config": "PullNone", "debounce_timeout": 0xFFFF,
                   "resource_source": "GPO1", "resource_source_index": 0, "resource_usage": "ResourceProducer",
                   "vendor_data": [1, 2, 3], "pins": [0]},
                  {"descriptor": "GpioInt", "edge_level": "Level", "active_level": "ActiveHigh",
                   "shared": "ExclusiveAndWake", "pin_config": "PullDefault", "debounce_timeout": 0,
                   "resource_source": "\\_SB.PCI0.GPO2", "resource_source_index": 0,
                   "resource_usage": "ResourceConsumer", "vendor_data": [], "pins": [7]},
                  {"descriptor": "GpioInt", "edge_level": "Edge", "active_level": "ActiveHigh", "shared": "Shared",
                   "pin_config": 0x80, "debounce_timeout": 1, "resource_source": "G", "resource_source_index": 0,
                   "resource_usage": "ResourceConsumer", "vendor_data": [], "pins": [0xFFFF]}]),
    "gpio_io": ("GpioIo (Shared, PullNone, 0x10, 0x20, IoRestrictionOutputOnly, \"\\\\_SB.GPO0\", 0x00,"
                " ResourceConsumer, , RawDataBuffer () {1, 2, 3, 4, 5, 6, 7, 8, 9, 10}) {0x13}"
                " GpioIo (Exclusive, PullDown, 0, 0xFFFF, IoRestrictionNoneAndPreserve, \"GPO1\",, ResourceProducer)"
                " {1, 2, 3, 0x100}"
                " GpioIo (ExclusiveAndWake, PullUp, 1, 2, IoRestrictionInputOnly, \"GPO1\") {4}"
                " GpioIo (SharedAndWake, 0xFF, 1, 2, IoRestrictionNone, \"GPO1\",,,, RawDataBuffer () {"
                + ", ".join(str(i) for i in range(16)) + "}) {5, 6}",
                [{"descriptor": "GpioIo", "shared": "Shared", "pin_config": "PullNone", "debounce_timeout": 0x10,
                  "drive_strength": 0x20, "io_restriction": "IoRestrictionOutputOnly", "resource_source": GPO0,
                  "resource_source_index": 0, "resource_usage": "ResourceConsumer",
                  "vendor_data": list(range(1, 11)), "pins": [0x13]},
                 {"descriptor": "GpioIo", "shared": "Exclusive", "pin_config": "PullDown", "debounce_timeout": 0,
                  "drive_strength": 0xFFFF, "io_restriction": "IoRestrictionNoneAndPreserve",
                  "resource_source": "GPO1", "resource_source_index": 0, "resource_usage": "ResourceProducer",
                  "vendor_data": [], "pins": [1, 2, 3, 0x100]},
                 {"descriptor": "GpioIo", "shared": "ExclusiveAndWake", "pin_config": "PullUp",
                  "debounce_timeout": 1, "drive_strength": 2, "io_restriction": "IoRestrictionInputOnly",
                  "resource_source": "GPO1", "resource_source_index": 0, "resource_usage": "ResourceConsumer",
                  "vendor_data": [], "pins": [4]},
                 {"descriptor": "GpioIo", "shared": "SharedAndWake", "pin_config": 0xFF, "debounce_timeout": 1,
                  "drive_strength": 2, "io_restriction": "IoRestrictionNone", "resource_source": "GPO1",
                  "resource_source_index": 0, "resource_usage": "ResourceConsumer", "vendor_data": list(range(16)),
                  "pins": [5, 6]}]),
    "i2c": ("I2cSerialBusV2 (0x50, ControllerInitiated, 400000, AddressingMode7Bit, \"\\\\_SB.I2C0\", 0x00,"
            " ResourceConsumer, , Exclusive, )"
            " I2cSerialBusV2 (0x3FF, DeviceInitiated, 0xFFFFFFFF, AddressingMode10Bit, \"I2C1\", 0x01,"
            " ResourceProducer, , Shared, RawDataBuffer () {0xDE, 0xAD, 0xBE, 0xEF, 5, 6, 7, 8, 9})",
            [{"descriptor": "I2cSerialBusV2", "slave_address": 0x50, "slave_mode": "ControllerInitiated",
              "connection_speed": 400000, "addressing_mode": "AddressingMode7Bit", "resource_source": "\\_SB.I2C0",
              "resource_source_index": 0, "resource_usage": "ResourceConsumer", "shared": "Exclusive",
              "vendor_data": []},
             {"descriptor": "I2cSerialBusV2", "slave_address": 0x3FF, "slave_mode": "DeviceInitiated",
              "connection_speed": 0xFFFFFFFF, "addressing_mode": "AddressingMode10Bit", "resource_source": "I2C1",
              "resource_source_index": 1, "resource_usage": "ResourceProducer", "shared": "Shared",
              "vendor_data": [0xDE, 0xAD, 0xBE, 0xEF, 5, 6, 7, 8, 9]}]),
    "spi": ("SpiSerialBusV2 (0x01, PolarityLow, FourWireMode, 8, ControllerInitiated, 1000000, ClockPolarityLow,"
            " ClockPhaseFirst, \"\\\\_SB.SPI0\", 0x00, ResourceConsumer, , Shared, RawDataBuffer () {0xAA})"
            " SpiSerialBusV2 (0xFFFF, PolarityHigh, ThreeWireMode, 32, DeviceInitiated, 1, ClockPolarityHigh,"
            " ClockPhaseSecond, \"SPI1\", 0x02, ResourceProducer, , Exclusive, )",
            [{"descriptor": "SpiSerialBusV2", "device_selection": 1, "device_selection_polarity": "PolarityLow",
              "wire_mode": "FourWireMode", "data_bit_length": 8, "slave_mode": "ControllerInitiated",
              "connection_speed": 1000000, "clock_polarity": "ClockPolarityLow", "clock_phase": "ClockPhaseFirst",
              "resource_source": "\\_SB.SPI0", "resource_source_index": 0, "resource_usage": "ResourceConsumer",
              "shared": "Shared", "vendor_data": [0xAA]},
             {"descriptor": "SpiSerialBusV2", "device_selection": 0xFFFF, "device_selection_polarity": "PolarityHigh",
              "wire_mode": "ThreeWireMode", "data_bit_length": 32, "slave_mode": "DeviceInitiated",
              "connection_speed": 1, "clock_polarity": "ClockPolarityHigh", "clock_phase": "ClockPhaseSecond",
              "resource_source": "SPI1", "resource_source_index": 2, "resource_usage": "ResourceProducer",
              "shared": "Exclusive", "vendor_data": []}]),
    "uart": ("UartSerialBusV2 (115200, DataBitsEight, StopBitsOne, 0xC0, LittleEndian, ParityTypeNone,"
             " FlowControlNone, 0x20, 0x20, \"\\\\_SB.UAR0\", 0x00, ResourceConsumer, , Exclusive, )"
             " UartSerialBusV2 (9600, DataBitsNine, StopBitsTwo, 0xFC, BigEndian, ParityTypeSpace, FlowControlXON,"
             " 0xFFFF, 0, \"UAR1\", 0x00, ResourceProducer, , Shared, RawDataBuffer () {1, 2})"
             " UartSerialBusV2 (1, DataBitsFive, StopBitsZero, 0, LittleEndian, ParityTypeOdd, FlowControlHardware,"
             " 1, 1, \"U\") UartSerialBusV2 (2, DataBitsSix, StopBitsOnePlusHalf, 0, LittleEndian, ParityTypeEven,"
             " FlowControlNone, 1, 1, \"U\") UartSerialBusV2 (3, DataBitsSeven, StopBitsOne, 0, LittleEndian,"
             " ParityTypeMark, FlowControlNone, 1, 1, \"U\")",
             [{"descriptor": "UartSerialBusV2", "initial_baud_rate": 115200, "bits_per_byte": "DataBitsEight",
               "stop_bits": "StopBitsOne", "lines_in_use": 0xC0, "is_big_endian": "LittleEndian",
               "parity": "ParityTypeNone", "flow_control": "FlowControlNone", "receive_buffer_size": 0x20,
               "transmit_buffer_size": 0x20, "resource_source": "\\_SB.UAR0", "resource_source_index": 0,
               "resource_usage": "ResourceConsumer", "shared": "Exclusive", "vendor_data": []},
              {"descriptor": "UartSerialBusV2", "initial_baud_rate": 9600, "bits_per_byte": "DataBitsNine",
               "stop_bits": "StopBitsTwo", "lines_in_use": 0xFC, "is_big_endian": "BigEndian",
               "parity": "ParityTypeSpace", "flow_control": "FlowControlXON", "receive_buffer_size": 0xFFFF,
               "transmit_buffer_size": 0, "resource_source": "UAR1", "resource_source_index": 0,
               "resource_usage": "ResourceProducer", "shared": "Shared", "vendor_data": [1, 2]},
              *({"descriptor": "UartSerialBusV2", "initial_baud_rate": baud, "bits_per_byte": bits,
                 "stop_bits": stop, "lines_in_use": 0, "is_big_endian": "LittleEndian", "parity": parity,
                 "flow_control": flow, "receive_buffer_size": 1, "transmit_buffer_size": 1, "resource_source": "U",
                 "resource_source_index": 0, "resource_usage": "ResourceConsumer", "shared": "Exclusive",
                 "vendor_data": []}
                for baud, bits, stop, parity, flow in [
                    (1, "DataBitsFive", "StopBitsZero", "ParityTypeOdd", "FlowControlHardware"),
                    (2, "DataBitsSix", "StopBitsOnePlusHalf", "ParityTypeEven", "FlowControlNone"),
                    (3, "DataBitsSeven", "StopBitsOne", "ParityTypeMark", "FlowControlNone")])]),
    # iasl disassembles the revision 1 serial bus macros as V2, which compile to revision 2
    "serial_v1": ("I2cSerialBus (0x50, ControllerInitiated, 400000, AddressingMode7Bit, \"I2C0\", 0,"
                  " ResourceConsumer, ,)",
                  [{"descriptor": "I2cSerialBusV2", "slave_address": 0x50, "slave_mode": "ControllerInitiated",
                    "connection_speed": 400000, "addressing_mode": "AddressingMode7Bit", "resource_source": "I2C0",
                    "resource_source_index": 0, "resource_usage": "ResourceConsumer", "shared": "Exclusive",
                    "vendor_data": []}]),
    "pin_function": ("PinFunction (Exclusive, PullDefault, 0x5, \"\\\\_SB.GPO0\", 0, ResourceConsumer, , ) {1, 2}"
                     " PinFunction (Shared, 0x90, 0xFFFF, \"GPO1\", 0x7F, ResourceConsumer, ,"
                     " RawDataBuffer () {9, 8, 7}) {0x100}",
                     [{"descriptor": "PinFunction", "shared": "Exclusive", "pin_pull_configuration": "PullDefault",
                       "function_number": 5, "resource_source": GPO0, "resource_source_index": 0,
                       "resource_usage": "ResourceConsumer", "vendor_data": [], "pins": [1, 2]},
                      {"descriptor": "PinFunction", "shared": "Shared", "pin_pull_configuration": 0x90,
                       "function_number": 0xFFFF, "resource_source": "GPO1", "resource_source_index": 0x7F,
                       "resource_usage": "ResourceConsumer", "vendor_data": [9, 8, 7], "pins": [0x100]}]),
    "pin_config": ("".join(f" PinConfig (Exclusive, {kind}, {kind * 1000}, \"GPO1\", 0, ResourceConsumer, , )"
                           f" {{{kind}}}" for kind in range(14))
                   + " PinConfig (Shared, 0x80, 0xFFFFFFFF, \"\\\\_SB.GPO0\", 1, ResourceProducer, ,"
                   " RawDataBuffer () {1}) {3, 4}",
                   [*({"descriptor": "PinConfig", "shared": "Exclusive", "pin_config_type": kind,
                       "pin_config_value": kind * 1000, "resource_source": "GPO1", "resource_source_index": 0,
                       "resource_usage": "ResourceConsumer", "vendor_data": [], "pins": [kind]}
                      for kind in range(14)),
                    {"descriptor": "PinConfig", "shared": "Shared", "pin_config_type": 0x80,
                     "pin_config_value": 0xFFFFFFFF, "resource_source": GPO0, "resource_source_index": 1,
                     "resource_usage": "ResourceProducer", "vendor_data": [1], "pins": [3, 4]}]),
    "pin_group": ("PinGroup (\"group1\", ResourceProducer, , ) {4, 5}"
                  " PinGroup (\"g\", ResourceConsumer, , RawDataBuffer () {" + ", ".join(str(i) for i in range(9))
                  + "}) {6}",
                  [{"descriptor": "PinGroup", "resource_label": "group1", "resource_usage": "ResourceProducer",
                    "vendor_data": [], "pins": [4, 5]},
                   {"descriptor": "PinGroup", "resource_label": "g", "resource_usage": "ResourceConsumer",
                    "vendor_data": list(range(9)), "pins": [6]}]),
    "pin_group_function": ("PinGroupFunction (Exclusive, 0x3, \"\\\\_SB.GPO0\", 0, \"group1\", ResourceConsumer, , )"
                           " PinGroupFunction (Shared, 0xFFFF, \"GPO1\", 9, \"g\", ResourceProducer, ,"
                           " RawDataBuffer () {1, 2})",
                           [{"descriptor": "PinGroupFunction", "shared": "Exclusive", "function_number": 3,
                             "resource_source": GPO0, "resource_source_index": 0, "resource_source_label": "group1",
                             "resource_usage": "ResourceConsumer", "vendor_data": []},
                            {"descriptor": "PinGroupFunction", "shared": "Shared", "function_number": 0xFFFF,
                             "resource_source": "GPO1", "resource_source_index": 9, "resource_source_label": "g",
                             "resource_usage": "ResourceProducer", "vendor_data": [1, 2]}]),
    "pin_group_config": ("PinGroupConfig (Exclusive, 0x05, 1, \"\\\\_SB.GPO0\", 0, \"group1\", ResourceConsumer, , )"
                         " PinGroupConfig (Shared, 0xC0, 0x12345678, \"GPO1\", 2, \"g\", ResourceProducer, ,"
                         " RawDataBuffer () {7})",
                         [{"descriptor": "PinGroupConfig", "shared": "Exclusive", "pin_config_type": 5,
                           "pin_config_value": 1, "resource_source": GPO0, "resource_source_index": 0,
                           "resource_source_label": "group1", "resource_usage": "ResourceConsumer", "vendor_data": []},
                          {"descriptor": "PinGroupConfig", "shared": "Shared", "pin_config_type": 0xC0,
                           "pin_config_value": 0x12345678, "resource_source": "GPO1", "resource_source_index": 2,
                           "resource_source_label": "g", "resource_usage": "ResourceProducer",
                           "vendor_data": [7]}]),
}
NOT_ROUND_TRIP = {"serial_v1"}
NAMES = {case: f"R{i:03d}" for i, case in enumerate(CASES)}


@pytest.fixture(scope="module")
def compiled():
    """Every case compiled and disassembled by iasl, once: (AML, {name: template bytes}, .dsl text)."""
    aml, dsl = run_iasl({NAMES[case]: f"ResourceTemplate () {{ {asl} }}" for case, (asl, _) in CASES.items()})
    return aml, buffers(aml), dsl


@needs_iasl
@pytest.mark.parametrize("case", CASES)
def test_descriptors_decode_to_what_the_asl_says(compiled, case):
    _, data, _ = compiled
    resources = decode_template(data[NAMES[case]])
    assert as_json(resources) == CASES[case][1]
    json.dumps(as_json(resources))  # JSON-ready as it is
    offset = 0
    for resource in resources:
        assert resource.offset == offset
        offset += resource.length
    assert data[NAMES[case]][offset:] == END  # iasl leaves the End Tag checksum 0


@needs_iasl
@pytest.mark.parametrize("case", CASES)
def test_asl_is_what_iasl_prints(compiled, case):
    _, data, dsl = compiled
    name = NAMES[case]
    assert template_asl(data[name], INDENT) == printed_templates(dsl)[name]


@needs_iasl
def test_asl_compiles_back_to_the_same_bytes(compiled):
    _, data, _ = compiled
    names = {name: "\n".join(template_asl(data[name], "        "))
             for case, name in NAMES.items() if case not in NOT_ROUND_TRIP}
    again, _ = run_iasl(names)
    assert buffers(again) == {name: data[name] for name in names}


def test_values_are_enum_members():
    data = bytes.fromhex("4701600064000105" "8909000b0109000000014100")
    resources = decode_template(data + END)
    io, interrupt = resources
    assert (io.offset, io.length, io.macro) == (0, 8, "IO")
    assert io.fields["decode"] is rs.IoDecode.Decode16
    assert interrupt.fields["shared"] is rs.Sharing.Shared
    assert interrupt.fields["edge_level"] is rs.EdgeLevel.Edge
    assert interrupt.fields["resource_source_index"] == 1 and interrupt.fields["resource_source"] == "A"
    assert resource_json(io) == {"descriptor": "IO", "decode": "Decode16", "address_min": 0x60,
                                 "address_max": 0x64, "address_alignment": 1, "range_length": 5}


# --- raw bytes: the template rule, odd values and hostile fields --------------------------------------------------

def dword(source: bytes, kind: int = 1, flags: int = 1, specific: int = 1) -> bytes:
    return large(0x87, bytes([kind, flags, specific]) + struct.pack("<5I", 0, 1, 2, 0, 2) + source)


def gpio(kind: int, pins: list[int], source: bytes, vendor: bytes, *, flags: int = 0, pin_config: int = 0,
         offsets: tuple | None = None) -> bytes:
    table = 23
    name_at = table + 2 * len(pins)
    vendor_at = name_at + len(source)
    if offsets:
        table, name_at, vendor_at = offsets
    body = struct.pack("<BBHHBHHHBHHH", 1, kind, 1, flags, pin_config, 0x1234, 0x10, table, 0, name_at, vendor_at,
                       len(vendor))
    return large(0x8C, body + b"".join(struct.pack("<H", p) for p in pins) + source + vendor)


def serial(bus: int, type_data: bytes, source: bytes, *, flags: int = 2, specific: int = 0,
           type_length: int | None = None) -> bytes:
    length = len(type_data) if type_length is None else type_length
    return large(0x8E, struct.pack("<BBBBHBH", 2, 0, bus, flags, specific, 1, length) + type_data + source)


RAW = {
    # the template rule
    "lone_end_tag": END,
    "end_tag_only_plus": b"\x38" + END,
    "checksum": b"\x22\x01\x00\x79\xB6",
    "end_tag_length_0": b"\x22\x01\x00\x78",
    "end_tag_length_2": b"\x22\x01\x00\x7A\x00\x00",
    "no_end_tag": b"\x22\x01\x00\x38",
    "end_tag_early": b"\x79\x00\x79\x00",
    "end_tag_early_tail": b"\x22\x01\x00\x79\x00\x01",
    "truncated_large": b"\x22\x01\x00\x86\x09",
    "overrun": b"\x22\x01\x00\x86\x09\x00\x01\x79\x00",
    "reserved_small": b"\x18" + END,
    "reserved_small_b": b"\x58" + END,
    "reserved_large": large(0x80, b"") + END,
    "reserved_large_83": large(0x83, b"\x00") + END,
    "clock_input_unknown": large(0x93, bytes(9)) + END,
    "large_beyond": large(0x94, b"") + END,
    "io_bad_length": b"\x46" + bytes(6) + END,
    "irq_bad_length": b"\x21\x01" + END,
    "start_dependent_2": b"\x32\x00\x00" + END,
    "vendor_long_empty": large(0x84, b"") + END,
    "memory32_short": large(0x85, bytes(16)) + END,
    "dword_short": large(0x87, bytes(22)) + END,
    "serial_type_0": serial(0, b"", b"\x00") + END,
    "serial_type_4": serial(4, b"", b"C\x00") + END,
    "serial_type_5": serial(5, b"", b"\x00") + END,
    # odd values
    "irq_reserved_bits": b"\x23\x01\x00\xC6" + END,
    "dma_invalid_size": b"\x2A\x04\x03" + END,
    "fixed_dma_invalid_width": b"\x55\x01\x00\x02\x00\x07" + END,
    "start_dependent_priority_3": b"\x31\x0F" + b"\x38" + END,
    "vendor_short_7": b"\x77" + bytes(range(0x7A, 0x81)) + END,
    "vendor_long_9": large(0x84, b"ab\x00\x7f\x80\xff cd") + END,
    "register_spaces": b"".join(large(0x82, bytes([space, 8, 0, size]) + struct.pack("<Q", 0x10))
                                for space, size in ((0x0C, 0), (0x80, 5), (0x7F, 0), (0xFF, 1))) + END,
    "address_index_only": dword(b"\x03") + END,
    "address_empty_name": dword(b"\x03\x00") + END,
    "address_unterminated": dword(b"\x03AB") + END,
    "address_escapes": dword(b"\x03A\x0a\x80\x01\x7f\"'\\\x07\x08\x09\x0b\x0c\x0d\xfe\x00") + END,
    "address_after_nul": dword(b"\x03AB\x00CD") + END,
    "address_invalid_type": dword(b"", kind=5) + END,
    "address_vendor_type": dword(b"", kind=0xC0, flags=0x0F, specific=0xFF) + END,
    "address_reserved_flags": dword(b"", kind=1, flags=0xF0, specific=0xCC) + dword(b"", kind=0, specific=0xC0)
    + END,
    "address_io_invalid_ranges": dword(b"", kind=1, specific=0) + END,
    "qword_bus": large(0x8A, bytes([2, 0x0D, 0]) + struct.pack("<5Q", 0, 1, 2, 0, 2)) + END,
    "extended_bus": large(0x8B, bytes([2, 0x0D, 0, 1, 0]) + struct.pack("<6Q", 0, 1, 2, 0, 2, 7)) + END,
    "extended_invalid": large(0x8B, bytes([7, 0x0D, 0, 1, 0]) + struct.pack("<6Q", 0, 1, 2, 0, 2, 7)) + END,
    "interrupt_none": large(0x89, bytes([0x1F, 0]) + bytes(4)) + END,
    "interrupt_none_source": large(0x89, bytes([0x1F, 0]) + bytes(4) + b"\x05XY\x00") + END,
    "interrupt_count_past": large(0x89, bytes([0x1F, 2]) + bytes(4)) + b"\x38" * 3 + END,
    "dependent_unclosed": b"\x30\x22\x01\x00" + END,
    "dependent_end_alone": b"\x38" + END,
    "dependent_twice": b"\x31\x07\x30\x38\x38" + END,
    "gpio_unknown_type": gpio(2, [1], b"G\x00", b"") + END,
    "gpio_reserved_level": gpio(0, [1], b"G\x00", b"", flags=0x06, pin_config=4) + END,
    "gpio_no_vendor_offset": gpio(1, [1], b"G\x00", b"", offsets=(23, 25, 0)) + END,
    "gpio_two_interrupt_pins": gpio(0, [1, 2], b"G\x00", b"") + END,
    "serial_type_length_long": serial(1, struct.pack("<IH", 100, 5), b"", type_length=8) + b"\x38" * 4 + END,
    "uart_unknown_values": serial(3, struct.pack("<IHHBB", 9600, 1, 1, 0x0D, 0xFF), b"U\x00", specific=0xF7) + END,
    "spi_high_bits": serial(2, struct.pack("<IBBBH", 9, 8, 0xFE, 0xFF, 1), b"S\x00", flags=0xFF, specific=0xFC)
    + END,
    "pin_config_vendor": large(0x8F, struct.pack("<BHBIHBHHH", 1, 3, 0xFF, 7, 20, 0, 22, 24, 0) + b"\x01\x00G\x00")
    + END,
    "pin_group_label_first": large(0x90, struct.pack("<BHHHHH", 1, 1, 14, 14, 16, 0) + b"L\x00") + END,
    "pin_function_odd_table": large(0x8D, struct.pack("<BHBHHBHHH", 1, 0, 0, 1, 18, 0, 21, 23, 0)
                                    + b"\x01\x00\x02G\x00") + END,
}


@pytest.fixture(scope="module")
def raw_disassembled():
    names = {f"B{i:03d}": buffer_asl(data) for i, data in enumerate(RAW.values())}
    aml, dsl = run_iasl(names)
    return aml, dsl


@needs_iasl
@pytest.mark.parametrize("case", RAW)
def test_raw_bytes_are_printed_as_iasl_prints_them(raw_disassembled, case):
    aml, dsl = raw_disassembled
    name, data = f"B{list(RAW).index(case):03d}", RAW[case]
    after = following(aml, name)
    printed = printed_templates(dsl).get(name)
    assert (decode_template(data) is not None) == is_template(data) == (printed is not None)
    assert early_end_tag(data) == (name in marked_early(dsl))
    if printed is not None:
        assert template_asl(data, INDENT, after=after) == printed


def test_counts_iasl_computes_negative():
    # A pin table after the string that ends it, and a type data length shorter than the bus's fields: iasl's
    # unsigned arithmetic makes billions of pins or vendor bytes of these, and it crashes. We read none.
    (gpio_io,) = decode_template(gpio(1, [1, 2], b"", b"\x01", offsets=(23, 0, 27)) + END)
    assert (gpio_io.fields["resource_source"], gpio_io.fields["pins"], gpio_io.fields["vendor_data"]) == \
        (None, [], b"\x01")
    (i2c,) = decode_template(serial(1, b"\x01\x02", b"I\x00") + END)
    assert (i2c.fields["vendor_data"], i2c.fields["resource_source"]) == (b"", "I")
    # iasl reads the fields the type data is too short for from what follows: the name, then the End Tag
    assert (i2c.fields["connection_speed"], i2c.fields["slave_address"]) == (0x00490201, 0x0079)


def test_what_is_not_a_template():
    assert decode_template(b"") is None
    assert decode_template(END) is None  # iasl prints a lone End Tag as a Buffer
    assert decode_template(b"\x22\x01\x00\x38") is None  # no End Tag
    assert decode_template(b"\x22\x01\x00\x79") is None  # an End Tag without its checksum byte
    assert decode_template(b"\x22\x01\x00\x79\x00\x00") is None  # a byte after the End Tag
    assert decode_template(b"\x47\x01\x60\x00" + END) is None  # truncated IO
    assert decode_template(bytes(16)) is None
    assert decode_template(b"\x38" + END) == [res.Resource(0, 1, "EndDependentFn", {})]
    assert decode_template(b"\x38\x79\xC7") is not None  # a real checksum
    assert decode_template(None) is None and decode_template("IO") is None
    assert early_end_tag(b"\x79\x00\x79\x00") and not early_end_tag(b"\x38" + END)
    template = bytes.fromhex("470160006400010522010079")
    for cut in range(len(template)):
        assert decode_template(template[:cut]) is None
    rng = random.Random(6)
    for _ in range(200):
        data = bytes(rng.randrange(256) for _ in range(rng.randrange(3, 40)))
        if decode_template(data) is not None:  # a random chain that happens to be valid must end in an End Tag
            assert data[-2] == 0x79


def test_newer_iasl_descriptors():
    csi2 = serial(4, b"", b"\\_SB.CSI0\x00", flags=3, specific=0x09) + END
    clock = large(0x93, struct.pack("<BHHI", 1, 0x05, 4, 19200000) + b"\x02\\_SB.CLK0\x00") + END
    clock_short = large(0x93, struct.pack("<BHHI", 1, 0x02, 1, 100) + b"\x02A\x00") + END
    assert decode_template(csi2) is None and decode_template(clock) is None
    (bus,) = decode_template(csi2, iasl_version=CSI2_SINCE)
    assert resource_json(bus) == {"descriptor": "Csi2Bus", "slave_mode": "DeviceInitiated",
                                  "phy_type": soc.Csi2PhyType.D_PHY, "local_port_instance": 2,
                                  "resource_source": "\\_SB.CSI0", "resource_source_index": 0,
                                  "resource_usage": "ResourceConsumer", "vendor_data": []}
    assert descriptor_asl(csi2, "", iasl_version=CSI2_SINCE) == [
        "Csi2Bus (DeviceInitiated, 0x01, 0x02,", '    "\\\\_SB.CSI0",', "    0x00, ResourceConsumer, ,", "    )"]
    (clock_input,) = decode_template(clock, iasl_version=CLOCK_INPUT_SINCE)
    assert resource_json(clock_input) == {"descriptor": "ClockInput", "frequency_numerator": 19200000,
                                          "frequency_divisor": 4, "frequency_scale": "MHz", "mode": "Variable",
                                          "resource_source": "\\_SB.CLK0", "resource_source_index": 2}
    assert descriptor_asl(clock, "", iasl_version=CLOCK_INPUT_SINCE) == [
        'ClockInput (0x0124F800, 0x0004, MHz, Variable, "\\\\_SB.CLK0", 0x02)']
    # iasl prints the resource source only after more than 12 bytes of body
    assert descriptor_asl(clock_short, "", iasl_version=CLOCK_INPUT_SINCE) == [
        "ClockInput (0x00000064, 0x0001, KHz, Fixed, )"]
    # iasl 20260408 wants 6 bytes left where a large descriptor starts, to read a serial bus type
    short_vendor = large(0x84, b"") + END
    assert decode_template(short_vendor) is not None
    assert decode_template(short_vendor, iasl_version=res.BOUNDS_CHECKED_SINCE) is None
    assert decode_template(large(0x84, b"\x01") + END, iasl_version=res.BOUNDS_CHECKED_SINCE) is not None


def test_connection_lines_report_what_iasl_refuses():
    # Connection () prints its byte list without asking whether it is a template.
    assert descriptor_asl(b"\x18\x00" + END, "    ") == [
        "/*** Could not validate Resource, type (18) AE_AML_INVALID_RESOURCE_TYPE***/"]
    # An EndDependentFn with nothing to end takes iasl below its level; the complaint has no indentation.
    assert descriptor_asl(b"\x38\x46" + bytes(6) + END, INDENT) == [
        "}", "EndDependentFn ()", "/*** Could not validate Resource, type (40) AE_AML_BAD_RESOURCE_LENGTH***/"]
    assert descriptor_asl(large(0x84, b"\x01\x02")[:4], "", iasl_version=res.BOUNDS_CHECKED_SINCE) == [
        "/*** Resource descriptor length 5 exceeds available data 4 at offset 0 ***/"]
    assert descriptor_asl(b"\x38\x86", "", iasl_version=res.BOUNDS_CHECKED_SINCE) == [
        "    }", "    EndDependentFn ()",
        "/*** Resource descriptor header length 3 exceeds available data 1 at offset 1 ***/"]


# --- against iasl on mutated templates ---------------------------------------------------------------------------

class Reach:
    """Records whether decoding a byte list reads past its end or computes a negative count, which iasl reads
    from memory we do not have (or crashes on): such lists are left out of the comparison."""

    def __init__(self, monkeypatch):
        self.beyond = False
        window, string, unwrapped = res._window, res._string, res_soc._unwrapped

        def reach_window(buf, start, size):
            self.beyond |= start + size > len(buf)
            return window(buf, start, size)

        def reach_string(buf, start):
            self.beyond |= buf.find(b"\0", start) < 0
            return string(buf, start)

        def reach_count(count):
            self.beyond |= count < 0
            return unwrapped(count)

        for module in (res, res_soc):  # the SoC descriptors' module has its own references to the helpers
            monkeypatch.setattr(module, "_window", reach_window)
            monkeypatch.setattr(module, "_string", reach_string)
        monkeypatch.setattr(res_soc, "_unwrapped", reach_count)

    def inside(self, data: bytes) -> bool:
        self.beyond = False
        if decode_template(data) is not None:
            template_asl(data, INDENT)
        return not self.beyond


@needs_iasl
def test_mutated_templates_against_iasl(compiled, monkeypatch):
    _, data, _ = compiled
    pieces = [template[r.offset:r.offset + r.length] for template in data.values()
              for r in decode_template(template)]
    rng = random.Random(1)
    reach = Reach(monkeypatch)
    mutated = []
    while len(mutated) < 300:
        parts = [bytearray(rng.choice(pieces)) for _ in range(rng.randint(1, 4))]
        for part in parts:
            for _ in range(rng.randint(0, 3)):
                at = rng.randrange(len(part))
                part[at] = rng.choice([0, 1, 2, 0x7F, 0x80, 0xFF, rng.randrange(256), part[at] ^ 1 << rng.randrange(8)])
        candidate = b"".join(parts) + bytes([0x79, rng.choice([0, 0, 0x5A])])
        if rng.random() < 0.1:
            candidate = candidate[:rng.randrange(len(candidate))]
        if reach.inside(candidate):
            mutated.append(candidate)
    monkeypatch.undo()
    names = {f"M{i:03d}": buffer_asl(b) for i, b in enumerate(mutated)}
    aml, dsl = run_iasl(names)
    printed, early = printed_templates(dsl), marked_early(dsl)
    templates = 0
    for name, candidate in zip(names, mutated):
        assert early_end_tag(candidate) == (name in early), candidate.hex()
        if decode_template(candidate) is None:
            assert name not in printed, candidate.hex()
        else:
            templates += 1
            assert template_asl(candidate, INDENT) == printed[name], candidate.hex()
    assert templates > 100  # the comparison covered templates, not just refusals


# --- a real machine ----------------------------------------------------------------------------------------------

def buffers_in_tree(node, found: list):
    """The Buffers whose declared size is their byte list's length, and the Connection () buffers of field
    lists, in the order iasl prints them: [(kind, byte list, offset of the Buffer op)]."""
    if isinstance(node, list):
        for child in node:
            buffers_in_tree(child, found)
        return
    kind = type(node).__name__
    if kind == "FieldConnect" and type(node.target).__name__ == "Op":
        found.append(("Connection", node.target.args[1], node.target.offset))
    elif kind == "Op" and node.name == "Buffer" and isinstance(node.args[1], bytes):
        size, declared = node.args[0], None  # iasl wants an integer constant: Buffer (Local0) is no template
        if type(size).__name__ == "Op":
            declared = {"Zero": 0, "One": 1}.get(size.name, size.args[0] if size.args else None)
        if declared == len(node.args[1]) and is_template(node.args[1]):
            found.append(("ResourceTemplate", node.args[1], node.offset))
    for arg in getattr(node, "args", None) or []:
        if isinstance(arg, list) or hasattr(arg, "args"):
            buffers_in_tree(arg, found)


def printed_blocks(dsl: str) -> list[tuple[str, str, list[str]]]:
    """(kind, indentation, lines) of every ResourceTemplate and Connection () iasl printed, in order, with the
    DescriptorNames it invents (_Y00) taken out: they are not in the bytes."""
    lines, found = dsl.split("\n"), []
    for i, line in enumerate(lines):
        indent = line[:len(line) - len(line.lstrip())]
        if re.search(r"ResourceTemplate \(\)(  // .*)?$", line):
            indent = lines[i + 1][:-1]
            end = next(j for j in range(i + 2, len(lines)) if lines[j].startswith(indent + "}"))
            found.append(("ResourceTemplate", indent, ["ResourceTemplate ()", *lines[i + 1:end], indent + "}"]))
        elif line.endswith("Connection ("):
            end = next(j for j in range(i + 1, len(lines)) if lines[j].startswith(indent + ")"))
            found.append(("Connection", indent + "    ", lines[i + 1:end]))
    return [(kind, indent, [re.sub(r"\b_Y[0-9A-F]{2}\b", "", line) for line in block])
            for kind, indent, block in found]


@needs_iasl
def test_a_real_machine_prints_as_iasl_prints_it():
    # d007 has 19 kinds of descriptor, GPIO and serial bus connections among them.
    decode = pytest.importorskip("qboot_tables.aml.decode")
    real_hw = pytest.importorskip("real_hw")
    tables = [t.data for t in real_hw.machine_tables("d007") if t.signature in ("DSDT", "SSDT")]
    checked = 0
    for table, decoded in zip(tables, decode.decode_tables(tables)):
        ours = []
        buffers_in_tree(decoded.terms, ours)
        if not ours:
            continue
        with tempfile.TemporaryDirectory(prefix="qboot-res-") as work:
            with open(os.path.join(work, "t.aml"), "wb") as f:
                f.write(table)
            subprocess.run(["iasl", "-d", "t.aml"], cwd=work, capture_output=True, check=True)
            with open(os.path.join(work, "t.dsl"), encoding="latin-1") as f:
                printed = printed_blocks(f.read())
        assert [kind for kind, _, _ in printed] == [kind for kind, _, _ in ours]
        for (kind, indent, lines), (_, data, offset) in zip(printed, ours):
            after = table[table.index(data, offset) + len(data):]
            asl = template_asl if kind == "ResourceTemplate" else descriptor_asl
            assert asl(data, indent, after=after) == lines, data.hex()
            checked += 1
    assert checked > 100


# --- never raises ------------------------------------------------------------------------------------------------

@settings(max_examples=500, deadline=None)
@given(st.binary(max_size=80), st.binary(max_size=8))
def test_never_raises_on_arbitrary_bytes(data, after):
    for version in (res.IASL_VERSION, res.BOUNDS_CHECKED_SINCE):
        resources = decode_template(data, after=after, iasl_version=version)
        early_end_tag(data, iasl_version=version)
        descriptor_asl(data, INDENT, after=after, iasl_version=version)
        if resources is not None:
            json.dumps([resource_json(r) for r in resources])
            template_asl(data, INDENT, after=after, iasl_version=version)


descriptor_bytes = st.one_of(
    st.builds(lambda tag, body: bytes([tag]) + body, st.integers(0, 0x77).filter(lambda t: t >> 3 != 0x0F),
              st.binary(max_size=7)).map(lambda d: bytes([d[0] & 0x78 | min(len(d) - 1, 7)]) + d[1:8]),
    st.builds(lambda tag, body: large(tag, body), st.integers(0x80, 0x93), st.binary(max_size=70)),
)


@settings(max_examples=500, deadline=None)
@given(st.lists(descriptor_bytes, max_size=6), st.integers(0, 255))
def test_never_raises_on_descriptor_chains(chain, checksum):
    data = b"".join(chain) + bytes([0x79, checksum])
    resources = decode_template(data)
    if resources is not None:
        assert sum(r.length for r in resources) == len(data) - 2
        lines = template_asl(data, INDENT)
        assert lines[0] == "ResourceTemplate ()" and lines[-1] == INDENT + "}"
