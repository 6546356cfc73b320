#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# scripts/install-deps as the README's first command meets it: as root on a fresh machine
# without sudo, as a user with sudo, as a user without it, and with everything installed.
# id, dpkg-query, apt-get and sudo are stand-ins on a PATH of nothing else, so the test sees
# exactly which commands the script runs, and as whom, without touching the machine.
#
# Usage: install_deps_test.sh SOURCE_DIR
set -euo pipefail
script=$(cd "$1" && pwd)/scripts/install-deps
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fail() { echo "install_deps_test: $*" >&2; exit 1; }

# The package list in the script's order (from packages=" to the closing quote).
all=$(sed -n '/^packages="/,/"/p' "$script" | sed 's/^packages="//; s/".*//' | tr -s ' \n' '\n' | grep .)
[[ $(wc -l <<<"$all") -ge 20 ]] || fail "could not read the package list"

bin=$work/bin
mkdir -p "$bin"
for tool in grep env cat sort tr; do ln -s "$(command -v $tool)" "$bin/$tool"; done
cat >"$bin/id" <<'EOF'
#!/bin/sh
[ "$1" = -u ] && echo "$FAKE_UID"
EOF
# Installed: the packages listed in $FAKE_INSTALLED, one a line.
cat >"$bin/dpkg-query" <<'EOF'
#!/bin/sh
for p; do :; done
grep -qx "$p" "$FAKE_INSTALLED" && printf 'install ok installed' && exit 0
echo "dpkg-query: no packages found matching $p" >&2
exit 1
EOF
cat >"$bin/apt-get" <<'EOF'
#!/bin/sh
echo "apt-get uid=$FAKE_UID $*" >>"$FAKE_LOG"
EOF
cat >"$bin/sudo.fake" <<'EOF'
#!/bin/sh
FAKE_UID=0 exec "$@"
EOF
chmod +x "$bin"/*

# run UID SUDO(yes|no) INSTALLED_FILE [ARGS]: sets rc, out, log
run() {
  local uid=$1 sudo=$2 installed=$3
  shift 3
  rm -f "$bin/sudo" "$work/log" && touch "$work/log"
  [[ $sudo == yes ]] && ln -s sudo.fake "$bin/sudo"
  set +e
  out=$(env -i PATH="$bin" FAKE_UID="$uid" FAKE_INSTALLED="$installed" FAKE_LOG="$work/log" \
        /bin/sh "$script" "$@" 2>&1)
  rc=$?
  set -e
  log=$(cat "$work/log")
}

printf 'g++\ncmake\n' >"$work/some"
missing=$(grep -vx -f "$work/some" <<<"$all" | tr '\n' ' ' | sed 's/ $//')
install_line="apt-get uid=0 install -y -qq --no-install-recommends $missing"

echo "== root, no sudo on the machine (a fresh container): apt-get directly"
run 0 no "$work/some"
[[ $rc == 0 ]] || fail "as root it failed ($rc): $out"
[[ $(sed -n 1p <<<"$log") == "apt-get uid=0 update -qq" ]] || fail "as root, first call: $log"
[[ $(sed -n 2p <<<"$log") == "$install_line" ]] || fail "as root, the install call: $log"

echo "== a user with sudo: apt-get through sudo"
run 1000 yes "$work/some"
[[ $rc == 0 ]] || fail "with sudo it failed ($rc): $out"
[[ $log == "apt-get uid=0 update -qq"$'\n'"$install_line" ]] || fail "with sudo: $log"

echo "== a user without sudo: a clear error, nothing run"
run 1000 no "$work/some"
[[ $rc == 1 ]] || fail "without sudo it exited $rc"
[[ -z $log ]] || fail "without sudo it still ran: $log"
[[ $out == "install-deps: these packages are missing: $missing"$'\n'"install-deps: run this script as root, or install sudo" ]] ||
  fail "without sudo it said: $out"

echo "== everything installed: nothing to do, as anyone"
printf '%s\n' "$all" >"$work/all"
run 1000 no "$work/all"
[[ $rc == 0 && -z $log && $out == "install-deps: everything is installed" ]] ||
  fail "with everything installed: rc $rc, $out, $log"

echo "== --ci adds the CI's packages, --bench the peers; anything else is a usage error"
run 0 no "$work/all" --ci
[[ $rc == 0 && $(sed -n 2p <<<"$log") == "apt-get uid=0 install -y -qq --no-install-recommends clang libclang-rt-14-dev python3-torch doxygen" ]] ||
  fail "--ci: rc $rc, $log"
run 0 no "$work/all" --bench
[[ $rc == 0 && $(sed -n 2p <<<"$log") == "apt-get uid=0 install -y -qq --no-install-recommends libadolc-dev libginac-dev python3-sympy python3-torch" ]] ||
  fail "--bench: rc $rc, $log"
run 0 no "$work/all" --all
[[ $rc == 2 && -z $log && $out == "usage: sh scripts/install-deps [--ci | --bench]" ]] || fail "a bad option: rc $rc, $out"
echo "install_deps_test: all good"
