#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Every source, build, script and packaging file says its licence in its first lines
# (SPDX-License-Identifier: MIT), and LICENSE is the MIT licence; prose, data and generated
# files are left out.
#
# Usage: check_spdx.sh SOURCE_DIR
set -euo pipefail
cd "$1"
mapfile -t files < <(find . \( -path ./.git -o -path './build*' -o -path ./tests/fuzz/corpus -o -name '*.md.in' \) -prune \
  -o -type f \( -name '*.cpp' -o -name '*.hpp' -o -name '*.py' -o -name '*.sh' -o -name '*.cmake' \
  -o -name '*.in' -o -name '*.h2m' -o -name '*.bash-completion' -o -name CMakeLists.txt \
  -o -path './scripts/*' -o -path './.ci/*' \) -print | sort)
missing=()
for f in "${files[@]}"; do
  head -n 3 "$f" | grep -q "SPDX-License-Identifier: MIT" || missing+=("$f")
done
if ((${#missing[@]})); then
  printf 'check_spdx: no SPDX-License-Identifier line in %s\n' "${missing[@]}" >&2
  exit 1
fi
((${#files[@]} > 150)) || { echo "check_spdx: only ${#files[@]} files found" >&2; exit 1; }
head -n 1 LICENSE | grep -qx "MIT License" || { echo "check_spdx: LICENSE is not the MIT licence" >&2; exit 1; }
echo "check_spdx: ${#files[@]} files, each with its SPDX line"
