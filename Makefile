# UKPBJ Kemendagri — the two commands: `make run` and `make test`.
# Both create .venv and install exactly what requirements.lock pins (only Python 3.11, make and bash needed).
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
ROLE   ?= verifikator

.PHONY: install run test token seed backup restore bench clean

$(STAMP): requirements.lock pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check --no-deps -r requirements.lock
	$(BIN)/pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e .
	touch $(STAMP)

install: $(STAMP)

## Jalankan seluruh sistem / run the whole system (Ctrl-C to stop)
run: install
	$(BIN)/ukpbj dev

## Jalankan semua pengujian / run the whole test suite
test: install
	bash scripts/system-deps.sh
	$(BIN)/python -m pytest

## Cetak token pengembangan / print a development token: make token ROLE=verifikator
token: install
	@$(BIN)/ukpbj token --role $(ROLE) $(if $(SUB),--sub $(SUB)) $(if $(NIP),--nip $(NIP))

## Isi data demo ke sistem yang berjalan / fill demo data into the running system
seed: install
	$(BIN)/ukpbj seed

## Cadangkan semua basis data dan dokumen / back up everything (while `make run` is running)
backup: install
	$(BIN)/ukpbj backup

## Pulihkan / restore: make restore ARSIP=cadangan/ukpbj-backup-....tar
restore: install
	$(BIN)/ukpbj restore $(ARSIP)

## Ukur kinerja / benchmarks vs baselines (writes docs/PERFORMANCE.md; ~35 min; QUICK=1 for a short run)
bench: install
	bash scripts/system-deps.sh
	$(BIN)/python -m bench.run $(if $(QUICK),--quick)

clean:
	rm -rf $(VENV)
