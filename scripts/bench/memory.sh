#!/usr/bin/env bash
# The dashboard's memory against a real Prometheus (README, "Performance"): Debian's prometheus scrapes `lookout mock`'s
# /metrics (the source design's services; the mock runs from a copy of the binary) every 5 s with the seed's rules; lookout watch runs in tmux at 160x45 with
# --refresh 5s --range 1h for SECONDS_MEASURED; PSS (from /proc/PID/smaps_rollup, the largest seen) and peak RSS
# (VmHWM) are printed.
# The binary's pages are dropped from the page cache first (COLD=0 keeps them; see below).
#   scripts/bench/memory.sh [lookout binary] [extra flags for lookout watch]
set -euo pipefail
cd "$(dirname "$0")/../.."
lookout=${1:-dist/lookout}
shift || true
measured=${SECONDS_MEASURED:-60}
dir=$(mktemp -d)
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2> /dev/null || true; done; tmux kill-session -t "lookout-mem-$$" 2> /dev/null || true; rm -rf "$dir"; }
trap cleanup EXIT

# The mock from a copy of the binary, so that the dashboard's PSS does not share its code pages with it.
cp "$lookout" "$dir/lookout-mock"
source scripts/bench/lab.sh
start_lab "$dir/lookout-mock"

# The binary's pages out of the page cache (clean and unmapped ones go), so that the kernel reads them as it does for an
# installed binary after a reboot: how the file was last written (cp, strip, the linker) otherwise decides the size of
# the page-cache folios, and with it how much is mapped around each fault.
[ "${COLD:-1}" = 1 ] && python3 -c 'import os, sys; fd = os.open(sys.argv[1], os.O_RDONLY); os.posix_fadvise(fd, 0, 0, os.POSIX_FADV_DONTNEED)' "$lookout"
tmux new-session -d -s "lookout-mem-$$" -x 160 -y 45 "$lookout watch --url http://127.0.0.1:$prom --refresh 5s --range 1h $*"
sleep 2
pid=$(pgrep -n -f "watch --url http://127.0.0.1:$prom")
max_pss=0
for _ in $(seq 1 $((measured / 5))); do
  sleep 5
  pss=$(awk '/^Pss:/ { print $2 }' "/proc/$pid/smaps_rollup")
  [ "$pss" -gt "$max_pss" ] && max_pss=$pss
done
# PAGES=1: where the resident pages are (scripts/bench/pages.py; a binary with symbols, PAGES_MAP=the release link's
# map for what the section order covers).
if [ "${PAGES:-0}" = 1 ]; then
  python3 scripts/bench/pages.py "$pid" "$lookout" ${PAGES_MAP:+"$PAGES_MAP" scripts/release/section-order.txt}
fi
rollup=$(awk '/^(Pss_Anon|Pss_File|Pss_Shmem):/ { printf "%s %.1f MB  ", $1, $2 / 1024 }' "/proc/$pid/smaps_rollup")
hwm=$(awk '/^VmHWM:/ { print $2 }' "/proc/$pid/status")
rss=$(awk '/^VmRSS:/ { print $2 }' "/proc/$pid/status")
ticks=$(awk '{ print $14 + $15 }' "/proc/$pid/stat")
started=$(awk '{ print $22 }' "/proc/$pid/stat")
uptime=$(awk '{ print $1 }' /proc/uptime)
hz=$(getconf CLK_TCK)
cpu=$(awk -v t="$ticks" -v s="$started" -v u="$uptime" -v hz="$hz" 'BEGIN { printf "%.2f", 100 * (t / hz) / (u - s / hz) }')
awk -v l="$lookout" -v m="$measured" -v p="$max_pss" -v h="$hwm" -v r="$rss" -v c="$cpu" 'BEGIN {
  printf "%s at 160x45, %ss: PSS %.1f MB (largest seen), peak RSS %.1f MB, RSS now %.1f MB, CPU %s %%\n", l, m, p / 1024, h / 1024, r / 1024, c }'
echo "  now: $rollup"
