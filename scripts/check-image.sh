#!/usr/bin/env bash
# Boots the totem's image in QEMU (KVM when /dev/kvm is there, else plain
# emulation) on a portrait 1080×1920 screen, twice, and reads the screen
# through QEMU's monitor with OCR:
#   1. provisioned as a technician would (kiosk.toml, hub-token and a
#      network file on the PORTALAVORO partition) with a dev hub on this
#      machine holding an urgent announcement: the hub's announcement is on
#      screen; prints the time from power-on;
#   2. as written, with nothing on the partition: the technician card, and
#      its QR code read back with zbarimg.
# The VM reaches nothing but the dev hub (QEMU's user network, restricted,
# with one forwarded address).
#
#   sudo bash scripts/check-image.sh [IMAGE]     (default: build it first)
#
# Screenshots and serial logs stay in $CARGO_TARGET_DIR/image/check/.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/common.sh
ensure_packages qemu-system-x86 ovmf socat mtools imagemagick tesseract-ocr tesseract-ocr-ita zbar-tools curl e2fsprogs fdisk
export MTOOLS_SKIP_CHECK=1
image=${1:-}
[[ -n $image ]] || image=$(bash scripts/build-image.sh | tail -1)
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
curl -fsS -X POST "http://127.0.0.1:$port/announcements" \
    -H 'Authorization: Bearer staff-token-qemu' -H 'Content-Type: application/json' \
    -d "{\"text\": \"$notice\", \"level\": \"urgent\"}" >/dev/null || fail "the dev hub does not take the announcement"

# What the screen reads, light text on dark and dark on light.
read_screen() {
    local shot=$1
    convert "$shot" -colorspace Gray -threshold 50% -negate "$work/light.png"
    convert "$shot" -colorspace Gray -threshold 50% "$work/dark.png"
    tesseract "$work/light.png" stdout -l ita+eng 2>/dev/null
    tesseract "$work/dark.png" stdout -l ita+eng 2>/dev/null
}

# boot NAME EXPECTED... : boots a copy of the image, waits (up to $limit s)
# for every EXPECTED to be read on screen, keeps the last screenshot.
boot() {
    local name=$1
    shift
    local disk=$work/$name.img mon=$work/$name.monitor
    cp --sparse=always "$image" "$disk"
    [[ $name == provisioned ]] && provision "$disk"
    local started=$SECONDS
    qemu-system-x86_64 -machine q35,accel=$accel -cpu "$cpu" -m 3072 -smp 2 \
        -bios /usr/share/ovmf/OVMF.fd \
        -drive "file=$disk,format=raw,if=virtio" \
        -vga none -device VGA,edid=on,xres=1080,yres=1920,vgamem_mb=64 \
        -nic "user,model=virtio-net-pci,restrict=on,guestfwd=tcp:10.0.2.100:8080-cmd:socat - TCP:127.0.0.1:$port" \
        -display none -monitor "unix:$mon,server,nowait" -serial "file:$out/$name-serial.log" &
    pids+=($!)
    local qemu=$! read="" seen
    while ((SECONDS - started < limit)); do
        sleep 3
        kill -0 "$qemu" 2>/dev/null || fail "$name: QEMU stopped; see $out/$name-serial.log"
        echo "screendump $work/$name.ppm" | socat - "UNIX-CONNECT:$mon" >/dev/null 2>&1 || continue
        sleep 0.5
        [[ -s $work/$name.ppm ]] || continue
        convert "$work/$name.ppm" "$out/$name.png"
        read=$(read_screen "$out/$name.png")
        seen=1
        for expected in "$@"; do
            grep -qF "$expected" <<<"$read" || seen=0
        done
        if ((seen)); then
            echo "check-image: $name: power-on → on screen in $((SECONDS - started)) s ($accel): $*"
            echo quit | socat - "UNIX-CONNECT:$mon" >/dev/null 2>&1 || true
            wait "$qemu" 2>/dev/null || true
            return 0
        fi
    done
    echo quit | socat - "UNIX-CONNECT:$mon" >/dev/null 2>&1 || true
    wait "$qemu" 2>/dev/null || true
    journal "$disk" >"$out/$name-journal.txt" 2>&1 || true
    fail "$name: not on screen after $limit s: $*; last read:
$read
see $out/$name.png, $out/$name-serial.log and $out/$name-journal.txt"
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

# The PORTALAVORO partition (the first, at 1 MiB) as a technician fills it.
provision() {
    local fat="$1@@1048576"
    printf '%s\n' '[hub]' 'url = "http://10.0.2.100:8080"' 'kiosk_id = "totem-qemu"' \
        'allow_insecure_http = true' | mcopy -i "$fat" - ::kiosk.toml
    printf 'kiosk-token-qemu\r\n' | mcopy -i "$fat" - ::hub-token
    mmd -i "$fat" ::network 2>/dev/null || true
    # An address of its own and no gateway: the VM reaches only the hub.
    printf '%s\n' '[Match]' 'Type=ether' '[Network]' 'Address=10.0.2.15/24' |
        mcopy -i "$fat" - ::network/10-qemu.network
}

boot provisioned "URGENTE" "${notice##* }"
boot unprovisioned "Chiosco da configurare" "Nessun hub configurato"
# Its QR code holds the same facts, for a technician's phone.
qr=$(zbarimg -q --raw "$out/unprovisioned.png" 2>/dev/null || true)
grep -q "^PORTALAVORO KIOSK" <<<"$qr" && grep -q "^problem: No hub configured" <<<"$qr" ||
    fail "the technician card's QR code does not read back: ${qr:-nothing}"
echo "check-image: ok ($(du -h --apparent-size "$image" | cut -f1) image; screenshots in $out)"
