#!/usr/bin/env bash
# What the QEMU checks of the totem's image share (scripts/check-image.sh,
# scripts/check-update.sh): KVM or plain emulation, the dev hub on this
# machine's loopback, a VM booted from a copy of the image with a touch
# panel that reports as an absolute pointer, its screen read with OCR, its
# journal read back from its state partition.
#
# Sourced after setting: me (the script's name, for messages), out (where
# screenshots and journals stay) and work (a scratch folder). Optional:
# guestfwd, more of QEMU's guestfwd= rules for the VM's network.

pids=()
cleanup() {
    for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
    rm -rf "$work"
}
trap cleanup EXIT
fail() {
    echo "$me: $*" >&2
    # A VM still up: powered off, its journal kept.
    if [[ -n ${qemu:-} ]] && kill -0 "$qemu" 2>/dev/null; then
        stop
        echo "$me: its journal: $out/$vm-journal.txt" >&2
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
        echo "$me: /dev/kvm cannot run a guest here: plain emulation" >&2
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
        -nic "user,model=virtio-net-pci,restrict=on,guestfwd=tcp:10.0.2.100:8080-cmd:socat - TCP:127.0.0.1:$port${guestfwd:+,$guestfwd}" \
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
            echo "$me: $vm: power-on → on screen in $((SECONDS - started)) s ($accel): $*"
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
            echo "$me: $vm: dark at $((SECONDS - started)) s (mean brightness $mean)"
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
