#!/usr/bin/env bash
# Prints, NUL-separated, every .swift file of the package that git tracks or would track (build folders and other
# git-ignored paths are left out). Shared by scripts/format.sh and scripts/lint.sh so that both see the same files.
# Generated code carries `// swift-format-ignore-file` (scripts/generate-protos.sh writes it), which swift-format
# honours by itself.
set -euo pipefail
cd "$(dirname "$0")/.."
git ls-files -z --cached --others --exclude-standard -- '*.swift'
