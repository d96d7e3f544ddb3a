# Staffroom: the README's two commands, `make run` and `make test`, do all the set-up.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell sha256sum pyproject.toml | cut -c1-12)
FLASK := $(BIN)/flask --app app
PO := portal/translations/zh_Hans/LC_MESSAGES/messages.po
MO := $(PO:.po=.mo)
PG_URL ?= postgresql://postgres@127.0.0.1:5432/test
# `make run` serves on this machine only; `HOST=0.0.0.0 make run` serves tablets and the
# staff-room PC on the same network too (the development server: for trying it out).
HOST ?= 127.0.0.1
PORT ?= 5000
# The load benchmark's own PostgreSQL database (its schema is dropped at every run).
BENCH_PG_URL ?= postgresql://postgres@127.0.0.1:5432/staffroom_bench
# The addresses to open: this machine's LAN addresses when serving on all of them.
define PRINT_ADDRESSES
case "$(HOST)" in \
  127.*|localhost|::1) echo "Open http://$(HOST):$(PORT)/ on this machine.";; \
  0.0.0.0|::) echo "Open from a tablet or the staff-room PC on the same network:"; \
    for ip in $$(hostname -I 2>/dev/null); do \
      case "$$ip:$(HOST)" in \
        *:*:::) echo "  http://[$$ip]:$(PORT)/";; *:*:*) ;; *) echo "  http://$$ip:$(PORT)/";; \
      esac; \
    done; echo "  (and http://127.0.0.1:$(PORT)/ on this machine)";; \
  *) echo "Open http://$(HOST):$(PORT)/ from this network.";; \
esac
endef
# System packages: WeasyPrint's fast font subsetter and the CJK fonts (documents), Chromium (tests),
# and for the production set-up's test (tests/test_deploy.py) Redis and systemd-analyze.
RUN_DEBS := fonts-noto-cjk fonts-noto-color-emoji libharfbuzz-subset0 libpango-1.0-0 libpangoft2-1.0-0
TEST_DEBS := $(RUN_DEBS) chromium redis-server systemd
BENCH_DEBS := $(RUN_DEBS) wrk

.PHONY: run test test-pg lint format translations translations-update system-deps-run \
        system-deps-test system-deps-bench setup bench bench-load bench-compliance bench-attendance bench-rollcall bench-cleaning bench-board bench-issues clean

run: system-deps-run setup
	$(FLASK) db upgrade
	$(FLASK) seed-demo
	@$(FLASK) demo-accounts
	@$(PRINT_ADDRESSES)
	$(FLASK) run --host $(HOST) --port $(PORT)

# pytest's exit status 5 means "no tests collected": said plainly, not hidden as a failure.
PYTEST_OK = s=$$?; if [ $$s -eq 5 ]; then echo "pytest collected no tests"; exit 0; fi; exit $$s

test: system-deps-test setup lint
	$(BIN)/pytest; $(PYTEST_OK)

# The database tests again on PostgreSQL (the browser tests ran once already, on SQLite).
test-pg: setup
	PORTAL_TEST_DATABASE_URL=$(PG_URL) $(BIN)/pytest -m "not browser"; $(PYTEST_OK)

lint: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/hadolint Dockerfile

format: setup
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

setup: $(STAMP)

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || \
		{ echo "Python 3.11 or newer is needed (PYTHON=$(PYTHON))"; exit 1; }
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	rm -f $(VENV)/.installed-*
	touch $@

# The install (setup.py) compiles the catalogues, and so does the app at start for a .po newer
# than its .mo; `make translations` compiles them now.
$(MO): $(PO) | $(STAMP)
	$(BIN)/pybabel compile -d portal/translations

translations: $(MO)

# After changing user-facing text: extract, merge, then translate what
# tools/untranslated.py lists (the test suite fails on anything left).
translations-update: setup
	$(BIN)/pybabel extract -F babel.cfg -k _l -k lazy_gettext -o portal/translations/messages.pot .
	$(BIN)/pybabel update -i portal/translations/messages.pot -d portal/translations \
		--no-fuzzy-matching --ignore-obsolete
	$(BIN)/python tools/untranslated.py

system-deps-run:
	@bash tools/system-deps.sh $(RUN_DEBS)

system-deps-test:
	@bash tools/system-deps.sh $(TEST_DEBS)

bench: setup system-deps-run
	$(BIN)/python bench/run.py

# Every page and htmx fragment under gunicorn and wrk, against bare-bones anchors, on SQLite and
# PostgreSQL (BENCH_PG_URL); writes bench/REPORT.md. ARGS="--quick", "--db sqlite", "--large".
bench-load: setup system-deps-bench
	BENCH_PG_URL=$(BENCH_PG_URL) $(BIN)/python bench/load.py $(ARGS)

# The training compliance matrix, 500 people x 20 programmes, on SQLite in process (< 300 ms).
bench-compliance: setup
	$(BIN)/python bench/compliance.py

# Supervisors tapping attendance rows at once (gunicorn, wrk); writes bench/REPORT-attendance.md.
# PostgreSQL (BENCH_PG_URL) by default; ARGS="--db both" adds SQLite.
bench-attendance: setup system-deps-bench
	BENCH_PG_URL=$(BENCH_PG_URL) $(BIN)/python bench/attendance.py $(ARGS)

# Marshals tapping the roll call of a running drill at once; writes bench/REPORT-rollcall.md.
bench-rollcall: setup system-deps-bench
	BENCH_PG_URL=$(BENCH_PG_URL) $(BIN)/python bench/rollcall.py $(ARGS)

# The room-status board for 400 rooms on SQLite in process: the page, its poll, a 304 (< 10 ms).
bench-board: setup
	$(BIN)/python bench/board.py

# Attendants ticking checklist steps at once; writes bench/REPORT-cleaning.md.
bench-cleaning: setup system-deps-bench
	BENCH_PG_URL=$(BENCH_PG_URL) $(BIN)/python bench/cleaning.py $(ARGS)

bench-issues: setup system-deps-bench
	BENCH_PG_URL=$(BENCH_PG_URL) $(BIN)/python bench/issues.py $(ARGS)

system-deps-bench:
	@bash tools/system-deps.sh $(BENCH_DEBS)

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache *.egg-info
