#!/usr/bin/env bash
# Builds dist/lookout_<version>_<arch>.deb from the release in dist/ (make deb): the binary in /usr/bin, the man page,
# the completions, the copyright and changelog; Depends is read off the binary (each library it needs, mapped to the
# Debian package that ships it). lintian, when installed, must report no error.
set -euo pipefail
cd "$(dirname "$0")/.."
dist=${1:-dist}
version=$(scripts/version.sh)
# Debian's version syntax: no '-' without a Debian revision.
deb_version=${version//-/.}
arch=$(dpkg --print-architecture)
stage=.build-release/deb/lookout
rm -rf "$stage"
make --no-print-directory install DESTDIR="$PWD/$stage" PREFIX=/usr DIST="$dist" > /dev/null
gzip -9n "$stage/usr/share/man/man1/lookout.1"

doc="$stage/usr/share/doc/lookout"
mkdir -p "$doc"
cat > "$doc/copyright" <<'COPYRIGHT'
Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/
Upstream-Name: lookout
Comment: lookout links the Swift runtime and these libraries statically. Their licences: the Swift standard
 library, FoundationEssentials, swift-argument-parser, swift-nio, swift-nio-ssl, swift-log and async-http-client:
 Apache-2.0 with the Runtime Library Exception where it applies; BoringSSL (in swift-nio-ssl): ISC and OpenSSL;
 libyaml: MIT.

Files: *
Copyright: 2025-2026 the lookout authors
License: proprietary
 All rights reserved by the lookout authors.
COPYRIGHT
{
  echo "lookout ($deb_version) unstable; urgency=medium"
  echo
  echo "  * Built from git $(git rev-parse --short=12 HEAD 2>/dev/null || echo unknown) ($version)."
  echo
  echo " -- lookout authors <lookout@example.org>  $(date -R -d "@$(git log -1 --format=%ct 2>/dev/null || date +%s)")"
} | gzip -9n > "$doc/changelog.gz"

# Depends: the package of each shared library the binary needs.
depends=$(
  for lib in $(readelf -d "$stage/usr/bin/lookout" | sed -n 's/.*Shared library: \[\(.*\)\]/\1/p'); do
    path=$(ldconfig -p | awk -v l="$lib" '$1 == l && /x86-64|AArch64|64bit/ { print $NF; exit }')
    [ -n "$path" ] || path=$(ldconfig -p | awk -v l="$lib" '$1 == l { print $NF; exit }')
    [ -n "$path" ] || { echo "make-deb: no package found for $lib" >&2; exit 1; }
    pkg=$(dpkg -S "$(readlink -f "$path")" 2>/dev/null | head -1 | cut -d: -f1) || true
    [ -n "$pkg" ] || pkg=$(dpkg -S "$path" 2>/dev/null | head -1 | cut -d: -f1)
    [ -n "$pkg" ] || { echo "make-deb: no package ships $path" >&2; exit 1; }
    echo "$pkg"
  done | sort -u | paste -sd, | sed 's/,/, /g'
)

mkdir -p "$stage/DEBIAN"
cat > "$stage/DEBIAN/control" <<CONTROL
Package: lookout
Version: $deb_version
Architecture: $arch
Maintainer: lookout authors <lookout@example.org>
Installed-Size: $(du -sk --exclude=DEBIAN "$stage" | cut -f1)
Depends: $depends
Section: admin
Priority: optional
Description: terminal console for Prometheus
 lookout shows a Prometheus server's service health, request rate, error rate
 and p95 latency with the alerts that fire, in a terminal: built for on-call
 engineers on a bastion host. It explores ad-hoc PromQL, explains and silences
 alerts (Alertmanager), looks back in time, and lists scrape targets.
CONTROL
deb="$dist/lookout_${deb_version}_${arch}.deb"
rm -f "$dist"/lookout_*.deb
dpkg-deb --root-owner-group -Zxz --build "$stage" "$deb" > /dev/null
echo "deb: $deb ($(du -h "$deb" | cut -f1)), Depends: $depends"
if command -v lintian > /dev/null; then
  # A static Swift binary embeds libraries by design (the point of this package); everything else must pass.
  lintian --fail-on error --suppress-tags embedded-library "$deb"
  echo "deb: lintian reports no error"
fi
