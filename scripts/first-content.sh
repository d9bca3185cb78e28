#!/usr/bin/env bash
# Launch → first content, to a tenth of a second, the kiosk beside Chromium
# showing the same Home as a page (../shared/bench/chromium-home.html, as
# perf-home.sh does), each on its own Xvfb 1080x1920, RUNS times (default 5).
# perf-home.sh reads the screen by OCR between launches and so cannot see
# less than about a second (a screenshot and tesseract each round); here the
# screen is copied every ~0.1 s while the program starts, and only the copies
# that changed are read by OCR afterwards: the first that reads "Portalavoro"
# gives the time (the end of that copy, so never early).
#   bash scripts/first-content.sh [RUNS]      KIOSK_CONF (default kiosk.toml)
# A benchmark, not a test: it prints figures and decides nothing.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/common.sh
runs=${1:-5}
bin=$CARGO_TARGET_DIR/release/portalavoro-kiosk
page=$(cd ../shared/bench 2>/dev/null && pwd)/chromium-home.html
work=$(mktemp -d /tmp/first-content.XXXXXX)
trap 'rm -rf "$work"' EXIT

# One launch: prints seconds to the first copy of the screen that reads
# Portalavoro, or NA.
once() {
    local n=$((600 + RANDOM % 300)) start now last="" i=0 frames=()
    start_xvfb ":$n"
    local x=$xvfb_pid
    export DISPLAY=":$n"
    start=$(date +%s.%N)
    "$@" >"$work/log" 2>&1 &
    local p=$!
    while (( ${#frames[@]} < 40 )) && [ "$(echo "$(date +%s.%N) - $start < 10" | bc)" = 1 ]; do
        import -window root -depth 8 "rgb:$work/now.rgb" 2>/dev/null || continue
        now=$(date +%s.%N)
        sum=$(md5sum <"$work/now.rgb")
        if [ "$sum" != "$last" ]; then
            last=$sum
            i=$((i + 1))
            mv "$work/now.rgb" "$work/$i.rgb"
            frames+=("$i:$(echo "$now - $start" | bc)")
        fi
    done
    kill "$p" 2>/dev/null || true
    sleep 1
    kill -9 "$p" 2>/dev/null || true
    kill "$x" 2>/dev/null || true
    local found=NA
    for frame in "${frames[@]}"; do
        convert -size 1080x1920 -depth 8 "rgb:$work/${frame%%:*}.rgb" "$work/f.png"
        if tesseract "$work/f.png" - 2>/dev/null | grep -qi portalavoro; then
            found=${frame#*:}
            break
        fi
    done
    rm -f "$work"/*.rgb
    printf '%.2f\n' "$found" 2>/dev/null || echo NA
}

median() { sort -g | awk '{v[NR]=$1} END{print (NR ? v[int((NR+1)/2)] : "NA")}'; }

for subject in kiosk chromium; do
    times=()
    for _ in $(seq "$runs"); do
        if [ "$subject" = kiosk ]; then
            times+=("$(once "$bin" --config "${KIOSK_CONF:-kiosk.toml}")")
        else
            times+=("$(once chromium --kiosk --no-sandbox --disable-gpu --no-first-run \
                --disable-background-networking --disable-component-update --disable-sync \
                --user-data-dir="$(mktemp -d -p "$work")" --window-size=1080,1920 "file://$page")")
        fi
    done
    printf '%-9s first_content_s median=%s runs=%s\n' "$subject" \
        "$(printf '%s\n' "${times[@]}" | grep -v NA | median)" "${times[*]}"
done
