# The two commands of the README: `make demo` and `make test`. Everything else is a step they share.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
DEMO_DB := $(CURDIR)/demo.sqlite3
# Debian packages: a CJK font for charts, PDFs and screenshots; Chromium for the browser tests;
# poppler-utils to turn generated PDFs into text and pictures in the report tests; qpdf to join long PDFs
# written in parts (reports/parts.py).
DEBIAN_PACKAGES := fonts-wqy-microhei chromium poppler-utils qpdf

ADMIN_HOST ?= 127.0.0.1
ADMIN_PORT ?= 5000

.PHONY: demo demo-admin test setup system-packages lint clean

demo: setup system-packages
	rm -f $(DEMO_DB)
	$(BIN)/coop --db sqlite:///$(DEMO_DB) init
	$(BIN)/coop --db sqlite:///$(DEMO_DB) demo
	-$(BIN)/coop --db sqlite:///$(DEMO_DB) check --on 2024-12-31
	$(BIN)/coop --db sqlite:///$(DEMO_DB) distribution plan --coop 93370671MA3H6XFL2R --year 2024 >/dev/null
	$(BIN)/coop --db sqlite:///$(DEMO_DB) report all --year 2024 --out $(CURDIR)/reports-out
	@echo
	@echo "The demo database is $(DEMO_DB). To work with it:"
	@echo "  export COOP_DATABASE_URL=sqlite:///$(DEMO_DB)"
	@echo "  $(BIN)/coop check --on 2024-12-31        # membership rules, member accounts vs books"
	@echo "  $(BIN)/coop --help                       # every command"
	@# Further demo steps go above this line: the web admin comes last because it runs until Ctrl-C.
	@$(MAKE) --no-print-directory demo-admin

# The web admin on the demo database (again, without reloading it: `make demo-admin`).
demo-admin: setup
	@echo
	@echo "The web admin: http://localhost:$(ADMIN_PORT)/   (stop it with Ctrl-C)"
	@echo "Demo accounts, all with the password coopdemo2024 (demo only):"
	@echo "  admin        administrator: everything, users, audit log"
	@echo "  official1    township official of 凤鸣街道 (official2: 泉山街道): weak villages, oversight"
	@echo "  accountant   accountant of 晨靓, 杏花 and 姜家疃: books, workbook import, distribution"
	@echo "  supervisor   supervisor (监事) of 晨靓: reads only"
	$(BIN)/coop --db sqlite:///$(DEMO_DB) admin --host $(ADMIN_HOST) --port $(ADMIN_PORT)

# Two workers (the machine CI runs on has two cores): each builds its own template databases (tests/backends.py),
# and every test works in a private copy, so the workers share nothing but the database servers.
TEST_WORKERS ?= 2

test: setup system-packages lint
	$(BIN)/pytest -n $(TEST_WORKERS)

lint: setup
	$(BIN)/ruff check coopcore admin reports demo bench tests alembic/env.py
	$(BIN)/ruff format --check coopcore admin reports demo bench tests alembic/env.py
	$(BIN)/mypy
	$(BIN)/lint-imports

setup: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	touch $@

system-packages:
	@missing=""; for package in $(DEBIAN_PACKAGES); do \
	  dpkg-query -W -f='$${Status}' $$package 2>/dev/null | grep -q "install ok installed" || missing="$$missing $$package"; \
	done; \
	if [ -z "$$missing" ]; then exit 0; fi; \
	if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	  echo "Installing Debian packages:$$missing"; \
	  DEBIAN_FRONTEND=noninteractive apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $$missing >/dev/null; \
	else \
	  echo "Missing Debian packages:$$missing"; \
	  echo "Install them as root:  sudo apt-get install$$missing"; \
	  echo "(charts and PDFs need the CJK font; browser tests need chromium)"; \
	fi

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache .hypothesis demo.sqlite3
