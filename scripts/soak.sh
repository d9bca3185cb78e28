#!/usr/bin/env bash
# A year in a lobby, compressed into MINUTES of wall time (default 60): the
# release kiosk on a virtual 1080x1920 screen against the real hub server
# (its demo network on 127.0.0.1), with
#   - visitors one after another: a tap wakes the kiosk, then taps, drags
#     and jumps anywhere on the glass (a touch panel's absolute pointer:
#     jump and press at once), every page, language and setting reached by
#     chance from a fixed seed, then nobody, until the session ends by
#     itself (idle_timeout_s = 20) and the attract loop runs again;
#   - the hub publishing every minute: a news item with a new picture
#     (the oldest soak news withdrawn, so the feed stays the same size),
#     and a vacancy changed;
#   - midnight: the kiosk's clock starts at 23:40 (--at), so "today"
#     changes during the run;
# and every minute one line of PSS (whole process, /proc/PID/smaps_rollup),
# CPU and the cache folder's size. At the end: PSS growth after the warm-up
# (the first 10 minutes), the attract loop's CPU in a quiet minute at the
# start and at the end, and whether the cache holds only what the content
# needs (one picture file per picture in the feeds and playlist).
#   bash scripts/soak.sh [MINUTES]        figures in $SOAK_OUT (a new /tmp folder)
# A benchmark, not a test: it prints figures and decides nothing.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/common.sh
minutes=${1:-60}
out=${SOAK_OUT:-$(mktemp -d /tmp/soak.XXXXXX)}
mkdir -p "$out"
ensure_cargo
ensure_packages $BUILD_PACKAGES $RUNTIME_PACKAGES xvfb x11-utils xdotool imagemagick bc curl
# The same build as the test suite's (another selection of packages would
# build bevy a second time with other features): it makes both programs.
cargo test --release --workspace --no-run --quiet
kiosk="$CARGO_TARGET_DIR/release/portalavoro-kiosk"
hub="$CARGO_TARGET_DIR/release/portalavoro-hub"
port=$((20000 + RANDOM % 20000))
display=":$((300 + RANDOM % 300))"
pids=()
cleanup() { for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done; }
trap cleanup EXIT

# The hub: its demo network, state in $out.
XDG_STATE_HOME="$out/state" "$hub" --demo --port "$port" >"$out/hub.log" 2>&1 &
pids+=($!)
demo="$out/state/portalavoro-hub-demo"
for _ in $(seq 100); do
    curl -sf "http://127.0.0.1:$port/api/v1/health" >/dev/null && [ -f "$demo/staff-token" ] && break
    sleep 0.2
done
token=$(cat "$demo/staff-token")
api="http://127.0.0.1:$port/api/v1"

# The kiosk: the demo's configuration for totem-matera-1, always open, a
# short idle timeout, its cache in $out.
conf="$demo/kiosk-soak.toml" # beside the token file it names
python3 - "$demo/kiosk-totem-matera-1.toml" "$conf" "$out/cache" <<'EOF'
import re, sys
text = open(sys.argv[1]).read()
text = re.sub(r"(?ms)^\[hours\].*?(?=^\[|\Z)", "", text)
text = re.sub(r"(?m)^idle_timeout_s\s*=.*$", "", text)
text = re.sub(r"(?m)^cache_dir\s*=.*$", "", text)
text = re.sub(r"(?m)^fullscreen\s*=.*$", "", text)
def into(table, line):
    global text
    if re.search(rf"(?m)^\[{re.escape(table)}\]", text):
        text = re.sub(rf"(?m)^\[{re.escape(table)}\]\n", f"[{table}]\n{line}\n", text, count=1)
    else:
        text += f"\n[{table}]\n{line}\n"
into("attract", "idle_timeout_s = 20")
into("storage", f'cache_dir = "{sys.argv[3]}"')
into("display", "fullscreen = true")
open(sys.argv[2], "w").write(text)
EOF
"$kiosk" --config "$conf" --check-config

start_xvfb "$display"
pids+=($xvfb_pid)
export DISPLAY=$display
export XDG_RUNTIME_DIR=$(mktemp -d)
"$kiosk" --config "$conf" --at "$(date +%Y-%m-%d)T23:40" >"$out/kiosk.log" 2>&1 &
kiosk_pid=$!
pids+=($kiosk_pid)
sleep 10

pss() { awk '/^Pss:/ {print $2}' "/proc/$kiosk_pid/smaps_rollup"; }
ticks() { awk '{print $14 + $15}' "/proc/$kiosk_pid/stat"; }
hz=$(getconf CLK_TCK)
quiet_cpu() { # CPU % of one core over 60 s with nobody at the screen
    local a b
    a=$(ticks); sleep 60; b=$(ticks)
    echo "scale=2; 100 * ($b - $a) / $hz / 60" | bc
}

# The attract loop's CPU before anything happened.
cpu_start=$(quiet_cpu)

# The hub, every minute: a news item with a new picture, a vacancy changed.
publish() {
    local n=0
    while true; do
        n=$((n + 1))
        convert -size 1200x675 "plasma:fractal" -seed "$n" -quality 80 "$out/picture.jpg" 2>/dev/null ||
            convert -size 1200x675 "xc:rgb($((n * 37 % 255)),120,$((n * 91 % 255)))" "$out/picture.jpg"
        url=$(curl -sf -H "Authorization: Bearer $token" --data-binary "@$out/picture.jpg" \
            "$api/media" | python3 -c 'import json,sys; print(json.load(sys.stdin)["url"])')
        now=$(date --iso-8601=seconds)
        curl -sf -o /dev/null -H "Authorization: Bearer $token" -X PUT "$api/items/news/soak-$n" -d "{
            \"title\": {\"it\": \"Notizia $n del soak\", \"en\": \"Soak news $n\"},
            \"summary\": {\"it\": \"Pubblicata alle $(date +%H:%M)\"},
            \"image_url\": \"$url\", \"published_at\": \"$now\", \"site\": \"matera\"}"
        [ $n -gt 5 ] && curl -sf -o /dev/null -H "Authorization: Bearer $token" -X DELETE "$api/items/news/soak-$((n - 5))"
        curl -sf -o /dev/null -H "Authorization: Bearer $token" -X PUT "$api/items/vacancies/soak-v$((n % 20))" -d "{
            \"title\": {\"it\": \"Offerta del soak $n\", \"en\": \"Soak vacancy $n\"},
            \"municipality\": \"Matera\", \"positions\": $((1 + n % 4)),
            \"posted_at\": \"$now\", \"site\": \"matera\"}"
        echo "$(date +%T) news soak-$n with $url, vacancy soak-v$((n % 20))"
        sleep 60
    done
}
publish >"$out/publish.log" 2>&1 &
pids+=($!)

# Visitors, one after another, from a fixed seed.
visitors() {
    RANDOM=42
    local session=0
    while true; do
        session=$((session + 1))
        xdotool mousemove 540 960 click 1
        sleep 1
        for _ in $(seq $((8 + RANDOM % 25))); do
            x=$((20 + RANDOM % 1040)) y=$((20 + RANDOM % 1880))
            if [ $((RANDOM % 5)) = 0 ]; then
                xdotool mousemove $x $y mousedown 1 mousemove $x $((y - 300 + RANDOM % 200)) mouseup 1
            else
                xdotool mousemove $x $y click 1
            fi
            sleep "0.$((3 + RANDOM % 7))"
        done
        echo "$(date +%T) session $session"
        sleep 45 # nobody: "Are you still there?", then the attract loop
    done
}
visitors >"$out/visitors.log" 2>&1 &
visitors_pid=$!
pids+=($visitors_pid)

echo "minute pss_kb cpu_s cache_files cache_kb" >"$out/samples.txt"
start_ticks=$(ticks)
for minute in $(seq "$minutes"); do
    sleep 60
    kill -0 "$kiosk_pid" 2>/dev/null || { echo "the kiosk stopped: $out/kiosk.log" >&2; exit 1; }
    echo "$minute $(pss) $(echo "scale=1; ($(ticks) - $start_ticks) / $hz" | bc)" \
        "$(find "$out/cache" -type f | wc -l) $(du -sk "$out/cache" | cut -f1)" >>"$out/samples.txt"
done

# Nobody at the screen: the attract loop's CPU again. (Killed mid-drag,
# the visitor loop may leave the button down: lift it.)
kill "$visitors_pid"
xdotool mouseup 1 2>/dev/null || true
sleep 60
cpu_end=$(quiet_cpu)
# What was on screen during that minute.
import -window root "$out/end.png" 2>/dev/null || true

# Pictures the content refers to now, against picture files in the cache.
pictures=$(grep -c . <(find "$out/cache" -path '*images*' -type f) || true)
python3 - "$out" "$cpu_start" "$cpu_end" "$pictures" "$api" "$(cat "$demo/kiosk-token-totem-matera-1")" <<'EOF' | tee "$out/summary.txt"
import json, statistics, sys, urllib.request
out, cpu_start, cpu_end, pictures, api, token = sys.argv[1:]
rows = [line.split() for line in open(f"{out}/samples.txt").read().splitlines()[1:]]
pss = [int(r[1]) for r in rows]
warm = pss[10:15] if len(pss) >= 20 else pss[: max(1, len(pss) // 4)]
last = pss[-5:]
base, end = statistics.median(warm), statistics.median(last)
print(f"minutes sampled: {len(pss)}")
print(f"PSS after warm-up (median of minutes 11-15): {base / 1024:.0f} MB")
print(f"PSS at the end (median of the last 5 minutes): {end / 1024:.0f} MB")
print(f"growth after warm-up: {100 * (end - base) / base:+.1f} %")
print(f"PSS highest: {max(pss) / 1024:.0f} MB, lowest after warm-up: {min(pss[10:] or pss) / 1024:.0f} MB")
print(f"attract loop CPU, quiet minute at the start: {cpu_start} %, at the end: {cpu_end} %")
def get(path):
    request = urllib.request.Request(f"{api}/{path}", headers={"Authorization": f"Bearer {token}"})
    return json.load(urllib.request.urlopen(request))
wanted = {item["image_url"] for item in get("news").get("items", []) if item.get("image_url")}
wanted |= {slide["url"] for slide in get("kiosks/totem-matera-1/playlist").get("items", [])
           if slide.get("kind") == "image"}
print(f"picture files in the cache: {pictures}; pictures the news and the playlist name now: {len(wanted)}")
sessions = sum(1 for _ in open(f"{out}/visitors.log"))
print(f"visitor sessions: {sessions}")
EOF
echo "samples: $out/samples.txt; the screen at the end: $out/end.png"
