/* The Intel MP table (MPS 1.4) with the CPUs' real APIC IDs, for guests that boot with ACPI off. */
#include "mptable.h"
#include "pci.h"	/* the PIRQ routing chipset.c programs, which the pc table describes */
#include "util.h"

/* Layout and constants match qboot_tables/generate/mptable.py, which the host tests compare byte for byte. */
#define FLOATING_SIZE 16	/* MPS 1.4 §4.1 */
#define HEADER_SIZE 44		/* §4.2 */
#define PROCESSOR_SIZE 20	/* §4.3.1; every other base entry is 8 bytes */
#define ENTRY_SIZE 8
#define SPEC_REV 4		/* MPS 1.4 */
#define LOCAL_APIC_ADDRESS 0xFEE00000u
#define LOCAL_APIC_VERSION 0x14	/* QEMU hw/intc/apic.c version register */
#define IO_APIC_ID 0
#define IO_APIC_VERSION 0x11
#define IO_APIC_ADDRESS 0xFEC00000u
#define MAX_XAPIC_ID 0xFE	/* 8-bit IDs, FFh broadcast: an x2APIC-only CPU gets no entry */
#define CPU_SIGNATURE 0x600	/* family 6, as SeaBIOS without CPUID; guests read the real one with CPUID */
#define CPU_FEATURES 0x201	/* FPU, APIC */
#define CPU_ENABLED 1
#define CPU_BOOTSTRAP 2
#define ENTRY_PROCESSOR 0
#define ENTRY_BUS 1
#define ENTRY_IO_APIC 2
#define ENTRY_IO_INTERRUPT 3
#define ENTRY_LOCAL_INTERRUPT 4
#define INT_INT 0		/* Table 4-11 */
#define INT_NMI 1
#define INT_EXTINT 3
#define LEVEL_ACTIVE_HIGH 0xD	/* polarity 01b active high, trigger 11b level: the PCI links' setting */
#define PCI_SLOTS 32
#define PCI_PINS 4
#define IRQ0_PIN 2		/* the PIT on I/O APIC input 2, as the MADT's IRQ0 override says */
/* pc: PIRQ A-D to the ISA IRQs pci.h names, and 00:01.3 INTA# is the SCI on IRQ 9 (QEMU). */
#define PIIX_PIRQ_IRQ(pirq) ((pirq) == 0 ? PIRQA_IRQ : (pirq) == 1 ? PIRQB_IRQ : (pirq) == 2 ? PIRQC_IRQ : PIRQD_IRQ)
#define PIIX_SCI_SLOT 1
#define PIIX_SCI_IRQ 9
/* q35: ICH9 PIRQ A-H on GSI 16-23; QEMU 7.2's default device-to-PIRQ table (hw/isa/lpc_ich9.c). */
#define ICH9_PIRQ_GSI_BASE 16
#define ICH9_UNSWIZZLED_SLOT 30
#define ICH9_DIRECT_SLOTS (1u << 25 | 1u << 26 | 1u << 27 | 1u << 28 | 1u << 29 | 1u << 31)

static uint8_t bit_width(uint32_t count)
{
	/* topology.h apicid_bitwidth_for_count: ceil(log2(count)), 0 for one (and none); one BSR on i686. */
	return count > 1 ? (uint8_t)(32 - __builtin_clz(count - 1)) : 0;
}

/* The level types of leaves 0Bh and 1Fh, ECX[15:8] (Intel SDM vol. 2A, CPUID). */
#define LEVEL_SMT 1
#define LEVEL_CORE 2
#define LEVEL_DIE 5
#define CPUID_1_EDX_HTT (1u << 28)

/* The fields' offsets from the counts, as topology.h apicid_core_offset, apicid_die_offset and apicid_pkg_offset
 * place them: threads lowest, then cores, dies, packages, each as wide as its count needs. */
static void set_widths(struct cpu_topology *t)
{
	t->core_offset = bit_width(t->threads);
	t->die_offset = (uint8_t)(t->core_offset + bit_width(t->cores));
	t->package_offset = (uint8_t)(t->die_offset + bit_width(t->dies));
}

/* Leaf 0Bh or 1Fh (Intel SDM vol. 2A, CPUID): subleaf n's EAX[4:0] shifts the APIC ID to the next level's
 * field, EBX[15:0] counts the logical CPUs at this level, ECX[15:8] names the level. QEMU 7.2 (target/i386/cpu.c
 * cpu_x86_cpuid) reports SMT then core, and in 1Fh then die, with topology.h's offsets; its 0Bh core level
 * shifts to the package, past the dies' bits, and both count one die's CPUs (cs->nr_cores is -smp cores).
 * Measured under TCG, -smp 6,sockets=2,cores=3: 0Bh EAX 0, 2 and EBX 1, 3. 0 when the leaf is not that. */
static int from_extended_leaf(cpuid_fn cpuid, uint32_t leaf, struct cpu_topology *t)
{
	uint32_t smt[4], core[4], die[4];
	uint32_t smt_count, core_count, die_count;

	cpuid(leaf, 0, smt);
	cpuid(leaf, 1, core);
	smt_count = smt[1] & 0xFFFF;
	core_count = core[1] & 0xFFFF;
	if ((smt[2] >> 8 & 0xFF) != LEVEL_SMT || (core[2] >> 8 & 0xFF) != LEVEL_CORE || !smt_count ||
	    core_count < smt_count || core_count % smt_count)
		return 0;
	t->threads = smt_count;
	t->cores = core_count / smt_count;
	t->core_offset = smt[0] & 0x1F;
	t->die_offset = (uint8_t)(t->core_offset + bit_width(t->cores));
	if (leaf == 0x1F) {
		/* Subleaf 1 shifts to the die field, subleaf 2 (the die level) to the package and counts its CPUs. */
		cpuid(leaf, 2, die);
		die_count = die[1] & 0xFFFF;
		if ((die[2] >> 8 & 0xFF) != LEVEL_DIE || die_count < core_count || die_count % core_count)
			return 0;
		t->dies = die_count / core_count;
		t->die_offset = core[0] & 0x1F;
		t->package_offset = die[0] & 0x1F;
	} else {
		t->package_offset = core[0] & 0x1F;
	}
	/* Fields that overlap, or do not fit 32 bits with a package number above them, are not a topology. */
	return t->core_offset >= bit_width(t->threads) && t->die_offset >= t->core_offset + bit_width(t->cores) &&
	       t->package_offset >= t->die_offset + bit_width(t->dies) && t->package_offset <= 31;
}

void mptable_topology_from_cpuid(cpuid_fn cpuid, uint32_t apic_id_limit, struct cpu_topology *t)
{
	uint32_t r[4], level, logical;

	*t = (struct cpu_topology){ .threads = 1, .cores = 1, .dies = 1 };	/* offsets 0: APIC IDs are the indexes */
	cpuid(0, 0, r);
	level = r[0];	/* the highest standard leaf; QEMU answers a higher one with this one's registers */
	/* QEMU 7.2 raises the level to 1Fh for dies > 1 on Intel models and older machine types
	 * (x86_cpu_expand_features), and answers zeros for one die: the SMT level type check then fails. */
	if (level >= 0x1F && from_extended_leaf(cpuid, 0x1F, t)) {
		t->source = 0x1F;
		return;
	}
	t->dies = 1;
	if (level >= 0xB && from_extended_leaf(cpuid, 0xB, t)) {
		/* 0Bh names no die level, but its package offset leaves room for the dies between the cores' field and
		 * the package's (qemu64, an AMD model, keeps level 0Dh with dies). Their count is in fw_cfg MAX_CPUS,
		 * QEMU's apic_id_limit: the APIC ID of the last possible CPU plus one (hw/i386/x86.c x86_cpus_init),
		 * whose die field holds the last die. A limit that does not fill the field's width is not QEMU's:
		 * then dies and packages are counted together above the cores, right for a power-of-two die count. */
		uint32_t width = (uint32_t)(t->package_offset - t->die_offset);
		if (width && apic_id_limit)
			t->dies = ((apic_id_limit - 1) >> t->die_offset & ((1u << width) - 1)) + 1;
		if (bit_width(t->dies) != width) {
			t->dies = 1;
			t->package_offset = t->die_offset;
		}
		t->source = 0xB;
		return;
	}
	/* Legacy topology, as Linux 6.1 reads it (arch/x86/kernel/cpu/common.c detect_ht, intel.c
	 * intel_num_cpu_cores) and SeaBIOS leaf 1 (src/fw/mptable.c): leaf 1 EBX[23:16] counts a package's logical
	 * CPUs when EDX.HTT is set, and leaf 4 subleaf 0 EAX[31:26] is its cores minus one when EAX[4:0] names a
	 * cache. QEMU 7.2 reports a die's CPUs
	 * in both (nr_cores * nr_threads, nr_cores - 1), and leaf 4 is zeros on AMD models from machine type 6.1
	 * (x-vendor-cpuid-only), so their logical CPUs are all taken as threads, as Linux does. */
	t->threads = t->cores = 1;
	t->core_offset = t->die_offset = t->package_offset = 0;
	if (level < 1)
		return;
	cpuid(1, 0, r);
	logical = r[3] & CPUID_1_EDX_HTT ? r[1] >> 16 & 0xFF : 1;
	if (!logical)
		logical = 1;
	if (level >= 4) {
		cpuid(4, 0, r);
		if (r[0] & 0x1F)
			t->cores = (r[0] >> 26) + 1;
	}
	if (logical % t->cores) {
		t->cores = 1;
		return;
	}
	t->threads = logical / t->cores;
	set_widths(t);
	t->source = 1;
}

uint32_t mptable_apic_id(const struct cpu_topology *t, uint32_t index)
{
	/* topology.h x86_topo_ids_from_idx and x86_apicid_from_topo_ids, with the offsets read from CPUID. */
	uint32_t per_die = t->threads * t->cores, per_package = per_die * t->dies;
	if (!per_package)
		return index;
	return (index / per_package) << t->package_offset | (index / per_die % t->dies) << t->die_offset |
	       (index / t->threads % t->cores) << t->core_offset | index % t->threads;
}

/* CPUs whose APIC ID fits the MP table's 8 bits (0xFF is the broadcast ID). mptable_apic_id grows with the
 * index (each topology field lies below the next, and the fields cannot overlap), so these are CPUs 0..n-1. */
static uint32_t processor_count(const struct mptable_config *c, uint32_t last)
{
	uint32_t fits = 1, above;	/* CPUs 0..fits-1 fit (CPU 0's ID is 0), CPU `above` does not */
	/* Mostly the last CPU's ID fits, and then all do: one ID instead of one per CPU. */
	if (fw_one_test((c->nb_cpus == 0) | (last <= MAX_XAPIC_ID)))	/* one branch (util.h) */
		return c->nb_cpus;
	/* Otherwise a bisection, a few IDs for hundreds of CPUs. */
	above = c->nb_cpus - 1;
	while (fits < above) {
		uint32_t mid = fits + (above - fits) / 2;
		if (mptable_apic_id(&c->topology, mid) <= MAX_XAPIC_ID)
			fits = mid + 1;
		else
			above = mid;
	}
	return fits;
}

/* Everything after the processor entries depends only on the chipset, so it is a table in the ROM per chipset,
 * built by the compiler from constant expressions, which the firmware copies instead of computing each entry. */

/* The I/O APIC input that slot/pin of PCI bus 0 reaches on each chipset. */
#define PIIX_GSI(slot, pin) ((slot) == PIIX_SCI_SLOT && (pin) == 0 ? PIIX_SCI_IRQ : \
	PIIX_PIRQ_IRQ(((slot) + (pin) + 3) & 3))	/* the PIIX swizzle: slot 1 INTA# is PIRQA */
#define ICH9_GSI(slot, pin) (ICH9_DIRECT_SLOTS >> (slot) & 1 ? ICH9_PIRQ_GSI_BASE + (pin) : \
	(slot) == ICH9_UNSWIZZLED_SLOT ? ICH9_PIRQ_GSI_BASE + 4 + (pin) : ICH9_PIRQ_GSI_BASE + 4 + (((slot) + (pin)) & 3))

/* MPS 1.4 §4.3.2 bus entry: ID and a 6-character type. */
#define BUS_ENTRY(id, a, b, c) { ENTRY_BUS, (id), a, b, c, ' ', ' ', ' ' },
/* §4.3.3 I/O APIC entry: ID, version, EN (usable), address 0xFEC00000 little-endian. */
#define IO_APIC_ENTRY { ENTRY_IO_APIC, IO_APIC_ID, IO_APIC_VERSION, 1, 0x00, 0x00, 0xC0, 0xFE },
_Static_assert(IO_APIC_ADDRESS == 0xFEC00000u, "IO_APIC_ENTRY spells out the address");
/* §4.3.4 I/O interrupt entry from PCI bus 0, level-triggered active high; §D.3: the source IRQ holds the device
 * in bits 2-6 and the pin in bits 0-1. */
#define PCI_SOURCE(gsi, source) \
	{ ENTRY_IO_INTERRUPT, INT_INT, LEVEL_ACTIVE_HIGH, 0, 0, (source), IO_APIC_ID, gsi((source) / PCI_PINS, (source) % PCI_PINS) },
#define PCI_SLOT(gsi, slot) PCI_SOURCE(gsi, 4 * (slot)) PCI_SOURCE(gsi, 4 * (slot) + 1) \
	PCI_SOURCE(gsi, 4 * (slot) + 2) PCI_SOURCE(gsi, 4 * (slot) + 3)
#define PCI_8_SLOTS(gsi, slot) PCI_SLOT(gsi, slot) PCI_SLOT(gsi, slot + 1) PCI_SLOT(gsi, slot + 2) \
	PCI_SLOT(gsi, slot + 3) PCI_SLOT(gsi, slot + 4) PCI_SLOT(gsi, slot + 5) PCI_SLOT(gsi, slot + 6) \
	PCI_SLOT(gsi, slot + 7)
#define PCI_SOURCES(gsi) PCI_8_SLOTS(gsi, 0) PCI_8_SLOTS(gsi, 8) PCI_8_SLOTS(gsi, 16) PCI_8_SLOTS(gsi, 24)
_Static_assert(PCI_SLOTS == 32 && PCI_PINS == 4, "PCI_SOURCES spells out 32 slots of 4 pins");
/* An ISA IRQ's entry: IRQ 2 is the cascade, and its pin carries IRQ 0. Flags 0: conforms to the bus (ISA: edge,
 * active high). Only IRQs no PCI link takes get one: on pc every PIRQ IRQ (the swizzle reaches all four) and
 * the SCI are level-triggered PCI interrupts; q35's links use GSIs 16-23. */
#define ISA_SOURCE(bus, irq) { ENTRY_IO_INTERRUPT, INT_INT, 0, 0, (bus), (irq), IO_APIC_ID, (irq) == 0 ? IRQ0_PIN : (irq) },
#define PC_ISA_SOURCES(X, bus) X(bus, 0) X(bus, 1) X(bus, 3) X(bus, 4) X(bus, 5) X(bus, 6) X(bus, 7) X(bus, 8) \
	X(bus, 12) X(bus, 13) X(bus, 14) X(bus, 15)
#define OTHER_ISA_SOURCES(X, bus) X(bus, 0) X(bus, 1) X(bus, 3) X(bus, 4) X(bus, 5) X(bus, 6) X(bus, 7) X(bus, 8) \
	X(bus, 9) X(bus, 10) X(bus, 11) X(bus, 12) X(bus, 13) X(bus, 14) X(bus, 15)
#define ISA_BIT(bus, irq) | 1u << (irq)
_Static_assert((0 PC_ISA_SOURCES(ISA_BIT, 0)) == (0xFFFFu & ~(1u << IRQ0_PIN | 1u << PIIX_SCI_IRQ |
		1u << PIRQA_IRQ | 1u << PIRQB_IRQ | 1u << PIRQC_IRQ | 1u << PIRQD_IRQ)),
	       "pc: every ISA IRQ but the cascade, the SCI and the PIRQs");
_Static_assert((0 OTHER_ISA_SOURCES(ISA_BIT, 0)) == (0xFFFFu & ~(1u << IRQ0_PIN)), "every ISA IRQ but the cascade");
/* §4.3.5 local interrupt entries: the 8259s on the BSP's LINT0 (CPU 0, whose APIC ID is 0 in every topology),
 * and NMI on every CPU's LINT1. */
#define LOCAL_ENTRIES(bus) { ENTRY_LOCAL_INTERRUPT, INT_EXTINT, 0, 0, (bus), 0, 0, 0 }, \
	{ ENTRY_LOCAL_INTERRUPT, INT_NMI, 0, 0, (bus), 0, 0xFF, 1 },

static const uint8_t pc_entries[][ENTRY_SIZE] = {
	BUS_ENTRY(0, 'P', 'C', 'I') BUS_ENTRY(1, 'I', 'S', 'A') IO_APIC_ENTRY PCI_SOURCES(PIIX_GSI)
	PC_ISA_SOURCES(ISA_SOURCE, 1) LOCAL_ENTRIES(1)
};
static const uint8_t q35_entries[][ENTRY_SIZE] = {
	BUS_ENTRY(0, 'P', 'C', 'I') BUS_ENTRY(1, 'I', 'S', 'A') IO_APIC_ENTRY PCI_SOURCES(ICH9_GSI)
	OTHER_ISA_SOURCES(ISA_SOURCE, 1) LOCAL_ENTRIES(1)
};
static const uint8_t no_pci_entries[][ENTRY_SIZE] = {
	BUS_ENTRY(0, 'I', 'S', 'A') IO_APIC_ENTRY OTHER_ISA_SOURCES(ISA_SOURCE, 0) LOCAL_ENTRIES(0)
};
static const struct {
	const uint8_t (*entries)[ENTRY_SIZE];
	uint32_t count;
} chipset_entries[] = {
	[MPTABLE_PC] = { pc_entries, sizeof(pc_entries) / ENTRY_SIZE },
	[MPTABLE_Q35] = { q35_entries, sizeof(q35_entries) / ENTRY_SIZE },
	[MPTABLE_NO_PCI] = { no_pci_entries, sizeof(no_pci_entries) / ENTRY_SIZE },
};

/* The entry counts a table needs, worked out once for mptable_size and mptable_build. */
struct layout {
	uint32_t last_id;	/* the last present CPU's APIC ID (0 without CPUs), for the count and the log */
	uint32_t processors;
	uint32_t entries;
	uint32_t size;
};

static void plan(const struct mptable_config *c, struct layout *l)
{
	l->last_id = c->nb_cpus ? mptable_apic_id(&c->topology, c->nb_cpus - 1) : 0;
	l->processors = processor_count(c, l->last_id);
	l->entries = l->processors + chipset_entries[c->machine].count;
	l->size = FLOATING_SIZE + HEADER_SIZE + l->processors * PROCESSOR_SIZE +
		  chipset_entries[c->machine].count * ENTRY_SIZE;
}

uint32_t mptable_size(const struct mptable_config *c)
{
	struct layout l;
	plan(c, &l);
	return l.size;
}

/* §4.3.1 processor entries for CPUs 0..count-1, whole; returns the end. mptable_apic_id's fields are counted up
 * CPU by CPU instead of divided out of each index (without a topology every count is one: IDs are indexes). Not
 * inlined: on its own the loop keeps its counters in registers, some forty instructions a CPU fewer under TCG. */
static __attribute__((noinline)) uint8_t *write_processors(uint8_t *p, const struct cpu_topology *t, uint32_t count)
{
	/* Copied: stores through p may alias *t, so the compiler would read each field again every CPU. */
	const uint32_t threads = t->threads, cores = t->cores, dies = t->dies;
	const uint32_t core_step = 1u << t->core_offset, die_step = 1u << t->die_offset;
	const uint8_t package_offset = t->package_offset;
	uint32_t thread = 0, core = 0, die = 0, package = 0, base = 0, die_base = 0;
	uint32_t flags = (uint32_t)(CPU_ENABLED | CPU_BOOTSTRAP) << 24;	/* CPU 0 is the bootstrap processor */

	for (uint32_t i = 0; i < count; i++) {
		uint32_t id = base | thread;
		fw_store_le(p, ENTRY_PROCESSOR | id << 8 | LOCAL_APIC_VERSION << 16 | flags, 4);
		fw_store_le(p + 4, CPU_SIGNATURE, 4);
		fw_store_le(p + 8, CPU_FEATURES, 4);
		fw_store_le(p + 12, 0, 4);	/* the feature flags are followed by 8 reserved bytes */
		fw_store_le(p + 16, 0, 4);
		p += PROCESSOR_SIZE;
		flags = (uint32_t)CPU_ENABLED << 24;
		if (++thread < threads)
			continue;
		thread = 0;
		base += core_step;
		if (++core < cores)
			continue;
		core = 0;
		base = die_base += die_step;
		if (++die < dies)
			continue;
		die = 0;
		base = die_base = ++package << package_offset;
	}
	return p;
}

static int build_planned(const struct mptable_config *c, const struct layout *l, void *dst, uint32_t address)
{
	uint8_t *floating = dst, *config = floating + FLOATING_SIZE, *p = config + HEADER_SIZE;
	uint32_t size = l->size, length = size - FLOATING_SIZE;

	if (fw_one_test((address % 16 != 0) | (length > 0xFFFF)))
		return -1;
	/* Every processor entry is written whole, reserved bytes included: only the rest needs zeros. */
	fw_memset(dst, 0, FLOATING_SIZE + HEADER_SIZE);
	p = write_processors(p, &c->topology, l->processors);
	fw_memcpy(p, chipset_entries[c->machine].entries, chipset_entries[c->machine].count * ENTRY_SIZE);

	fw_memcpy(config, "PCMP", 4);
	fw_store_le(config + 4, length, 2);
	config[6] = SPEC_REV;
	fw_memcpy(config + 8, c->oem_id, 6);
	fw_memcpy(config + 14, "  ", 2);
	/* Three dword stores: as one 12-byte copy GCC emits rep movsl, two more translation blocks under TCG. */
	fw_memcpy(config + 16, "QBOO", 4);
	fw_memcpy(config + 20, "T-TA", 4);
	fw_memcpy(config + 24, "BLES", 4);
	fw_store_le(config + 34, l->entries, 2);
	fw_store_le(config + 36, LOCAL_APIC_ADDRESS, 4);
	config[7] = (uint8_t)-fw_sum8(config, length);

	fw_store_le(floating, fw_unfolded(0x5F504D5Fu), 4);	/* "_MP_" */
	fw_store_le(floating + 4, address + FLOATING_SIZE, 4);
	floating[8] = 1;	/* length in paragraphs */
	floating[9] = SPEC_REV;
	floating[10] = (uint8_t)-fw_sum8(floating, FLOATING_SIZE);
	return 0;
}

int mptable_build(const struct mptable_config *c, void *dst, uint32_t address)
{
	struct layout l;
	plan(c, &l);
	return build_planned(c, &l, dst, address);
}

int mptable_place(const struct loader_env *env, const struct mptable_config *c)
{
	struct layout l;
	plan(c, &l);	/* once, for both the allocation and the table */
	uint8_t *table = ENV_ALLOC(env, "mptable", l.size, 16, LOADER_ZONE_FSEG);
	uint64_t address;
	char line[120], *p = line, *end = line + sizeof(line) - 1;

	if (!table)
		return -1;
	address = loader_address(env, table);
	if (build_planned(c, &l, table, (uint32_t)address))
		return -1;
	if (env->log) {
		uint32_t last = l.last_id;
		p = fw_put_str(p, end, "mptable: at ");
		p = fw_put_hex(p, end, address);
		p = fw_put_str(p, end, " cpus ");
		p = fw_put_dec(p, end, c->nb_cpus);
		p = fw_put_str(p, end, " last APIC ID ");
		p = fw_put_dec(p, end, last);
		if (!c->topology.source)
			p = fw_put_str(p, end, " (IDs are indexes: no CPUID topology read)");
		/* fw_cfg MAX_CPUS is the APIC ID limit: a present CPU above it means the topology was misread. */
		if (c->apic_id_limit && last >= c->apic_id_limit)
			p = fw_put_str(p, end, " ABOVE the APIC ID limit");
		*p = 0;
		env->log(env->ctx, line);
	}
	return 0;
}

#ifndef FIRMWARE_HOST
#include "fw_cfg.h"

#define PCI_DEVICE_ID 0x02
#define Q35_MCH_DEVICE_ID 0x29C0	/* QEMU hw/pci-host/q35.c; i440FX is 1237h */

static void native_cpuid(uint32_t leaf, uint32_t subleaf, uint32_t r[4])
{
	__asm__ volatile("cpuid" : "=a"(r[0]), "=b"(r[1]), "=c"(r[2]), "=d"(r[3]) : "a"(leaf), "c"(subleaf));
}

int mptable_setup(const struct loader_env *env)
{
	struct mptable_config c;
	const struct fw_file *rsdp = ENV_FIND(env, "etc/acpi/rsdp");
	uint8_t head[15];

	/* Every field is set below, so c is not cleared first (a memset call is more blocks for TCG). */
	uint16_t host = pci_read16(PCI_BDF(0, 0, 0), PCI_DEVICE_ID);
	/* All ones: no host bridge answers (microvm), so only the ISA bus (chipset.c CHIPSET_NONE). */
	c.machine = host == Q35_MCH_DEVICE_ID ? MPTABLE_Q35 : host == 0xFFFF ? MPTABLE_NO_PCI : MPTABLE_PC;
	c.nb_cpus = fw_cfg_read32(FW_CFG_NB_CPUS) & 0xFFFF;	/* 16-bit items */
	c.apic_id_limit = fw_cfg_read32(FW_CFG_MAX_CPUS) & 0xFFFF;
	/* The APIC IDs grow with the CPU index and stay below the limit, the last possible CPU's ID plus one
	 * (hw/i386/x86.c x86_cpus_init): when the limit is the present count, CPU i has ID i whatever the
	 * topology, and CPUID need not be read (-smp N without maxcpus or gaps, the common case). The zeroed
	 * topology says exactly that (source 0: IDs are indexes). */
	if (c.apic_id_limit != c.nb_cpus)
		mptable_topology_from_cpuid(native_cpuid, c.apic_id_limit, &c.topology);
	else
		c.topology = (struct cpu_topology){ .threads = 1, .cores = 1, .dies = 1 };
	/* The OEM ID QEMU put in the RSDP (ACPI 6.5 §5.2.5.3, offset 9), so -machine x-oem-id shows here too. */
	if (rsdp && rsdp->size >= sizeof(head) && !ENV_READ(env, rsdp, head, sizeof(head)))
		fw_memcpy(c.oem_id, head + 9, 6);
	else
		fw_memcpy(c.oem_id, "BOCHS ", 6);
	c.nb_cpus += c.nb_cpus == 0;	/* at least the CPU running this */
	return mptable_place(env, &c);
}
#endif
