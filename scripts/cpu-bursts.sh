#!/usr/bin/env bash
# Where the attract loop's CPU goes: the release kiosk on a virtual
# 1080x1920 screen, its CPU time (all threads, /proc/PID/task/*/schedstat)
# read every 10 ms for SECONDS (default 60), after 15 s to settle. Each
# burst of work (CPU until 150 ms of quiet) is printed with its start, its
# length, its CPU time and, if a slide transition began in it, the slide
# (from the kiosk's debug log); then the median CPU of a transition and
# what the other bursts (the clock's minute, a picture) cost.
#   bash scripts/cpu-bursts.sh [SECONDS]
# KIOSK_BIN=path (default: the release build), KIOSK_CONF=file (default
# kiosk.toml: starts in its attract loop). Other variables pass through to
# the kiosk (LP_NUM_THREADS=1, ...). A benchmark: it prints, decides nothing.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/common.sh
ensure_packages xvfb x11-utils python3
seconds=${1:-60}
bin=${KIOSK_BIN:-$CARGO_TARGET_DIR/release/portalavoro-kiosk}
[ -x "$bin" ] || { echo "cpu-bursts: no kiosk at $bin (cargo build --release --workspace --all-targets)" >&2; exit 2; }
work=$(mktemp -d)
display=":$((300 + RANDOM % 300))"
start_xvfb "$display"
kiosk=""
trap 'kill $kiosk $xvfb_pid 2>/dev/null || true; rm -rf "$work"' EXIT
DISPLAY=$display XDG_RUNTIME_DIR=$work NO_COLOR=1 RUST_LOG=info,portalavoro_kiosk::app::attract=debug \
    "$bin" --config "${KIOSK_CONF:-kiosk.toml}" >"$work/kiosk.log" 2>&1 &
kiosk=$!
sleep 15
python3 - "$kiosk" "$seconds" "$work/kiosk.log" <<'EOF'
import datetime, os, re, statistics, sys, time

pid, seconds, log = int(sys.argv[1]), float(sys.argv[2]), sys.argv[3]

def cpu_ns():
    total = 0
    for tid in os.listdir(f"/proc/{pid}/task"):
        try:
            with open(f"/proc/{pid}/task/{tid}/schedstat") as f:
                total += int(f.read().split()[0])
        except OSError:
            pass  # a thread that ended
    return total

start, last, samples = time.time(), cpu_ns(), []
while time.time() - start < seconds:
    time.sleep(0.01)
    now = cpu_ns()
    samples.append((time.time(), (now - last) / 1e6))
    last = now

bursts, current, quiet = [], None, 0.0
for at, ms in samples:
    if ms > 1.0:
        if current is None:
            current = [at, at, 0.0]
        current[1], quiet = at, 0.0
    elif current is not None:
        quiet += 0.01
    if current is not None:
        current[2] += ms
        if quiet >= 0.15:
            bursts.append(current)
            current, quiet = None, 0.0
if current is not None:
    bursts.append(current)

begun = []  # (time, slide) of each transition's first frame
for line in open(log, errors="replace"):
    m = re.match(r"(\S+Z)\s+DEBUG .*attract: (\w+) slide", line)
    if m:
        at = datetime.datetime.fromisoformat(m.group(1).replace("Z", "+00:00")).timestamp()
        begun.append((at, m.group(2)))

transitions, others = [], []
for first, end, cpu in bursts:
    slides = [s for at, s in begun if first - 0.06 <= at <= end]
    clock = time.strftime("%H:%M:%S", time.gmtime(first)) + f".{int(first % 1 * 1000):03d}"
    what = f"transition ({slides[0]} slide)" if slides else "-"
    print(f"{clock}  {1000 * (end - first):5.0f} ms long  {cpu:6.1f} ms CPU  {what}")
    (transitions if slides else others).append(cpu)
total = sum(ms for _, ms in samples)
print(f"total: {total:.0f} ms CPU in {seconds:.0f} s = {total / seconds / 10:.2f} % of a core")
if transitions:
    print(f"transitions: {len(transitions)}, CPU each: median {statistics.median(transitions):.0f} ms"
          f" ({min(transitions):.0f}-{max(transitions):.0f})")
print(f"other bursts: {len(others)}, {sum(others):.0f} ms CPU in all")
EOF
