/* The Intel MP table (MPS 1.4) with the CPUs' real APIC IDs, for guests that boot with ACPI off. */
#ifndef MPTABLE_H
#define MPTABLE_H

#include "loader.h"	/* struct loader_env: alloc and log hooks */

/* How CPU indexes map to APIC IDs: QEMU include/hw/i386/topology.h gives each level a bit field, threads
 * lowest. Learnt from CPUID on the BSP, leaf 1Fh, 0Bh or 1 and 4 (see mptable_topology_from_cpuid). */
struct cpu_topology {
	uint32_t threads;	/* per core */
	uint32_t cores;		/* per die */
	uint32_t dies;		/* per package */
	uint8_t core_offset;	/* bits below the core field */
	uint8_t die_offset;	/* bits below the die field */
	uint8_t package_offset;	/* bits below the package field */
	uint8_t source;		/* the leaf read: 1Fh, 0Bh, 1 (with 4); 0: CPUID said nothing, APIC IDs are indexes */
};

enum mptable_machine { MPTABLE_PC, MPTABLE_Q35, MPTABLE_NO_PCI };

struct mptable_config {
	enum mptable_machine machine;
	uint32_t nb_cpus;		/* fw_cfg NB_CPUS: CPUs 0..nb_cpus-1 are present */
	uint32_t apic_id_limit;		/* fw_cfg MAX_CPUS on x86: highest possible APIC ID + 1; 0 when unknown */
	struct cpu_topology topology;
	uint8_t oem_id[6];		/* the ACPI OEM ID (RSDP bytes 9-14), "BOCHS " without ACPI tables */
};

/* cpuid(leaf, subleaf, {eax, ebx, ecx, edx}) */
typedef void (*cpuid_fn)(uint32_t leaf, uint32_t subleaf, uint32_t regs[4]);

/* apic_id_limit: fw_cfg MAX_CPUS, which gives the die count where only leaf 0Bh describes the topology. */
void mptable_topology_from_cpuid(cpuid_fn cpuid, uint32_t apic_id_limit, struct cpu_topology *topology);
uint32_t mptable_apic_id(const struct cpu_topology *topology, uint32_t index);
/* Bytes the floating pointer and configuration table take together. */
uint32_t mptable_size(const struct mptable_config *config);
/* Build both into dst (mptable_size bytes) for placement at the 16-byte aligned address. 0 or -1. */
int mptable_build(const struct mptable_config *config, void *dst, uint32_t address);
/* Allocate in the F-segment through env->alloc (named "mptable"), build, and log where. 0 or -1. */
int mptable_place(const struct loader_env *env, const struct mptable_config *config);

#ifndef FIRMWARE_HOST
/* The firmware's entry: the config from fw_cfg (NB_CPUS, MAX_CPUS, etc/acpi/rsdp), the host bridge and
 * CPUID on this CPU, then mptable_place. */
int mptable_setup(const struct loader_env *env);
#endif

#endif
