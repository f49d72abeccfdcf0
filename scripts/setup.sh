#!/usr/bin/env bash
# Installs the Debian packages FedHPD-Swift builds against, if any are missing. Idempotent; works as root or via sudo.
#   OpenBLAS + LAPACKE (the numerical engine), Box2D 2.4 (LunarLander), MuJoCo 2.2 (InvertedPendulum), pkg-config,
#   and rsvg-convert (librsvg2-bin: the tests render `fedhpd watch` frames to PNG).
set -euo pipefail
packages=(pkg-config libopenblas-dev liblapacke-dev libbox2d-dev libmujoco-dev librsvg2-bin)
missing=()
for package in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
if ((${#missing[@]} == 0)); then
    exit 0
fi
echo "setup: installing ${missing[*]}" >&2
if [[ $(id -u) -eq 0 ]]; then sudo=(); else sudo=(sudo); fi
export DEBIAN_FRONTEND=noninteractive
"${sudo[@]}" apt-get update -qq
"${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
echo "setup: done" >&2
