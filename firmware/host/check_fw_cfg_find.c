/* fw_cfg_find.S against the C it replaced (kept here as the reference), on the host in 32-bit mode: random
 * directories of names that share prefixes and last characters, looked up by names in and out of them, each
 * result and each converted entry compared. Run by `make check-fw-cfg-find`. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define LOADER_NAME_SIZE 56
struct fw_file {
	uint32_t size;
	uint16_t select;
	uint16_t reserved;
	char name[LOADER_NAME_SIZE];
};

/* What fw_cfg_find.S reads (fw_cfg.c). */
struct fw_file *fw_cfg_directory;
uint32_t fw_cfg_directory_count;
const struct fw_file *fw_cfg_find_n(const char *name, uint32_t n) __attribute__((regparm(3)));

static struct fw_file *ref_directory;
static uint32_t ref_count;

static const struct fw_file *ref_find_n(const char *name, uint32_t n)
{
	if (n == 0 || n >= LOADER_NAME_SIZE || ref_count == 0)
		return 0;
	for (uint32_t i = 0; i < ref_count; i++) {
		struct fw_file *f = &ref_directory[i];
		if (f->name[n - 1] != name[n - 1] || f->name[n] != 0 || memcmp(f->name, name, n))
			continue;
		if (!f->reserved) {
			f->size = __builtin_bswap32(f->size);
			f->select = __builtin_bswap16(f->select);
		}
		f->reserved = 1;
		return f;
	}
	return 0;
}

static const char *const parts[] = {"etc/", "acpi/", "tables", "rsdp", "e820", "2", "a", "", "smbios/", "x"};

static void random_name(char *out, uint32_t room)
{
	uint32_t len = 0;
	out[0] = 0;
	for (int k = rand() % 5; k >= 0; k--) {
		const char *p = parts[rand() % (sizeof(parts) / sizeof(parts[0]))];
		while (*p && len + 1 < room)
			out[len++] = *p++;
	}
	if (rand() % 20 == 0)	/* the longest names, to the field's end */
		while (len + 1 < room)
			out[len++] = (char)('a' + rand() % 3);
	out[len] = 0;
}

int main(void)
{
	static struct fw_file mine[64], ref[64];
	long lookups = 0, found = 0;
	srand(1);
	for (int round = 0; round < 20000; round++) {
		uint32_t count = (uint32_t)(rand() % 12);
		for (uint32_t i = 0; i < count; i++) {
			struct fw_file *f = &mine[i];
			memset(f, rand() % 2 ? 0 : 0x55, sizeof(*f));	/* bytes after the NUL: zeros or not */
			random_name(f->name, LOADER_NAME_SIZE);
			if (!f->name[0])
				f->name[0] = 'z';
			f->size = (uint32_t)rand() ^ (uint32_t)rand() << 16;
			f->select = (uint16_t)rand();
			f->reserved = rand() % 8 == 0;
			ref[i] = *f;
		}
		fw_cfg_directory = mine;
		fw_cfg_directory_count = count;
		ref_directory = ref;
		ref_count = count;
		for (int k = 0; k < 20; k++) {
			char name[LOADER_NAME_SIZE + 8];
			uint32_t n;
			if (count && rand() % 2) {
				strcpy(name, mine[rand() % count].name);
			} else {
				random_name(name, sizeof(name));
			}
			n = (uint32_t)strlen(name);
			if (rand() % 10 == 0)
				n = (uint32_t)(rand() % 60);	/* any length, the name's NUL or not */
			const struct fw_file *a = fw_cfg_find_n(name, n), *b = ref_find_n(name, n);
			lookups++;
			found += b != 0;
			if ((a ? a - mine : -1) != (b ? b - ref : -1) || memcmp(mine, ref, sizeof(mine))) {
				printf("differs for \"%s\" (n %u): entry %ld, the reference %ld\n", name, n,
				       (long)(a ? a - mine : -1), (long)(b ? b - ref : -1));
				return 1;
			}
		}
	}
	printf("fw_cfg_find.S equals the C reference in %ld lookups (%ld found)\n", lookups, found);
	return 0;
}
