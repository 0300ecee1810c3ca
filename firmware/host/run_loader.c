/* Host harness: runs loader.c (and smbios.c) over fw_cfg files from a capture directory or stdin, prints the image. */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "host_env.h"
#include "smbios.h"

static const char usage[] =
	"usage: run_loader [--place NAME=ADDR]... [--ram-top ADDR] [--smbios] [--smbios-type0] [--no-mem] DIR|-\n"
	"  DIR: a capture directory (fw_cfg.json and one raw file per fw_cfg name)\n"
	"  - : records on stdin, each a line \"file SIZE NAME\" (a fw_cfg file) or \"item SIZE SELECTOR\" (an item\n"
	"      at a fixed selector, in hex: FW_CFG_SMBIOS_ENTRIES, CPU counts, RAM size) then SIZE raw bytes\n"
	"Prints tab-separated lines: log, status, alloc, write, mem, smbios, legacy.\n";

static void print_log(struct host *h, const char *message)
{
	(void)h;
	printf("log\t%s\n", message);
}

static int read_all(FILE *f, uint8_t **data, size_t *size)
{
	size_t cap = 1 << 16, n = 0, got;
	uint8_t *buf = malloc(cap);
	while ((got = fread(buf + n, 1, cap - n, f)) > 0) {
		n += got;
		if (n == cap)
			buf = realloc(buf, cap *= 2);
	}
	if (ferror(f)) {
		free(buf);
		return -1;
	}
	*data = buf;
	*size = n;
	return 0;
}

static int add_file_from_path(struct host *h, const char *dir, const char *name)
{
	char path[4096];
	uint8_t *data;
	size_t size;
	FILE *f;
	int rc;
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "rb");
	if (!f) {
		fprintf(stderr, "run_loader: %s: %s\n", path, strerror(errno));
		return -1;
	}
	rc = read_all(f, &data, &size);
	fclose(f);
	if (rc || size > UINT32_MAX) {
		fprintf(stderr, "run_loader: %s: unreadable\n", path);
		return -1;
	}
	rc = host_add_file(h, name, data, (uint32_t)size);
	free(data);
	if (rc)
		fprintf(stderr, "run_loader: fw_cfg name too long for a directory entry: %s\n", name);
	return rc;
}

/* The capture index is JSON; we need only the "name" strings of the entries of its top-level "files" array. */
static int read_capture(struct host *h, const char *dir)
{
	char path[4096], key[256] = "", str[256];
	uint8_t *json;
	size_t size, i, len;
	int depth = 0, in_files = 0, files_depth = 0, want_value = 0, rc = 0;
	FILE *f;

	snprintf(path, sizeof(path), "%s/fw_cfg.json", dir);
	f = fopen(path, "rb");
	if (!f || read_all(f, &json, &size)) {
		fprintf(stderr, "run_loader: %s: %s\n", path, strerror(errno));
		if (f)
			fclose(f);
		return -1;
	}
	fclose(f);
	for (i = 0; i < size && !rc; i++) {
		char c = (char)json[i];
		if (c == '"') {
			for (len = 0, i++; i < size && json[i] != '"'; i++) {
				if (json[i] == '\\' && i + 1 < size)
					i++;	/* names are plain ASCII paths: keep the escaped character itself */
				if (len < sizeof(str) - 1)
					str[len++] = (char)json[i];
			}
			str[len] = 0;
			if (want_value) {
				if (in_files && depth == files_depth + 1 && !strcmp(key, "name"))
					rc = add_file_from_path(h, dir, str);
				want_value = 0;
			} else {
				strcpy(key, str);
			}
		} else if (c == ':') {
			want_value = 1;
		} else if (c == ',') {
			want_value = 0;
		} else if (c == '{' || c == '[') {
			if (c == '[' && depth == 1 && want_value && !strcmp(key, "files")) {
				in_files = 1;
				files_depth = depth + 1;
			}
			depth++;
			want_value = 0;
		} else if (c == '}' || c == ']') {
			depth--;
			if (in_files && depth < files_depth)
				in_files = 0;
		} else if (c != ' ' && c != '\n' && c != '\t' && c != '\r') {
			want_value = 0;	/* a number, true, false or null */
		}
	}
	free(json);
	return rc;
}

static int read_stdin_records(struct host *h)
{
	char line[512], name[LOADER_NAME_SIZE + 1];
	unsigned long size;
	unsigned select;
	uint8_t *data;
	while (fgets(line, sizeof(line), stdin)) {
		int at = 0;
		line[strcspn(line, "\n")] = 0;
		if (sscanf(line, "item %lu %x", &size, &select) == 2 && select <= 0xFFFF && size <= UINT32_MAX) {
			data = malloc(size ? size : 1);
			if (fread(data, 1, size, stdin) != size) {
				fprintf(stderr, "run_loader: item %#x: short data\n", select);
				free(data);
				return -1;
			}
			host_add_item(h, (uint16_t)select, data, (uint32_t)size);
			free(data);
			continue;
		}
		if (sscanf(line, "file %lu %n", &size, &at) != 1 || !at || strlen(line + at) > LOADER_NAME_SIZE - 1 ||
		    size > UINT32_MAX) {
			fprintf(stderr, "run_loader: bad record header: %.80s\n", line);
			return -1;
		}
		strcpy(name, line + at);
		data = malloc(size ? size : 1);
		if (fread(data, 1, size, stdin) != size) {
			fprintf(stderr, "run_loader: %s: short data\n", name);
			free(data);
			return -1;
		}
		host_add_file(h, name, data, (uint32_t)size);
		free(data);
	}
	return 0;
}

static void print_hex(const uint8_t *p, size_t n)
{
	static const char digits[] = "0123456789abcdef";
	for (size_t i = 0; i < n; i++) {
		putchar(digits[p[i] >> 4]);
		putchar(digits[p[i] & 15]);
	}
}

int main(int argc, char **argv)
{
	struct host h;
	struct loader_env env;
	struct loader_failure failure = { -1, "" };
	const struct host_file *script;
	int smbios = 0, type0 = 0, mem = 1, rc, i;
	const char *input = NULL;

	host_init(&h);
	h.log = print_log;
	for (i = 1; i < argc; i++) {
		char *eq;
		if (!strcmp(argv[i], "--place") && i + 1 < argc && (eq = strrchr(argv[i + 1], '='))) {
			*eq = 0;
			if (host_add_placement(&h, argv[i + 1], strtoull(eq + 1, NULL, 0)))
				goto bad_usage;
			i++;
		} else if (!strcmp(argv[i], "--ram-top") && i + 1 < argc) {
			h.ram_top = strtoull(argv[++i], NULL, 0);
		} else if (!strcmp(argv[i], "--smbios")) {
			smbios = 1;
		} else if (!strcmp(argv[i], "--smbios-type0")) {
			smbios = type0 = 1;
		} else if (!strcmp(argv[i], "--no-mem")) {
			mem = 0;
		} else if (!input && (argv[i][0] != '-' || !strcmp(argv[i], "-"))) {
			input = argv[i];
		} else {
			goto bad_usage;
		}
	}
	if (!input)
		goto bad_usage;
	if (!strcmp(input, "-") ? read_stdin_records(&h) : read_capture(&h, input))
		return 2;

	host_loader_env(&h, &env);
	script = host_file(&h, "etc/table-loader");
	rc = script ? run_table_loader_ex(&env, script->data, script->entry.size, &failure) : 0;
	if (rc)
		printf("status\terror\t%d\t%d\t%s\t%s\n", -rc, failure.index, failure.field, loader_error_name(rc));
	else
		printf("status\tok\n");
	/* As the firmware: SMBIOS goes in after a loader that succeeded (or had no script). */
	if (!rc && smbios) {
		struct smbios_legacy_input in;
		int status = -smbios_setup(&env, type0);
		printf("smbios\t%d\n", status);
		/* As main.c: the legacy entries only when QEMU gave no etc/smbios files. */
		if (status == SMBIOS_E_ABSENT && !host_legacy_input(&h, &in))
			printf("legacy\t%d\n", -smbios_legacy_setup(&env, &in));
	}
	for (size_t r = 0; r < h.nregions; r++)
		printf("alloc\t%#llx\t%u\t%d\t%s\n", (unsigned long long)h.regions[r].address, h.regions[r].size,
		       h.regions[r].zone, h.regions[r].name);
	for (size_t w = 0; w < h.nwrites; w++) {
		printf("write\t%u\t", h.writes[w].offset);
		print_hex(h.writes[w].data, h.writes[w].len);
		printf("\t%s\n", h.files[h.writes[w].file].entry.name);
	}
	for (size_t r = 0; mem && r < h.nregions; r++) {
		printf("mem\t%s\t", h.regions[r].name);
		print_hex(h.regions[r].buf, h.regions[r].size);
		putchar('\n');
	}
	host_free(&h);
	return 0;

bad_usage:
	fputs(usage, stderr);
	host_free(&h);
	return 2;
}
