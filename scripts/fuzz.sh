#!/usr/bin/env bash
# Fuzzes one decoder of outside bytes with libFuzzer + AddressSanitizer (issue 15).
#
#   scripts/fuzz.sh TARGET SECONDS     build (incrementally, in .build-fuzz/) and fuzz TARGET for SECONDS
#   scripts/fuzz.sh --build            build only
#   scripts/fuzz.sh --list             list the targets
#
# Targets: public-states, configuration, agents, checkpoint, policy, wire (the network messages; built with the
# Network trait, which adds only swift-protobuf, not the gRPC transport). Inputs start from the committed seeds in
# Fuzz/corpus/TARGET (never modified); the growing corpus lives in .build-fuzz/corpus/TARGET and crashes are
# written to .build-fuzz/crashes/TARGET/. Exit status ≠ 0 when the fuzzer finds a crash, a sanitizer report or a broken
# invariant; reproduce one with a plain build: `swift run fedhpd-fuzz replay TARGET FILE`.
# The fuzzing flags are given on the command line here, never in Package.swift (no unsafeFlags).
set -euo pipefail
cd "$(dirname "$0")/.."
targets="public-states configuration agents checkpoint policy wire"
scratch=.build-fuzz

build() {
    swift build -c debug --scratch-path "$scratch" --product fedhpd-fuzz --traits Network \
        -Xswiftc -sanitize=fuzzer,address -Xswiftc -DFUZZING -Xswiftc -use-ld=lld 2>&1 \
        | grep -v "Cannot export local symbol" >&2
    # grep's status must not hide the build's
    test "${PIPESTATUS[0]}" -eq 0
}

case "${1:-}" in
    --list) echo "$targets"; exit 0 ;;
    --build) build; exit 0 ;;
    "" | -h | --help) sed -n '2,13p' "$0"; exit 2 ;;
esac
target=$1
seconds=${2:?usage: scripts/fuzz.sh TARGET SECONDS}
case " $targets " in *" $target "*) ;; *) echo "unknown target '$target' (targets: $targets)" >&2; exit 2 ;; esac
[[ "$seconds" =~ ^[0-9]+$ ]] || { echo "SECONDS must be a whole number, got '$seconds'" >&2; exit 2; }

build
corpus=$scratch/corpus/$target
crashes=$scratch/crashes/$target
mkdir -p "$corpus" "$crashes"
# libFuzzer reads every folder given and writes new inputs to the first one only.
FEDHPD_FUZZ_TARGET=$target ASAN_OPTIONS=detect_leaks=0 "$scratch/debug/fedhpd-fuzz" \
    -max_total_time="$seconds" -rss_limit_mb=4096 -max_len=65536 -timeout=20 -print_final_stats=1 \
    -artifact_prefix="$crashes/" "$corpus" "Fuzz/corpus/$target"
