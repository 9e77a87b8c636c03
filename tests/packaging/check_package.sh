#!/usr/bin/env bash
# Builds the .deb with `cpack -G DEB` into a temporary folder, then checks
# its control data and files with dpkg-deb, extracts it into a scratch
# root and checks the binaries, the default configuration and the systemd
# unit there. Exits 77 (skipped) when dpkg-deb or cpack is missing.
#
#   check_package.sh BUILD_DIR SOURCE_DIR
set -euo pipefail
build=$1
source=$2
for tool in cpack dpkg-deb; do
  if ! command -v "$tool" >/dev/null; then
    echo "SKIP: $tool is not installed" >&2
    exit 77
  fi
done

work=$(mktemp -d /tmp/choria-rest-gateway-package.XXXXXX)
trap 'rm -rf "$work"' EXIT
failures=0
fail() {
  echo "FAIL: $*" >&2
  failures=$((failures + 1))
}

echo "building the package in $work"
(cd "$build" && cpack -G DEB -B "$work/out" >"$work/cpack.log" 2>&1) || {
  cat "$work/cpack.log" >&2
  echo "FAIL: cpack -G DEB failed" >&2
  exit 1
}
deb=$(ls "$work"/out/choria-rest-gateway_*.deb)
echo "built $(basename "$deb") ($(du -h "$deb" | cut -f1))"

# Control data.
info=$(dpkg-deb -I "$deb")
for field in "Package: choria-rest-gateway" "Architecture: amd64" \
  "Section: admin"; do
  grep -q "^ $field" <<<"$info" || fail "control has no '$field'"
done
grep -q "^ Depends:.*libc6" <<<"$info" ||
  fail "Depends lacks the shared library dependencies: $(grep Depends <<<"$info")"
for script in postinst prerm postrm conffiles; do
  dpkg-deb -I "$deb" "$script" >/dev/null 2>&1 || fail "no $script in control"
done
conffiles=$(dpkg-deb -I "$deb" conffiles)
for file in gateway.conf users.json policy.json; do
  grep -qx "/etc/choria-rest-gateway/$file" <<<"$conffiles" ||
    fail "$file is not a conffile"
done

# Files and modes.
listing=$(dpkg-deb -c "$deb")
expect_entry() {  # MODE PATH
  grep -qE "^$1 .* \./$2\$" <<<"$listing" ||
    fail "no $2 with mode $1 in the package"
}
expect_entry -rwxr-xr-x usr/bin/choria-rest-gateway
expect_entry -rwxr-xr-x usr/bin/choria-gw
expect_entry -rw-r--r-- usr/lib/systemd/system/choria-rest-gateway.service
expect_entry -rw-r--r-- usr/lib/sysusers.d/choria-rest-gateway.conf
expect_entry -rw-r----- etc/choria-rest-gateway/gateway.conf
expect_entry -rw-r----- etc/choria-rest-gateway/users.json
expect_entry -rw-r----- etc/choria-rest-gateway/policy.json
expect_entry drwxr-xr-x etc/choria-rest-gateway/ddl/
expect_entry -rw-r--r-- usr/share/choria-rest-gateway/openapi.json
expect_entry -rw-r--r-- usr/share/doc/choria-rest-gateway/README.md
if [[ -d "$source/monitoring" ]]; then
  for file in $(cd "$source" && find monitoring -type f); do
    grep -q " \./usr/share/choria-rest-gateway/$file\$" <<<"$listing" ||
      fail "monitoring file $file is not in the package"
  done
fi

# The extracted tree.
root=$work/root
dpkg-deb -x "$deb" "$root"
version=$("$root/usr/bin/choria-gw" --version) || fail "choria-gw --version"
grep -q "[0-9]\.[0-9]" <<<"$version" || fail "choria-gw version: $version"
"$root/usr/bin/choria-rest-gateway" --help >/dev/null ||
  fail "choria-rest-gateway --help"
if file "$root/usr/bin/choria-gw" | grep -q "not stripped"; then
  fail "choria-gw is not stripped"
fi
python3 -c 'import json, sys; json.load(open(sys.argv[1]))' \
  "$root/usr/share/choria-rest-gateway/openapi.json" ||
  fail "openapi.json is not JSON"

# The default configuration has only keys the gateway accepts, so serve
# gets past reading it and stops at the first missing file instead.
serve_output=$(cd "$work" && timeout 20 "$root/usr/bin/choria-rest-gateway" \
  serve --config "$root/etc/choria-rest-gateway/gateway.conf" 2>&1) &&
  fail "serve started without certificates"
if grep -qi "unknown configuration key" <<<"$serve_output"; then
  fail "the default configuration has a key the gateway rejects: $serve_output"
fi

# The unit's hardening options are present.
unit=$root/usr/lib/systemd/system/choria-rest-gateway.service
for option in User=choria-rest-gateway StateDirectory=choria-rest-gateway \
  NoNewPrivileges=yes ProtectSystem=strict ProtectHome=yes PrivateTmp=yes \
  "ExecStart=/usr/bin/choria-rest-gateway serve"; do
  grep -q "^$option" "$unit" || fail "the unit lacks $option"
done

# systemd-analyze verify checks the unit's syntax and that ExecStart
# exists, so it runs on a copy pointing at the extracted binary.
if command -v systemd-analyze >/dev/null; then
  mkdir -p "$work/units"
  sed "s|^ExecStart=/usr/bin/|ExecStart=$root/usr/bin/|" "$unit" \
    >"$work/units/choria-rest-gateway.service"
  if ! verify=$(systemd-analyze verify \
    "$work/units/choria-rest-gateway.service" 2>&1); then
    fail "systemd-analyze verify: $verify"
  elif [[ -n "$verify" ]]; then
    echo "systemd-analyze verify reported: $verify"
    grep -q "choria-rest-gateway.service" <<<"$verify" &&
      fail "systemd-analyze verify warns about the unit: $verify"
  fi
  echo "systemd-analyze verify passed"
else
  echo "systemd-analyze is not installed; the unit was not verified"
fi

if ((failures > 0)); then
  echo "$failures package checks failed" >&2
  exit 1
fi
echo "the package passed every check"
