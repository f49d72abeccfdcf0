#!/usr/bin/env bash
# The Python client's tests (python/tests, pytest), end to end against the fedhpd binary that
# `swift test -c release --traits Network` (or `swift build -c release --traits Network`) built. With CI=true a missing
# binary or Python requirement fails instead of skipping. Installs the requirements first (scripts/setup-python.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/setup-python.sh
binary="$(swift build -c release --traits Network --show-bin-path)/fedhpd"
cd python && FEDHPD_BINARY="$binary" python3 -m pytest -q tests
