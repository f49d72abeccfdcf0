#!/usr/bin/env bash
# Formats every .swift file of the package in place with the toolchain's `swift format` and the committed
# .swift-format configuration (see docs/CONTRIBUTING.md). Run it before committing; scripts/lint.sh checks the result.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/swift-files.sh | xargs -0 swift format format --in-place --configuration .swift-format
