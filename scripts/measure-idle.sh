#!/usr/bin/env bash
# Runs the release kiosk on the repository's kiosk.toml (demo content) on a
# virtual screen, lets it settle, then reports its CPU use over a window,
# its resident memory, and the frame times of the attract loop's slide
# transitions in that window. Optionally saves a screenshot first.
#   bash scripts/measure-idle.sh [WIDTH HEIGHT [SECONDS [SCREENSHOT.png]]]
# The kiosk starts in its attract loop; with WAKE=1 a click wakes it first,
# to measure the Home screen instead (the idle timeout, 90 s, ends it).
# CONFIG=FILE runs it on another configuration than kiosk.toml.
set -euo pipefail
cd "$(dirname "$0")/.."

if [ "${1:-}" = "--inside-xvfb" ]; then
    export XDG_RUNTIME_DIR=$(mktemp -d)
    log=$(mktemp)
    "$KIOSK" --config "$CONFIG" >"$log" 2>&1 &
    pid=$!
    sleep 8
    if [ "$WAKE" = 1 ]; then
        xdotool mousemove $((WIDTH / 2)) $((HEIGHT / 2)) click 1
        sleep 2
    fi
    [ -n "$SHOT" ] && import -window root "$SHOT"
    ticks() { awk '{print $14 + $15}' /proc/$pid/stat; }
    start=$(wc -l <"$log")
    t0=$(ticks)
    sleep "$SECONDS_TO_MEASURE"
    t1=$(ticks)
    awk -v t=$((t1 - t0)) -v hz="$(getconf CLK_TCK)" -v s="$SECONDS_TO_MEASURE" \
        'BEGIN { printf "CPU: %.2f s over %d s = %.2f%% of one core\n", t/hz, s, 100*t/hz/s }'
    grep VmRSS /proc/$pid/status
    # Each transition logs "transition of N frames, frame time median X ms, worst Y ms".
    tail -n +$((start + 1)) "$log" | grep -o "transition of .*" |
        awk '{print $3, $8, $11}' >"$log.t" || true
    if [ -s "$log.t" ]; then
        echo "transitions: $(wc -l <"$log.t"), $(awk '{s += $1} END {printf "%.1f", s / NR}' "$log.t") frames each," \
            "median frame time $(cut -d' ' -f2 "$log.t" | sort -n | awk '{a[NR] = $1} END {print a[int((NR + 1) / 2)]}') ms" \
            "(median of each transition's median), worst $(cut -d' ' -f3 "$log.t" | sort -n | tail -1) ms"
    fi
    kill -TERM $pid
    wait $pid
    exit 0
fi

. scripts/common.sh
width=${1:-1080} height=${2:-1920}
cargo build --release --quiet
export KIOSK="$CARGO_TARGET_DIR/release/portalavoro-kiosk" SECONDS_TO_MEASURE="${3:-60}" SHOT="${4:-}"
export WAKE=${WAKE:-0} WIDTH=$width HEIGHT=$height CONFIG=${CONFIG:-kiosk.toml}
export RUST_LOG=info,portalavoro_kiosk::app::attract=debug NO_COLOR=1
xvfb-run -a -s "-screen 0 ${width}x${height}x24" bash "$0" --inside-xvfb
