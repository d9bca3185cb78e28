#!/usr/bin/env bash
# Runs the release kiosk on the repository's kiosk.toml (demo content) on a
# virtual screen, lets it settle, then reports its CPU use over a window and
# its resident memory. Optionally saves a screenshot first.
#   bash scripts/measure-idle.sh [WIDTH HEIGHT [SECONDS [SCREENSHOT.png]]]
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/common.sh
width=${1:-1080} height=${2:-1920} seconds=${3:-60} shot=${4:-}
cargo build --release --quiet
export KIOSK="$CARGO_TARGET_DIR/release/portalavoro-kiosk" SECONDS_TO_MEASURE="$seconds" SHOT="$shot"
xvfb-run -a -s "-screen 0 ${width}x${height}x24" bash -c '
    export XDG_RUNTIME_DIR=$(mktemp -d)
    "$KIOSK" --config kiosk.toml >/dev/null 2>&1 & pid=$!
    sleep 8
    [ -n "$SHOT" ] && import -window root "$SHOT"
    ticks() { awk "{print \$14 + \$15}" /proc/$pid/stat; }
    t0=$(ticks); sleep "$SECONDS_TO_MEASURE"; t1=$(ticks)
    hz=$(getconf CLK_TCK)
    awk -v t=$((t1 - t0)) -v hz=$hz -v s=$SECONDS_TO_MEASURE \
        "BEGIN { printf \"CPU: %.2f s over %d s = %.2f%% of one core\n\", t/hz, s, 100*t/hz/s }"
    grep VmRSS /proc/$pid/status
    kill -TERM $pid; wait $pid
'
