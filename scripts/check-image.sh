#!/usr/bin/env bash
# Boots the totem's image in QEMU (KVM when /dev/kvm is there, else plain
# emulation) three times, reads the screen through QEMU's monitor with OCR
# and touches it through QEMU's USB tablet (an absolute pointer, as many
# touch panels report):
#   1. provisioned as a technician would (kiosk.toml, hub-token and a
#      network file on the PORTALAVORO partition) with a dev hub on this
#      machine holding an urgent announcement, on a landscape monitor stood
#      on its side (display.rotation = 90): the hub's announcement, upright
#      to a visitor; then the staff corner held where a visitor sees the
#      top-left corner opens the PIN pad (the touch turned with the
#      picture); prints the time from power-on;
#   2. as written, with nothing on the partition: the technician card, and
#      its QR code read back with zbarimg;
#   3. provisioned and closed all week (the screen off when closed, as by
#      default): the closed notice, then a dark screen, kept dark longer
#      than the watchdog's 30 s without a restart, that the hub's fleet
#      hears is off on purpose; then a touch lights it again.
# The VM reaches nothing but the dev hub (QEMU's user network, restricted,
# with one forwarded address).
#
#   sudo bash scripts/check-image.sh [IMAGE [BOOT...]]
# IMAGE: default: build it first; BOOT: turned, unprovisioned, closed
# (default: all three).
#
# Screenshots and serial logs stay in $CARGO_TARGET_DIR/image/check/.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/common.sh
ensure_packages qemu-system-x86 ovmf socat mtools imagemagick tesseract-ocr tesseract-ocr-ita zbar-tools curl e2fsprogs fdisk
export MTOOLS_SKIP_CHECK=1
image=${1:-}
boots=("${@:2}")
[[ -n $image ]] || image=$(bash scripts/build-image.sh | tail -1)
# wanted NAME: whether this run boots NAME.
wanted() { ((${#boots[@]} == 0)) || [[ " ${boots[*]} " == *" $1 "* ]]; }
out=$CARGO_TARGET_DIR/image/check
rm -rf "$out"
mkdir -p "$out"
work=$(mktemp -d /var/tmp/portalavoro-check.XXXXXX)
pids=()
cleanup() {
    for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
    rm -rf "$work"
}
trap cleanup EXIT
fail() {
    echo "check-image: $*" >&2
    # A VM still up: powered off, its journal kept.
    if [[ -n ${qemu:-} ]] && kill -0 "$qemu" 2>/dev/null; then
        stop
        echo "check-image: its journal: $out/$vm-journal.txt" >&2
    fi
    exit 1
}
# KVM when it runs a guest: some hosts give /dev/kvm to a container whose
# nested KVM cannot (its firmware stops at once, "KVM internal error").
accel=tcg
if [[ -w /dev/kvm ]]; then
    probe=$(timeout 10 qemu-system-x86_64 -machine q35,accel=kvm -bios /usr/share/ovmf/OVMF.fd \
        -display none -nic none -serial none -monitor none 2>&1 || true)
    if grep -q "KVM internal error" <<<"$probe"; then
        echo "check-image: /dev/kvm cannot run a guest here: plain emulation" >&2
    else
        accel=kvm
    fi
fi
# Under plain emulation everything, the software renderer included, is
# ten times slower; and a processor without AVX, which the software
# renderer's compiled code would use and emulation runs unreliably.
limit=300
cpu=host
[[ $accel == kvm ]] || { limit=900; cpu=Nehalem; }

# The dev hub, on this machine's loopback only.
[[ -x $CARGO_TARGET_DIR/release/examples/hub-dev ]] || cargo build --release --quiet --example hub-dev
printf 'kiosk-token-qemu\n' >"$work/kiosk-token"
printf 'staff-token-qemu\n' >"$work/staff-token"
port=$((20000 + RANDOM % 20000))
"$CARGO_TARGET_DIR/release/examples/hub-dev" --data assets/demo --port "$port" \
    --kiosk-token-file "$work/kiosk-token" --staff-token-file "$work/staff-token" >"$out/hub.log" 2>&1 &
pids+=($!)
for _ in $(seq 50); do
    curl -fsS "http://127.0.0.1:$port/news" -H 'Authorization: Bearer kiosk-token-qemu' >/dev/null 2>&1 && break
    sleep 0.2
done
notice="Prova immagine $((1000 + RANDOM % 9000))"
notice_id=$(curl -fsS -X POST "http://127.0.0.1:$port/announcements" \
    -H 'Authorization: Bearer staff-token-qemu' -H 'Content-Type: application/json' \
    -d "{\"text\": \"$notice\", \"level\": \"urgent\"}" | sed -n 's/.*"id": *"\([^"]*\)".*/\1/p') ||
    fail "the dev hub does not take the announcement"
[[ -n $notice_id ]] || fail "the dev hub gave the announcement no id"

# What the screen reads, light text on dark and dark on light.
read_screen() {
    local shot=$1
    convert "$shot" -colorspace Gray -threshold 50% -negate "$work/light.png"
    convert "$shot" -colorspace Gray -threshold 50% "$work/dark.png"
    tesseract "$work/light.png" stdout -l ita+eng 2>/dev/null
    tesseract "$work/dark.png" stdout -l ita+eng 2>/dev/null
}

# start NAME WIDTH HEIGHT: boots a copy of the image (provisioned by
# provision_NAME when there is one) on a WIDTH×HEIGHT screen with a touch
# panel that reports as an absolute pointer (QEMU's USB tablet).
start() {
    vm=$1 width=$2 height=$3
    local disk=$work/$vm.img
    cp --sparse=always "$image" "$disk"
    if declare -F "provision_$vm" >/dev/null; then "provision_$vm" "$disk"; fi
    started=$SECONDS
    qemu-system-x86_64 -machine q35,accel=$accel -cpu "$cpu" -m 3072 -smp 2 \
        -bios /usr/share/ovmf/OVMF.fd \
        -drive "file=$disk,format=raw,if=virtio" \
        -vga none -device "VGA,edid=on,xres=$width,yres=$height,vgamem_mb=64" \
        -device qemu-xhci -device usb-tablet \
        -nic "user,model=virtio-net-pci,restrict=on,guestfwd=tcp:10.0.2.100:8080-cmd:socat - TCP:127.0.0.1:$port" \
        -display none -monitor "unix:$work/$vm.monitor,server,nowait" \
        -qmp "unix:$work/$vm.qmp,server,nowait" -serial "file:$out/$vm-serial.log" &
    qemu=$!
    pids+=("$qemu")
}

# shoot: the screen now, as $out/$vm.png.
shoot() {
    kill -0 "$qemu" 2>/dev/null || fail "$vm: QEMU stopped; see $out/$vm-serial.log"
    rm -f "$work/$vm.ppm"
    echo "screendump $work/$vm.ppm" | socat - "UNIX-CONNECT:$work/$vm.monitor" >/dev/null 2>&1 || return 1
    sleep 0.5
    [[ -s $work/$vm.ppm ]] || return 1
    convert "$work/$vm.ppm" "$out/$vm.png"
}

# see TURN EXPECTED...: waits (up to $limit s from power-on) until every
# EXPECTED is read on screen, the screenshot turned TURN degrees clockwise
# first (a screen stood on its side shows its picture on its side).
see() {
    local turn=$1 read="" seen expected
    shift
    while ((SECONDS - started < limit)); do
        sleep 3
        shoot || continue
        convert "$out/$vm.png" -rotate "$turn" "$work/upright.png"
        read=$(read_screen "$work/upright.png")
        seen=1
        for expected in "$@"; do
            grep -qF "$expected" <<<"$read" || seen=0
        done
        if ((seen)); then
            echo "check-image: $vm: power-on → on screen in $((SECONDS - started)) s ($accel): $*"
            return 0
        fi
    done
    stop
    fail "$vm: not on screen after $limit s: $*; last read:
$read
see $out/$vm.png, $out/$vm-serial.log and $out/$vm-journal.txt"
}

# dark: waits until the screen shows nothing (at most 2 % of full
# brightness on average).
dark() {
    local mean=1
    while ((SECONDS - started < limit)); do
        sleep 3
        shoot || continue
        mean=$(convert "$out/$vm.png" -colorspace Gray -format '%[fx:mean]' info:)
        if awk -v m="$mean" 'BEGIN { exit !(m < 0.02) }'; then
            echo "check-image: $vm: dark at $((SECONDS - started)) s (mean brightness $mean)"
            return 0
        fi
    done
    stop
    fail "$vm: the screen never went dark (mean brightness $mean); see $out/$vm.png and $out/$vm-journal.txt"
}

# qmp COMMAND...: QEMU's machine protocol, for input.
qmp() {
    { echo '{"execute": "qmp_capabilities"}'; printf '%s\n' "$@"; sleep 0.5; } |
        socat - "UNIX-CONNECT:$work/$vm.qmp" >/dev/null
}

# finger X Y down|up: a finger at (X, Y) of the screen as QEMU shows it,
# landing or lifting: the pointer jumps there and presses at once, the way
# a touch panel that reports as an absolute pointer sends a tap.
finger() {
    local x=$(($1 * 32767 / (width - 1))) y=$(($2 * 32767 / (height - 1)))
    local down=false
    [[ $3 == down ]] && down=true
    qmp "{\"execute\": \"input-send-event\", \"arguments\": {\"events\": [
        {\"type\": \"abs\", \"data\": {\"axis\": \"x\", \"value\": $x}},
        {\"type\": \"abs\", \"data\": {\"axis\": \"y\", \"value\": $y}},
        {\"type\": \"btn\", \"data\": {\"down\": $down, \"button\": \"left\"}}]}}"
}

# fleet_says PATTERN: whether the dev hub's fleet page (the kiosks' last
# heartbeats) comes to match PATTERN within a minute; the page is left in
# $fleet.
fleet_says() {
    for _ in $(seq 20); do
        fleet=$(curl -fsS "http://127.0.0.1:$port/kiosks" -H 'Authorization: Bearer staff-token-qemu')
        grep -q "$1" <<<"$fleet" && return 0
        sleep 3
    done
    return 1
}

# stop: powers the VM off and keeps its journal: the power button first,
# so that the journal reaches the disk (it is written out every few
# minutes otherwise, and the last minute's lines would be missing), then,
# after two minutes, the plug.
stop() {
    qmp '{"execute": "system_powerdown"}' 2>/dev/null || true
    for _ in $(seq 120); do
        kill -0 "$qemu" 2>/dev/null || break
        sleep 1
    done
    echo quit | socat - "UNIX-CONNECT:$work/$vm.monitor" >/dev/null 2>&1 || true
    wait "$qemu" 2>/dev/null || true
    journal "$work/$vm.img" >"$out/$vm-journal.txt" 2>&1 || true
}

# steady: the kiosk ran from its first start to the end, never restarted
# (a frozen frame loop is restarted by the watchdog: it would pass a check
# of what is on screen by starting again).
steady() {
    ! grep -E "portalavoro-kiosk.service: (Scheduled restart|Failed|Watchdog)" "$out/$vm-journal.txt" ||
        fail "$vm: the kiosk was restarted; see $out/$vm-journal.txt"
}

# The guest's journal, read from its state partition after it stopped.
journal() {
    local disk=$1 start size
    read -r start size < <(sfdisk -d "$disk" |
        sed -n 's/.*start= *\([0-9]*\), size= *\([0-9]*\),.*name="portalavoro-state".*/\1 \2/p')
    dd if="$disk" of="$work/state.part" bs=512 skip="$start" count="$size" conv=sparse status=none
    rm -rf "$work/journal"
    mkdir "$work/journal"
    debugfs -R "rdump /log/journal $work/journal" "$work/state.part" >/dev/null 2>&1
    journalctl -D "$work/journal/journal" --no-pager -o short-monotonic
}

# The PORTALAVORO partition (the first, at 1 MiB) as a technician fills it:
# kiosk.toml (KIOSK_TOML lines), hub-token, and a network file.
provision() {
    local fat="$1@@1048576"
    shift
    printf '%s\n' "$@" | mcopy -i "$fat" - ::kiosk.toml
    printf 'kiosk-token-qemu\r\n' | mcopy -i "$fat" - ::hub-token
    mmd -i "$fat" ::network 2>/dev/null || true
    # An address of its own and no gateway: the VM reaches only the hub.
    printf '%s\n' '[Match]' 'Type=ether' '[Network]' 'Address=10.0.2.15/24' |
        mcopy -i "$fat" - ::network/10-qemu.network
}
hub=('[hub]' 'url = "http://10.0.2.100:8080"' 'kiosk_id = "totem-qemu"' 'allow_insecure_http = true')
pin_hash=$(printf '2468\n' | "$CARGO_TARGET_DIR/release/portalavoro-kiosk" --hash-pin)
# A landscape monitor stood on its right-hand side, with a staff PIN.
provision_turned() {
    provision "$1" "${hub[@]}" '[display]' 'rotation = 90' '[diagnostics]' "pin_hash = \"$pin_hash\""
}
# Closed all week (a day not listed is closed), the notice up for two
# minutes (under emulation the first frames alone take a minute: a shorter
# notice went dark before a screenshot could read it).
provision_closed() {
    provision "$1" "${hub[@]}" 'heartbeat_s = 10' '[attract]' 'idle_timeout_s = 120' '[hours]' 'holidays = []'
}

# 1. Provisioned, on a 1920×1080 monitor stood on its right-hand side: the
#    hub's urgent announcement, upright to a visitor; once it ends, a finger
#    held on the top-left corner as the visitor sees it (the monitor's
#    bottom-left) opens the staff PIN pad: the touch turns with the picture.
if wanted turned; then
start turned 1920 1080
see 90 "URGENTE" "${notice##* }"
curl -fsS -X DELETE "http://127.0.0.1:$port/announcements/$notice_id" -H 'Authorization: Bearer staff-token-qemu' ||
    fail "the dev hub does not end the announcement"
see 90 "Tocca"
# (Held 15 s: under emulation a frame can take seconds, and the hold
# counts from the frame that saw the finger land.)
for _ in 1 2 3 4; do
    finger 30 1050 down
    sleep 15
    finger 30 1050 up
    shoot && convert "$out/$vm.png" -rotate 90 "$work/upright.png" &&
        grep -qF "Diagnostica" <<<"$(read_screen "$work/upright.png")" && break
done
see 90 "Diagnostica"
stop
grep -q "touches turned 90°" "$out/$vm-journal.txt" || fail "turned: the touch rule was not installed; see $out/$vm-journal.txt"
steady
fi

# 2. As written, with nothing on the partition: the technician card.
if wanted unprovisioned; then
start unprovisioned 1080 1920
see 0 "Chiosco da configurare" "Nessun hub configurato"
stop
steady
# Its QR code holds the same facts, for a technician's phone.
qr=$(zbarimg -q --raw "$out/unprovisioned.png" 2>/dev/null || true)
grep -q "^PORTALAVORO KIOSK" <<<"$qr" && grep -q "^problem: No hub configured" <<<"$qr" ||
    fail "the technician card's QR code does not read back: ${qr:-nothing}"
fi
# 3. Closed: the notice, then a dark screen that the hub hears is off on
#    purpose, then a touch lights it.
if wanted closed; then
# (The urgent announcement would cover the notice: withdrawn, if the first
# boot did not run.)
curl -fsS -X DELETE "http://127.0.0.1:$port/announcements/$notice_id" -H 'Authorization: Bearer staff-token-qemu' >/dev/null 2>&1 || true
start closed 1080 1920
see 0 "Chiuso"
dark
# Dark for longer than the watchdog's 30 s: a kiosk whose frame loop
# stopped with its output would be restarted (steady, below, fails).
sleep 60
fleet_says '"off_reason": *"closed"' && grep -q '"power": *"off"' <<<"$fleet" ||
    fail "closed: the heartbeat does not say the screen is off on purpose: $fleet"
started_at=$(sed -n 's/.*"started_at": *"\([^"]*\)".*/\1/p' <<<"$fleet")
finger 540 960 down
sleep 0.3
finger 540 960 up
see 0 "Chiuso"
# Lit again, says the heartbeat, from the kiosk that started at boot.
fleet_says '"power": *"on"' || fail "closed: lit, but the heartbeat still says off: $fleet"
grep -qF "\"started_at\":\"$started_at\"" <<<"${fleet// /}" ||
    fail "closed: the kiosk restarted while dark (started at $started_at before): $fleet"
stop
grep -q "screen off" "$out/$vm-journal.txt" && grep -q "screen on" "$out/$vm-journal.txt" ||
    fail "closed: the journal does not have the screen switched off and on again"
steady
fi

echo "check-image: ok ($(du -h --apparent-size "$image" | cut -f1) image; screenshots in $out)"
