# lookout: `make demo` runs the dashboard against the embedded mock Prometheus; `make test` installs what the tests
# need (Debian packages) when missing and runs every test.
SWIFT ?= swift
APT_PACKAGES := libncurses-dev libyaml-dev prometheus prometheus-alertmanager prometheus-blackbox-exporter tmux openssl librsvg2-bin fonts-dejavu-core

.PHONY: all deps venv build release test unit-test fuzz fuzz-short soak sweep demo clean

all: build

# Installs the Debian packages the build and the tests need, only those missing.
deps:
	@missing=""; \
	for p in $(APT_PACKAGES); do \
	  dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q "install ok installed" || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" != "0" ]; then \
	    echo "make deps: missing Debian packages:$$missing. Run 'sudo make deps' or 'sudo apt-get install$$missing'." >&2; \
	    exit 1; \
	  fi; \
	  echo "make deps: installing$$missing"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $$missing; \
	fi

# The Python generators of Grafana dashboards the import tests use (pinned in Tests/IntegrationTests/grafana).
VENV := .build-venv
PYTHON ?= python3

venv: $(VENV)/.installed

$(VENV)/.installed: Tests/IntegrationTests/grafana/requirements.txt
	@command -v $(PYTHON) >/dev/null || { [ "$$(id -u)" = 0 ] && apt-get install -y -qq python3 python3-venv; }
	@$(PYTHON) -m venv $(VENV) 2>/dev/null || { [ "$$(id -u)" = 0 ] && apt-get install -y -qq python3-venv && $(PYTHON) -m venv $(VENV); }
	$(VENV)/bin/pip install -q -r Tests/IntegrationTests/grafana/requirements.txt
	touch $@

build: deps
	$(SWIFT) build

release: deps
	$(SWIFT) build -c release

# Every test, then a short fuzz pass (15 s per target; README, "Reliability").
test: unit-test fuzz-short

unit-test: deps venv
	$(SWIFT) build --build-tests
	SWIFT=$(SWIFT) scripts/unit-test.sh

# Coverage-guided fuzzing with libFuzzer: FUZZ_SECONDS per target (default 60); fails when a crash is found.
FUZZ_SECONDS ?= 60
fuzz:
	SWIFT=$(SWIFT) FUZZ_SECONDS=$(FUZZ_SECONDS) scripts/fuzz.sh

fuzz-short:
	SWIFT=$(SWIFT) FUZZ_SECONDS=15 scripts/fuzz.sh

# Ten minutes of the dashboard against a server that misbehaves in turn (README, "Reliability").
SOAK_SECONDS ?= 600
soak: deps
	$(SWIFT) build --build-tests
	LOOKOUT_SOAK_SECONDS=$(SOAK_SECONDS) $(SWIFT) test --skip-build --filter SoakTests

# Every terminal size from 20x5 to 300x100, where `make test` draws a quarter of them (SizeSweepTests).
sweep: deps
	$(SWIFT) build --build-tests
	LOOKOUT_SWEEP=full $(SWIFT) test --skip-build --filter SizeSweepTests

# The dashboard against the embedded mock Prometheus: no server needed.
demo: deps
	$(SWIFT) build --product lookout
	$$($(SWIFT) build --show-bin-path)/lookout demo

clean:
	rm -rf .build
