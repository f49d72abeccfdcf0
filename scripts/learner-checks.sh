#!/usr/bin/env bash
# Issue 18 part 3: the learning checks of the A2C and PPO learners, too slow for the test suite.
#
#   PPO: one agent {"hiddenSizes": [64, 64], "activation": "tanh", "learningRate": 0.0003, "algorithm": "ppo"},
#        default PPO settings, NoFed, CartPole-v1, seeds 20/25/30: MA100 >= 475 by episode 500 on >= 2 of 3 seeds.
#   A2C: the same agent with "algorithm": "a2c": MA100 >= 195 by episode 1000 on >= 2 of 3 seeds.
#
# Usage: scripts/learner-checks.sh [OUT_DIR]   (default /tmp/fedhpd-learner-checks; needs a release build)
# Prints, per seed, the first episode whose trailing 100-episode mean reaches the threshold, and PASS or FAIL.
set -euo pipefail
cd "$(dirname "$0")/.."
out="${1:-/tmp/fedhpd-learner-checks}"
fedhpd="$(swift build -c release --show-bin-path)/fedhpd"

check() {  # name agents-file episodes threshold
  local name="$1" agents="$2" episodes="$3" threshold="$4" passed=0
  "$fedhpd" train --env CartPole-v1 --agents "$agents" --method nofed --episodes "$episodes" --seeds 20,25,30 \
    --threads 1 --checkpoint-every 0 --quiet --out "$out/$name" >/dev/null
  for seed in 20 25 30; do
    local summary="$out/$name/CartPole-v1__nofed__seed$seed/summary.json"
    local reached
    reached=$(python3 -c "import json,sys; s=json.load(open(sys.argv[1])); print(s['agents'][0]['performance']['episodesToThreshold'].get(sys.argv[2]))" "$summary" "$threshold")
    echo "$name seed $seed: MA100 >= $threshold first at episode $reached (budget $episodes)"
    if [[ "$reached" != "None" ]] && (( reached <= episodes )); then passed=$((passed + 1)); fi
  done
  if (( passed >= 2 )); then echo "$name: PASS ($passed/3 seeds)"; else echo "$name: FAIL ($passed/3 seeds)"; fi
}

check ppo Examples/agents/ppo-cartpole.json 500 475
check a2c Examples/agents/a2c-cartpole.json 1000 195
