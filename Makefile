# lookout: `make demo` runs the dashboard against the embedded mock Prometheus; `make test` installs what the tests
# need (Debian packages) when missing and runs every test.
SWIFT ?= swift
APT_PACKAGES := libncurses-dev libyaml-dev prometheus prometheus-alertmanager prometheus-blackbox-exporter tmux openssl librsvg2-bin fonts-dejavu-core

.PHONY: all deps version venv build release release-binary man completions install deb package-test order-file test unit-test integration-test fuzz fuzz-short soak sweep demo clean

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

# The version from `git describe`, compiled into the binary (`lookout --version`).
version:
	@scripts/version.sh --write >/dev/null

build: deps version
	$(SWIFT) build

# The release: one self-contained binary (the Swift runtime linked in, stripped), its man page and completions, in
# dist/. README, "Install".
RELEASE_SCRATCH := .build-release
DIST := dist
# The Swift runtime linked in; optimised for size; no symbol table exported (README, "Install" has what each bought).
# Every function in a section of its own, and the ones a dashboard runs laid out together (SECTION_ORDER, written by
# `make order-file`): the kernel keeps 64 KB around each page of code that runs resident, so spread-out code costs
# memory (README, "Performance"). swift-frontend keeps an object whose IR did not change, even when codegen flags
# did: after changing a flag of that kind, rm -rf $(RELEASE_SCRATCH).
SECTION_ORDER := scripts/release/section-order.txt
RELEASE_FLAGS := -c release --static-swift-stdlib --product lookout --scratch-path $(RELEASE_SCRATCH) \
	-Xswiftc -Osize -Xlinker --no-export-dynamic \
	-Xswiftc -Xfrontend -Xswiftc -function-sections -Xcc -ffunction-sections \
	-Xlinker --section-ordering-file=$(CURDIR)/$(SECTION_ORDER)
release: release-binary
	@mkdir -p $(DIST)
	strip -o $(DIST)/lookout $$($(SWIFT) build $(RELEASE_FLAGS) --show-bin-path)/lookout
	@ls -l $(DIST)/lookout | awk '{ printf "release: %s, %.1f MB\n", $$9, $$5 / 1048576 }'
	@$(MAKE) --no-print-directory man completions

# The optimised build alone (make test starts it beside its other steps; scripts/test.sh).
release-binary: deps version
	$(SWIFT) build $(RELEASE_FLAGS)

# The section order from a profile of the dashboard against Debian's Prometheus (scripts/release/order-profile.sh;
# valgrind). Run it again when the code a dashboard runs has changed much; a stale order only costs memory.
order-file: deps version
	@command -v valgrind > /dev/null || { [ "$$(id -u)" = 0 ] && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends valgrind; } \
		|| { echo "make order-file: needs valgrind: sudo apt-get install valgrind" >&2; exit 1; }
	$(SWIFT) build $(RELEASE_FLAGS) -Xlinker -Map=$(CURDIR)/$(RELEASE_SCRATCH)/lookout.map
	scripts/release/order-profile.sh $$($(SWIFT) build $(RELEASE_FLAGS) --show-bin-path)/lookout \
		$(RELEASE_SCRATCH)/lookout.map $(SECTION_ORDER)

# lookout.1 by swift-argument-parser's generate-manual, the tool its GenerateManual plugin runs, over the release
# binary (the plugin itself would build every product again in its own configuration); the tool itself is a debug
# build, which takes a fraction of the time of an optimised one.
man:
	$(SWIFT) build -c debug --package-path $(RELEASE_SCRATCH)/checkouts/swift-argument-parser \
		--scratch-path $(RELEASE_SCRATCH)/generate-manual --product generate-manual > /dev/null
	$(RELEASE_SCRATCH)/generate-manual/debug/generate-manual $(DIST)/lookout \
		--date $$(git log -1 --format=%cs 2>/dev/null || date +%F) --authors "the lookout authors" --output-directory $(DIST)
	@# Help texts keep their blank lines and indented lists: in mdoc a paragraph break and a line break.
	awk '$$0 == "" { print ".Pp"; next } /^  +[^ ]/ { print ".br"; sub(/^ +/, ""); print; next } { print }' \
		$(DIST)/lookout.1 > $(DIST)/lookout.1.tmp && mv $(DIST)/lookout.1.tmp $(DIST)/lookout.1

# Completions for bash, zsh and fish, from the binary itself.
completions:
	@mkdir -p $(DIST)/completions
	$(DIST)/lookout --generate-completion-script bash | sed '1{/^#!/d}' > $(DIST)/completions/lookout.bash
	$(DIST)/lookout --generate-completion-script zsh > $(DIST)/completions/_lookout
	$(DIST)/lookout --generate-completion-script fish > $(DIST)/completions/lookout.fish

# make install PREFIX=/usr/local (DESTDIR for a staging root): the binary, the man page, the completions.
PREFIX ?= /usr/local
DESTDIR ?=
install:
	@[ -x $(DIST)/lookout ] && [ -f $(DIST)/lookout.1 ] || $(MAKE) --no-print-directory release
	install -Dm755 $(DIST)/lookout $(DESTDIR)$(PREFIX)/bin/lookout
	install -Dm644 $(DIST)/lookout.1 $(DESTDIR)$(PREFIX)/share/man/man1/lookout.1
	install -Dm644 $(DIST)/completions/lookout.bash $(DESTDIR)$(PREFIX)/share/bash-completion/completions/lookout
	install -Dm644 $(DIST)/completions/_lookout $(DESTDIR)$(PREFIX)/share/zsh/site-functions/_lookout
	install -Dm644 $(DIST)/completions/lookout.fish $(DESTDIR)$(PREFIX)/share/fish/vendor_completions.d/lookout.fish

# dist/lookout_<version>_<arch>.deb, built with dpkg-deb (Depends: libc6, libncursesw6); lintian, when installed,
# must find no error.
deb: release
	scripts/make-deb.sh $(DIST)

# The release's checks: no Swift runtime needed (readelf), the size goal, the binary and the .deb in a Debian root
# without Swift (debootstrap), the man page and the completions (scripts/package-test.sh).
package-test: deb
	scripts/package-test.sh $(DIST)

# Every test, in steps that each do one thing once (scripts/test.sh): the debug build, the tests that need no outside
# process, the tests against Debian's Prometheus, Alertmanager and tmux, a short fuzz pass (5 s per target; README,
# "Reliability"), then the release build and its package checks; the durations of the steps at the end.
test: deps venv version
	SWIFT=$(SWIFT) scripts/test.sh

# The steps one by one.
unit-test: deps venv version
	SWIFT=$(SWIFT) STEPS="build unit" scripts/test.sh

integration-test: deps venv version
	SWIFT=$(SWIFT) STEPS="build integration" scripts/test.sh

# Coverage-guided fuzzing with libFuzzer: FUZZ_SECONDS per target (default 60); fails when a crash is found.
FUZZ_SECONDS ?= 60
fuzz:
	SWIFT=$(SWIFT) FUZZ_SECONDS=$(FUZZ_SECONDS) scripts/fuzz.sh

fuzz-short:
	SWIFT=$(SWIFT) FUZZ_SECONDS=5 scripts/fuzz.sh

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
demo: deps version
	$(SWIFT) build --product lookout
	$$($(SWIFT) build --show-bin-path)/lookout demo

clean:
	rm -rf .build $(RELEASE_SCRATCH) $(DIST)
