#!/usr/bin/env bash
# Lints every .swift file of the package with `swift format lint --strict` and the committed .swift-format
# configuration. Prints each finding as `file:line:column: error: [Rule] message` and exits non-zero when there is any
# (CI runs it from .ci/run). Most findings are fixed by scripts/format.sh; the rest need a hand edit.
set -euo pipefail
cd "$(dirname "$0")/.."
count=$(scripts/swift-files.sh | tr -cd '\0' | wc -c)
if scripts/swift-files.sh | xargs -0 swift format lint --strict --configuration .swift-format; then
    echo "lint: $count Swift files, no findings"
else
    echo "lint: findings above (scripts/format.sh fixes the formatting ones; fix the others by hand)" >&2
    exit 1
fi
