#!/usr/bin/env bash
# The release's checks (make package-test, part of make test): the binary needs no Swift runtime and stays within
# the size goal; in a Debian root without Swift (debootstrap --variant=minbase), `apt-get install ./lookout_*.deb`
# works, `lookout --version` says the build's version and `lookout snapshot` reads a Prometheus on this machine; the
# man page renders with man -l; the completions complete for bash and fish and parse for zsh.
set -uo pipefail
cd "$(dirname "$0")/.."
dist=${1:-dist}
binary=$dist/lookout
size_goal_mb=${LOOKOUT_SIZE_GOAL_MB:-30}
passed=0
failed=0
pass() { echo "✔ $1"; passed=$((passed + 1)); }
fail() { echo "✘ $1" >&2; failed=$((failed + 1)); }
check() { local what=$1; shift; if "$@"; then pass "$what"; else fail "$what"; fi; }

# What the checks need, installed when missing (root) as make deps does.
need=""
for p in debootstrap lintian zsh fish man-db curl; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || need="$need $p"
done
if [ -n "$need" ]; then
  [ "$(id -u)" = 0 ] || { echo "package-test: missing Debian packages:$need" >&2; exit 1; }
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $need > /dev/null
fi

version=$(scripts/version.sh)
deb=$(ls "$dist"/lookout_*.deb 2>/dev/null | head -1)
[ -x "$binary" ] && [ -n "$deb" ] || { echo "package-test: no $binary or .deb in $dist: run make deb first" >&2; exit 1; }

# 1. Self-contained: no Swift runtime, no Foundation, no run path into the toolchain; within the size goal.
dynamic=$(readelf -d "$binary")
check "readelf: no libswift*, libFoundation*, libdispatch or ICU needed" \
  bash -c "! grep -Eq 'Shared library: \[(libswift|libFoundation|lib_Foundation|libdispatch|libBlocksRuntime|libicu)' <<< \"\$0\"" "$dynamic"
# SwiftPM links with a run path of $ORIGIN (the binary's own folder), which points nowhere else.
check "readelf: no RUNPATH or RPATH but \$ORIGIN" \
  bash -c "! grep -E '\((RUNPATH|RPATH)\)' <<< \"\$0\" | grep -vq 'path: \[\\\$ORIGIN\]'" "$dynamic"
bytes=$(stat -c %s "$binary")
echo "  the binary: $(awk -v b="$bytes" 'BEGIN { printf "%.1f MB", b / 1048576 }') stripped; needs: $(sed -n 's/.*Shared library: \[\(.*\)\]/\1/p' <<< "$dynamic" | paste -sd' ')"
check "size: at most $size_goal_mb MB" test "$bytes" -le $((size_goal_mb * 1048576))
check "--version: $version" bash -c "[ \"\$('$binary' --version)\" = '$version' ]"

# 2. The man page: man -l renders it without a warning, with every subcommand.
man_out=$(MANWIDTH=100 man --warnings -l "$dist/lookout.1" 2>&1 > /tmp/lookout-man.$$)
check "man -l lookout.1: no warnings" test -z "$man_out"
check "man -l lookout.1: names the subcommands" bash -c "for c in watch snapshot query config mock demo dashboard; do grep -q \"\$c\" /tmp/lookout-man.$$ || exit 1; done"
rm -f /tmp/lookout-man.$$

# 3. Completions.
bash_words=$(bash -c "source '$dist/completions/lookout.bash'; COMP_WORDS=(lookout sn); COMP_CWORD=1; COMP_LINE='lookout sn'; COMP_POINT=10; _lookout; echo \"\${COMPREPLY[*]}\"" 2>&1)
check "bash completes 'lookout sn' to snapshot" bash -c "[[ ' $bash_words ' == *' snapshot '* ]]"
fish_words=$(fish -c "source '$dist/completions/lookout.fish'; complete -C 'lookout sn'" 2>&1)
check "fish completes 'lookout sn' to snapshot" bash -c "grep -q '^snapshot' <<< \"\$0\"" "$fish_words"
check "zsh parses _lookout" zsh -n "$dist/completions/_lookout"
check "zsh completion defines _lookout" grep -q "^_lookout()" "$dist/completions/_lookout"

# 4. A Debian root without Swift: install the package with apt, run it there.
# The pristine root is kept across clones (as apt keeps its packages): a clean checkout does not debootstrap again.
rootcache=.build-root
cache=${LOOKOUT_ROOT_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/lookout}
pristine=$cache/bookworm-minbase.tar
if [ ! -f "$pristine" ]; then
  # The mirror this machine's apt uses (its sources), so nothing else is named here.
  mirror=$(sed -n 's/^URIs: *\([^ ]*\).*/\1/p' /etc/apt/sources.list.d/debian.sources 2>/dev/null | head -1)
  [ -n "$mirror" ] || mirror=$(awk '$1 == "deb" && $3 ~ /^bookworm$/ { print $2; exit }' /etc/apt/sources.list 2>/dev/null)
  mkdir -p "$cache"
  rm -rf "$cache/make"
  echo "  debootstrap --variant=minbase bookworm (once; kept in $pristine)"
  if debootstrap --variant=minbase bookworm "$cache/make" "$mirror" > "$cache/debootstrap.log" 2>&1; then
    tar -C "$cache/make" -cf "$pristine.part" . && mv "$pristine.part" "$pristine" && rm -rf "$cache/make"
  else
    tail -5 "$cache/debootstrap.log" >&2
    fail "debootstrap a minimal bookworm root"
  fi
fi
mkdir -p "$rootcache"
root=$rootcache/root
prom_pid=""
cleanup() {
  [ -n "$prom_pid" ] && kill "$prom_pid" 2> /dev/null
  mountpoint -q "$root/proc" 2> /dev/null && umount "$root/proc"
  mountpoint -q "$root/proc" 2> /dev/null || rm -rf --one-file-system "$root"
  rm -rf "${promdir:-/nonexistent}"
}
trap cleanup EXIT
if [ -f "$pristine" ]; then
  rm -rf "$root" && mkdir -p "$root" && tar -C "$root" -xf "$pristine"
  cp /etc/resolv.conf "$root/etc/resolv.conf"
  # The Swift runtime reads the command line from /proc/self/cmdline: a real host always has /proc.
  mount -t proc proc "$root/proc" || fail "mount /proc in the root"
  check "the root has no Swift" bash -c "! ls '$root'/usr/lib/swift '$root'/opt/swift > /dev/null 2>&1 && ! chroot '$root' sh -c 'command -v swift' > /dev/null"
  check "the root has no libncursesw6 before the install" bash -c "! chroot '$root' dpkg -s libncursesw6 > /dev/null 2>&1"
  cp "$deb" "$root/tmp/"
  if chroot "$root" sh -c "apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq ./tmp/$(basename "$deb")" > "$rootcache/apt.log" 2>&1; then
    pass "apt-get install ./$(basename "$deb") in the clean root"
  else
    tail -5 "$rootcache/apt.log" >&2
    fail "apt-get install ./$(basename "$deb") in the clean root"
  fi
  check "installed: binary, man page, completions" bash -c "chroot '$root' dpkg -L lookout | grep -qx /usr/bin/lookout && chroot '$root' dpkg -L lookout | grep -qx /usr/share/man/man1/lookout.1.gz && chroot '$root' dpkg -L lookout | grep -qx /usr/share/bash-completion/completions/lookout && chroot '$root' dpkg -L lookout | grep -qx /usr/share/zsh/site-functions/_lookout && chroot '$root' dpkg -L lookout | grep -qx /usr/share/fish/vendor_completions.d/lookout.fish"
  check "lookout --version in the root" bash -c "[ \"\$(chroot '$root' lookout --version)\" = '$version' ]"

  # A Prometheus on this machine, scraping itself; the root shares the network.
  port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
  promdir=$(mktemp -d)
  printf 'global: {scrape_interval: 1s}\nscrape_configs: [{job_name: prometheus, static_configs: [{targets: ["127.0.0.1:%s"]}]}]\n' "$port" > "$promdir/prometheus.yml"
  prometheus --config.file="$promdir/prometheus.yml" --storage.tsdb.path="$promdir/data" --web.listen-address="127.0.0.1:$port" > "$promdir/log" 2>&1 &
  prom_pid=$!
  # Ready, then scraped once (Prometheus starts its scrape pools some seconds after it is ready).
  for _ in $(seq 1 150); do curl -sf "http://127.0.0.1:$port/api/v1/query?query=up" | grep -q '"value"' && break; sleep 0.2; done
  snapshot=$(chroot "$root" lookout snapshot --url "http://127.0.0.1:$port" --output json 2> "$promdir/snapshot.err")
  status=$?
  check "lookout snapshot in the root reads the local Prometheus (exit $status)" \
    bash -c "[ $status -le 2 ] && python3 -c 'import json, sys; d = json.loads(sys.argv[1]); assert len(d[\"panels\"]) == 4, d' \"\$0\"" "$snapshot"
  query=$(chroot "$root" lookout query 'up{job="prometheus"}' --url "http://127.0.0.1:$port" 2>&1)
  check "lookout query in the root: up of the Prometheus job is 1" bash -c "grep -q 'prometheus' <<< \"\$0\" && grep -Eq '(^|[^0-9.])1([^0-9.]|$)' <<< \"\$0\"" "$query"
fi

echo "package-test: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
