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
me=check-image
. scripts/qemu-totem.sh

notice="Prova immagine $((1000 + RANDOM % 9000))"
notice_id=$(curl -fsS -X POST "http://127.0.0.1:$port/announcements" \
    -H 'Authorization: Bearer staff-token-qemu' -H 'Content-Type: application/json' \
    -d "{\"text\": \"$notice\", \"level\": \"urgent\"}" | sed -n 's/.*"id": *"\([^"]*\)".*/\1/p') ||
    fail "the dev hub does not take the announcement"
[[ -n $notice_id ]] || fail "the dev hub gave the announcement no id"

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
# Its QR code holds the same facts, for a technician's phone. (Read from
# later shots too: under emulation a screendump can catch the guest halfway
# through drawing a frame, the text already there and the rest still black.)
qr=""
for _ in 1 2 3 4 5 6 7 8 9 10; do
    shoot && qr=$(zbarimg -q --raw "$out/$vm.png" 2>/dev/null) && break
    sleep 3
done
stop
steady
grep -q "^PORTALAVORO KIOSK" <<<"$qr" && grep -q "^problem: No hub configured" <<<"$qr" ||
    fail "the technician card's QR code does not read back: ${qr:-nothing}; see $out/$vm.png"
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
# The heartbeat carries the system version, as the root partition is named.
system=$(sfdisk -d "$image" | sed -n 's/.*name="portalavoro_\([0-9.]*\)".*/\1/p')
[[ -n $system ]] && grep -qF "\"version\":\"$system\"" <<<"${fleet// /}" ||
    fail "closed: the heartbeat does not carry the system version $system: $fleet"
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
