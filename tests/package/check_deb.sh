#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# The .deb as a user gets it: unpacked into a temporary root (dpkg -x), the consumer project
# (tests/consumer) built against it with find_package and with pkg-config, the CLI run from it
# (--version, the man page's examples), the man page shown by man, and the bash completion.
# The .tar.gz: the same files as the .deb, and the consumer builds against it unpacked.
#
# Usage: check_deb.sh SOURCE_DIR WORK_DIR (BUILD_DIR | PACKAGE.deb PACKAGE.tar.gz)
# With a build directory, cpack makes the .deb and the .tar.gz from it first.
set -euo pipefail
source_dir=$(cd "$1" && pwd)
work=$2
rm -rf "$work" && mkdir -p "$work"
work=$(cd "$work" && pwd)
fail() { echo "check_deb: $*" >&2; exit 1; }

if [[ -d $3 ]]; then
  cpack --config "$3/CPackConfig.cmake" -G "DEB;TGZ" -B "$work/package" >"$work/cpack.log" ||
    { cat "$work/cpack.log"; fail "cpack failed"; }
  deb=$(ls "$work"/package/*.deb)
  tgz=$(ls "$work"/package/*.tar.gz)
else
  deb=$3
  tgz=${4:?"usage: check_deb.sh SOURCE_DIR WORK_DIR (BUILD_DIR | PACKAGE.deb PACKAGE.tar.gz)"}
fi
echo "packages: $deb $tgz"
info=$(dpkg-deb --info "$deb")  # (not piped into grep -q: with pipefail, SIGPIPE would fail it)
grep -q "Depends:.*libfmt-dev" <<<"$info" || fail "the package does not depend on libfmt-dev"
root=$work/root
dpkg-deb -x "$deb" "$root"
usr=$root/usr
version=$(dpkg-deb --field "$deb" Version)

for f in bin/slope include/slope/slope.hpp include/slope/version.hpp share/man/man1/slope.1 \
         share/bash-completion/completions/slope share/doc/slope/README.md \
         share/doc/slope/LICENSE share/doc/slope/conventions.md; do
  [[ -e $usr/$f ]] || fail "the package has no /usr/$f"
done
pc=$(dirname "$(find "$usr" -name slope.pc)")
[[ -f $pc/slope.pc && -f $pc/../cmake/slope/slope-config.cmake ]] ||
  fail "slope.pc is not next to the CMake package"
libdir=$(dirname "$pc")
export LD_LIBRARY_PATH=$libdir  # for a shared libslope
if compgen -G "$libdir/libslope.so*" >/dev/null; then
  soname=$(objdump -p "$libdir/libslope.so" | sed -n 's/ *SONAME *//p')
  [[ $soname == libslope.so.${version%.*} ]] || fail "SONAME is $soname, expected libslope.so.${version%.*}"
  [[ -f $libdir/libslope.so.$version ]] || fail "no libslope.so.$version"
fi

expected="relu(x) | piecewise(x > 0: 1, otherwise: 0)"
echo "== the consumer, with find_package(slope)"
cmake -S "$source_dir/tests/consumer" -B "$work/consumer" -DCMAKE_PREFIX_PATH="$usr" >/dev/null
cmake --build "$work/consumer" >/dev/null
[[ $("$work/consumer/consumer") == "$expected" ]] || fail "the CMake consumer printed something else"

echo "== the consumer, with pkg-config"
flags=$(PKG_CONFIG_PATH=$pc pkg-config --cflags --libs slope)
[[ $(PKG_CONFIG_PATH=$pc pkg-config --modversion slope) == "$version" ]] || fail "pkg-config version"
# shellcheck disable=SC2086  # flags are words
c++ -std=c++20 "$source_dir/tests/consumer/main.cpp" $flags -o "$work/consumer_pc"
[[ $("$work/consumer_pc") == "$expected" ]] || fail "the pkg-config consumer printed something else"

echo "== the CLI"
[[ $("$usr/bin/slope" --version) == "slope $version" ]] || fail "slope --version is not 'slope $version'"
mkdir -p "$work/run"
sed -n '/^\[EXAMPLES\]/,/^\[/p' "$source_dir/packaging/slope.h2m" | grep '^slope ' | sed 's/\\-/-/g' |
  while read -r line; do
    (cd "$work/run" && PATH=$usr/bin:$PATH bash -c "$line" >/dev/null) || fail "the man page's example fails: $line"
  done

echo "== man slope"
if command -v man >/dev/null; then
  page=$(MANPATH=$usr/share/man MANWIDTH=80 man -P cat slope 2>/dev/null)
  grep -q "^NAME" <<<"$page" && grep -q -- "--convention" <<<"$page" || fail "man slope does not show the page"
else
  echo "(man is not installed: the page was checked as a file only)"
fi

echo "== bash completion"
completion=$usr/share/bash-completion/completions/slope
reply() {
  bash -c 'source "$1"; shift; COMP_WORDS=("$@"); COMP_CWORD=$((${#COMP_WORDS[@]} - 1)); _slope; echo "${COMPREPLY[*]}"' \
    _ "$completion" "$usr/bin/slope" "$@"
}
[[ $(reply di) == diff ]] || fail "completing 'slope di' gave '$(reply di)'"
[[ $(reply diff --conv) == --convention ]] || fail "completing an option"
[[ $(reply diff --convention "") == "min_norm left right average undefined" ]] || fail "completing conventions"
echo "== the .tar.gz: the .deb's files, and the consumer builds against it"
mkdir -p "$work/tgz" && tar -xzf "$tgz" -C "$work/tgz"
top=$(find "$work/tgz" -mindepth 1 -maxdepth 1)
[[ -d $top && $(basename "$top") == $(basename "$tgz" .tar.gz) ]] ||
  fail "the .tar.gz does not hold one folder named after it: $top"
files_of() { (cd "$1" && find . -type f -o -type l | sort); }
diff <(files_of "$usr") <(files_of "$top") >"$work/tgz.diff" ||
  { cat "$work/tgz.diff"; fail "the .tar.gz holds other files than the .deb's /usr"; }
export LD_LIBRARY_PATH=$top/${libdir#"$usr"/}
cmake -S "$source_dir/tests/consumer" -B "$work/consumer_tgz" -DCMAKE_PREFIX_PATH="$top" >/dev/null
cmake --build "$work/consumer_tgz" >/dev/null
[[ $("$work/consumer_tgz/consumer") == "$expected" ]] || fail "the consumer of the .tar.gz printed something else"
grep -q "^slope_DIR:PATH=$top/" "$work/consumer_tgz/CMakeCache.txt" || fail "the consumer did not find slope in the .tar.gz"
echo "check_deb: all good"
