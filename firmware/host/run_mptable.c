/* Host harness: builds the firmware's MP table from given CPUID answers and fw_cfg values, prints it in hex. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "host_env.h"
#include "mptable.h"

static const char usage[] =
	"usage: run_mptable --machine pc|q35|none --cpus N [--apic-id-limit N] [--oem-id TEXT]\n"
	"                   [--cpuid LEAF.SUBLEAF=EAX,EBX,ECX,EDX]... [--address ADDR]\n"
	"Without --address the table goes where the loader's F-segment allocator puts it.\n"
	"Prints tab-separated lines: topology, apic (index, APIC ID), log, alloc, table (address, hex).\n";

#define MAX_LEAVES 32
static struct {
	uint32_t leaf, subleaf, regs[4];
} leaves[MAX_LEAVES];
static int nleaves;

/* CPUID as recorded: unlisted leaves read as zeros, as QEMU answers a leaf it does not implement. */
static void canned_cpuid(uint32_t leaf, uint32_t subleaf, uint32_t regs[4])
{
	memset(regs, 0, 4 * sizeof(regs[0]));
	for (int i = 0; i < nleaves; i++)
		if (leaves[i].leaf == leaf && leaves[i].subleaf == subleaf)
			memcpy(regs, leaves[i].regs, sizeof(leaves[i].regs));
}

static void print_log(struct host *h, const char *message)
{
	(void)h;
	printf("log\t%s\n", message);
}

int main(int argc, char **argv)
{
	struct mptable_config c;
	struct host h;
	struct loader_env env;
	long long address = -1;
	int machine_given = 0;

	memset(&c, 0, sizeof(c));
	memcpy(c.oem_id, "BOCHS ", 6);
	for (int i = 1; i < argc; i++) {
		const char *value = i + 1 < argc ? argv[i + 1] : NULL;
		if (!value)
			goto bad_usage;
		if (!strcmp(argv[i], "--machine")) {
			machine_given = 1;
			if (!strcmp(value, "pc"))
				c.machine = MPTABLE_PC;
			else if (!strcmp(value, "q35"))
				c.machine = MPTABLE_Q35;
			else if (!strcmp(value, "none"))
				c.machine = MPTABLE_NO_PCI;
			else
				goto bad_usage;
		} else if (!strcmp(argv[i], "--cpus")) {
			c.nb_cpus = (uint32_t)strtoul(value, NULL, 0);
		} else if (!strcmp(argv[i], "--apic-id-limit")) {
			c.apic_id_limit = (uint32_t)strtoul(value, NULL, 0);
		} else if (!strcmp(argv[i], "--oem-id")) {
			/* Six bytes, NUL-padded as QEMU pads -machine x-oem-id. */
			memset(c.oem_id, 0, 6);
			memcpy(c.oem_id, value, strnlen(value, 6));
		} else if (!strcmp(argv[i], "--address")) {
			address = strtoll(value, NULL, 0);
		} else if (!strcmp(argv[i], "--cpuid") && nleaves < MAX_LEAVES) {
			unsigned leaf, subleaf, a, b, cx, d;
			if (sscanf(value, "%x.%x=%x,%x,%x,%x", &leaf, &subleaf, &a, &b, &cx, &d) != 6)
				goto bad_usage;
			leaves[nleaves].leaf = leaf;
			leaves[nleaves].subleaf = subleaf;
			leaves[nleaves].regs[0] = a;
			leaves[nleaves].regs[1] = b;
			leaves[nleaves].regs[2] = cx;
			leaves[nleaves].regs[3] = d;
			nleaves++;
		} else {
			goto bad_usage;
		}
		i++;
	}
	if (!machine_given || !c.nb_cpus)
		goto bad_usage;

	mptable_topology_from_cpuid(canned_cpuid, c.apic_id_limit, &c.topology);
	/* Known or not first; then threads, cores, dies, the three offsets and the CPUID leaf they came from. */
	printf("topology\t%d\t%u\t%u\t%u\t%u\t%u\t%u\t%#x\n", c.topology.source != 0, c.topology.threads,
	       c.topology.cores, c.topology.dies, c.topology.core_offset, c.topology.die_offset,
	       c.topology.package_offset, c.topology.source);
	for (uint32_t i = 0; i < c.nb_cpus; i++)
		printf("apic\t%u\t%u\n", i, mptable_apic_id(&c.topology, i));

	host_init(&h);
	h.log = print_log;
	if (address >= 0)
		host_add_placement(&h, "mptable", (uint64_t)address);
	host_loader_env(&h, &env);
	if (mptable_place(&env, &c)) {
		printf("status\terror\n");
		host_free(&h);
		return 0;
	}
	printf("alloc\t%#llx\t%u\n", (unsigned long long)h.regions[0].address, h.regions[0].size);
	printf("table\t%#llx\t", (unsigned long long)h.regions[0].address);
	for (uint32_t i = 0; i < h.regions[0].size; i++)
		printf("%02x", h.regions[0].buf[i]);
	printf("\nstatus\tok\n");
	host_free(&h);
	return 0;

bad_usage:
	fputs(usage, stderr);
	return 2;
}
