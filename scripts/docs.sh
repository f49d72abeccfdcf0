#!/usr/bin/env bash
# Builds the DocC documentation of every library product with swift-docc-plugin (`swift package
# generate-documentation`) and exits non-zero on any warning (a broken symbol link, an unknown topic, a compiler
# warning on the way). CI runs it from .ci/run. Options before the plugin's name go to `swift package` (e.g.
# `scripts/docs.sh --scratch-path /tmp/docs`); the archives land under the scratch path's plugins/ folder.
set -euo pipefail
cd "$(dirname "$0")/.."
targets=(FedHPD HPDTensor HPDNN HPDRL HPDEnvironments HPDLunarLander HPDInvertedPendulum HPDFederation)
arguments=()
for target in "${targets[@]}"; do arguments+=(--target "$target"); done
log=$(mktemp)
trap 'rm -f "$log"' EXIT
swift package "$@" generate-documentation "${arguments[@]}" --warnings-as-errors 2>&1 | tee "$log"
if grep -q "warning:" "$log"; then
    echo "docs: warnings above" >&2
    exit 1
fi
echo "docs: ${#targets[@]} library targets documented without warnings"
