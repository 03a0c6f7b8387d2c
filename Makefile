# lookout: `make demo` runs the dashboard against the embedded mock Prometheus; `make test` installs what the tests
# need (Debian packages) when missing and runs every test.
SWIFT ?= swift
APT_PACKAGES := libncurses-dev prometheus prometheus-alertmanager tmux openssl

.PHONY: all deps venv build release test demo clean

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

test: deps venv
	$(SWIFT) build --build-tests
	$(SWIFT) test --skip-build

# The dashboard against the embedded mock Prometheus: no server needed.
demo: deps
	$(SWIFT) build --product lookout
	$$($(SWIFT) build --show-bin-path)/lookout demo

clean:
	rm -rf .build
