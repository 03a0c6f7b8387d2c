#!/usr/bin/env bash
# The version of this tree, from `git describe` (a tag v1.2.3 gives 1.2.3, 1.2.3-4-gabcdef after four commits;
# without a tag, 0.0.N+gabcdef with N the number of commits), "-dirty" appended for uncommitted changes.
#   scripts/version.sh          prints it
#   scripts/version.sh --write  also writes Sources/CBuildInfo/version.h when it changed (make does, before building)
set -euo pipefail
cd "$(dirname "$0")/.."
version=unknown
if described=$(git describe --tags --match 'v[0-9]*' --dirty 2>/dev/null); then
  version=${described#v}
elif hash=$(git rev-parse --short=7 HEAD 2>/dev/null); then
  count=$(git rev-list --count HEAD)
  dirty=""
  git diff --quiet HEAD -- 2>/dev/null || dirty="-dirty"
  version="0.0.$count+g$hash$dirty"
fi
if [ "${1:-}" = "--write" ]; then
  header=Sources/CBuildInfo/version.h
  line="#define LOOKOUT_VERSION \"$version\""
  if [ ! -f "$header" ] || [ "$(cat "$header")" != "$line" ]; then
    echo "$line" > "$header"
    # The C file includes the header only when it exists: make it compile again.
    touch Sources/CBuildInfo/build_info.c
  fi
fi
echo "$version"
