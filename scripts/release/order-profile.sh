#!/usr/bin/env bash
# The release link's section order (make order-file; README, "Performance"): the functions a dashboard runs, put
# together at one end of .text so that the pages the kernel keeps resident for them (64 KB around each fault) hold
# code that runs instead of its neighbours.
#
# Debian's prometheus scrapes `lookout mock` (scripts/bench/lab.sh, as for scripts/bench/memory.sh); under valgrind's callgrind, a release
# binary with symbols runs `lookout snapshot` and then `lookout watch` in tmux at 160x45 for PROFILE_SECONDS, opening
# the alerts and the help. Every function either executed is looked up in the release link's map, and the input
# sections found are written in the order first seen, after `.text..L*` (the compiler's unnamed closures and
# destructors: 4,000 sections of about 100 KB in all, one or more in every object, so spread over all of .text).
#   scripts/release/order-profile.sh <lookout binary with symbols> <its link map> <output file>
set -euo pipefail
cd "$(dirname "$0")/../.."
lookout=$1
map=$2
out=$3
seconds=${PROFILE_SECONDS:-120}
command -v valgrind > /dev/null || { echo "order-profile: needs valgrind (apt-get install valgrind)" >&2; exit 2; }
dir=$(mktemp -d)
pids=()
session="lookout-order-$$"
cleanup() { for p in "${pids[@]}"; do kill "$p" 2> /dev/null || true; done; tmux kill-session -t "$session" 2> /dev/null || true; rm -rf "$dir"; }
trap cleanup EXIT
# valgrind cannot read the toolchain's DWARF; the symbol table is enough.
strip --strip-debug -o "$dir/lookout" "$lookout"

source scripts/bench/lab.sh
start_lab "$dir/lookout"

grind="valgrind --quiet --demangle=no --tool=callgrind"
$grind --callgrind-out-file="$dir/cg.snapshot" "$dir/lookout" snapshot --url "http://127.0.0.1:$prom" > /dev/null || true
tmux new-session -d -s "$session" -x 160 -y 45 \
  "$grind --callgrind-out-file=$dir/cg.watch $dir/lookout watch --url http://127.0.0.1:$prom --refresh 5s --range 1h"
sleep "$seconds"
for key in a Escape '?' Escape q; do tmux send-keys -t "$session" "$key"; sleep 3; done
for _ in $(seq 1 100); do tmux has-session -t "$session" 2> /dev/null || break; sleep 0.3; done
[ -s "$dir/cg.watch" ] || { echo "order-profile: lookout watch left no profile (did it quit on q?)" >&2; exit 1; }
nm --defined-only "$dir/lookout" > "$dir/symbols"
python3 - "$dir" "$map" "$out" <<'PY'
import bisect, glob, re, sys
sys.path.insert(0, "scripts/release")
from linkmap import text_sections
directory, map_path, out_path = sys.argv[1:]
address = {}
for line in open(directory + "/symbols"):
    parts = line.split(" ", 2)
    if len(parts) == 3 and parts[1] in "tTwW":
        address.setdefault(parts[2].rstrip("\n"), int(parts[0], 16))
sections = text_sections(map_path)
starts = [s[0] for s in sections]
order, seen = [".text..L*"], set()
for path in sorted(glob.glob(directory + "/cg.*")):
    for line in open(path, errors="replace"):
        m = re.match(r"^c?fn=\(\d+\) (\S+)$", line)
        if not m or m.group(1) not in address:
            continue
        i = bisect.bisect_right(starts, address[m.group(1)]) - 1
        if i >= 0 and sections[i][0] + sections[i][1] > address[m.group(1)]:
            name = sections[i][2]
            if name != ".text" and not name.startswith(".text..L") and name not in seen:
                seen.add(name)
                order.append(name)
with open(out_path, "w") as f:
    f.write("\n".join(order) + "\n")
print(f"order-profile: {len(order) - 1} sections of their own for the functions executed, in {out_path}")
PY
