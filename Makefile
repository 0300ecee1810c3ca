# qboot-tables: the two commands a new machine needs are `make run` and `make test`.
PY := .venv/bin/python
RUN_DIR := .cache/run/q35-smp4
RUN_ARGS := -M q35 -smp 4
FALLBACK := fixtures/qemu-7.2/q35-smp4

.PHONY: deps run test test-fast guest-assets fixtures goldens bench clean

deps:
	@tools/install-deps

# Capture `-M q35 -smp 4` from the installed QEMU and dump it; without QEMU, dump the bundled fixture.
run: deps
	@if command -v qemu-system-x86_64 >/dev/null 2>&1; then \
		$(PY) -m qboot_tables capture --out $(RUN_DIR) -- $(RUN_ARGS) && \
		$(PY) -m qboot_tables dump $(RUN_DIR); \
	else \
		echo "run: no qemu-system-x86_64, dumping the bundled fixture $(FALLBACK)"; \
		$(PY) -m qboot_tables dump $(FALLBACK); \
	fi

guest-assets:
	@tools/fetch-guest-assets

test: deps guest-assets
	$(PY) -m pytest -q

# Everything except the Linux guest boots.
test-fast: deps
	$(PY) -m pytest -q -m "not guest"

# Explicit regeneration only: fixtures from QEMU 7.2, goldens from the fixtures.
fixtures: deps
	$(PY) tools/capture-fixtures

goldens: deps
	$(PY) tools/regen-goldens

bench: deps
	$(PY) tools/bench

clean:
	rm -rf .cache/run build *.egg-info
