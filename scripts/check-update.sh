#!/usr/bin/env bash
# The totem's updates, end to end, in QEMU (docs/updates.md): one totem,
# never touched, its disk kept across every restart:
#   1. version N boots and shows the hub's content; its heartbeat says N;
#   2. N+1 is published to its channel, on a plain web server: the totem
#      installs it in its window, restarts into it on trial, the kiosk gets
#      ready, the boot is marked good; the heartbeat says N+1;
#   3. a broken N+2 (its kiosk stops at once, never ready) is published:
#      installed and tried, judged bad, and the totem is back on N+1 by
#      itself, its heartbeat naming N+2 and why it was rolled back, and the
#      hub's content on screen; N+2 is not installed again.
# Prints the figures: the size of each update, and the time from its
# publication (the window is open) to the new version reporting.
#
#   sudo bash scripts/check-update.sh [IMAGE]
# IMAGE: default: build one first (scripts/build-image.sh); its update
# folder (beside it, update/) must be the same build's.
#
# Under plain emulation it takes about an hour, so CI does not run it (CI
# runs scripts/check-image.sh, the same image's other boots); run it after
# changing the image or its update path. N+1 and N+2 are N's files with
# another version in os-release (N+2 also with a drop-in that stops the
# kiosk), so one image build serves all three.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/common.sh
ensure_packages qemu-system-x86 ovmf socat mtools imagemagick tesseract-ocr tesseract-ocr-ita curl e2fsprogs fdisk xz-utils python3
export MTOOLS_SKIP_CHECK=1
image=${1:-}
[[ -n $image ]] || image=$(bash scripts/build-image.sh | tail -1)
built=$(dirname "$image")/update
out=$CARGO_TARGET_DIR/image/check-update
rm -rf "$out"
mkdir -p "$out"
work=$(mktemp -d /var/tmp/portalavoro-update.XXXXXX)
me=check-update
. scripts/qemu-totem.sh

# The versions.
n=$(sfdisk -d "$image" | sed -n 's/.*name="portalavoro_\([0-9.]*\)".*/\1/p')
[[ -n $n && -e $built/portalavoro_$n.conf ]] || fail "$image and $built are not one build (version ${n:-none})"
n1=$n.1 n2=$n.2
echo "$me: N = $n, N+1 = $n1, N+2 = $n2 ($accel)"

# derive VERSION [DROP_IN]: N's update as VERSION, in $work/VERSION/: the
# same files, another IMAGE_VERSION in os-release, and DROP_IN (a unit
# drop-in for the kiosk) if given.
derive() {
    local version=$1 drop_in=${2:-} dir=$work/$1 from=$built/portalavoro_$n
    local name=portalavoro_$version
    mkdir -p "$dir"
    xz -dc "$from.root.raw.xz" >"$dir/root.raw"
    debugfs -R "cat /usr/lib/os-release" "$dir/root.raw" 2>/dev/null |
        sed "s/^IMAGE_VERSION=.*/IMAGE_VERSION=$version/" >"$dir/os-release"
    grep -q "^IMAGE_VERSION=$version$" "$dir/os-release" || fail "derive $version: no IMAGE_VERSION in N's os-release"
    chmod 0644 "$dir/os-release"
    local commands=("rm /usr/lib/os-release" "write $dir/os-release /usr/lib/os-release")
    if [[ -n $drop_in ]]; then
        printf '%s\n' "$drop_in" >"$dir/drop-in.conf"
        chmod 0644 "$dir/drop-in.conf"
        commands+=("mkdir /etc/systemd/system/portalavoro-kiosk.service.d"
            "write $dir/drop-in.conf /etc/systemd/system/portalavoro-kiosk.service.d/broken.conf")
    fi
    printf '%s\n' "${commands[@]}" | debugfs -w -f - "$dir/root.raw" >/dev/null 2>&1
    e2fsck -fn "$dir/root.raw" >/dev/null || fail "derive $version: the file system is damaged"
    xz -T0 -1 -c "$dir/root.raw" >"$dir/$name.root.raw.xz"
    rm "$dir/root.raw"
    cp "$from.vmlinuz" "$dir/$name.vmlinuz"
    cp "$from.initrd" "$dir/$name.initrd"
    sed "s/$n/$version/g" "$from.conf" >"$dir/$name.conf"
    (cd "$dir" && sha256sum -- portalavoro_* >SHA256SUMS)
}
derive "$n1"
derive "$n2" $'[Service]\nExecStart=\nExecStart=/bin/false'

# The channel, on a plain web server on this machine's loopback; the VM
# reaches it as 10.0.2.101:8080.
channels=$work/www
mkdir -p "$channels/pilot"
wport=$((20000 + RANDOM % 20000))
python3 -m http.server --bind 127.0.0.1 --directory "$channels" "$wport" >"$out/www.log" 2>&1 &
pids+=($!)
guestfwd="guestfwd=tcp:10.0.2.101:8080-cmd:socat - TCP:127.0.0.1:$wport"
# publish VERSION: VERSION into the channel, as a technician would.
publish() {
    bash scripts/publish-update.sh "$channels/pilot" "$work/$1" | sed "s/^/$me: /"
    published=$SECONDS
}

# The window: open now, whatever the time (a verdict never depends on the
# clock), in the kiosk's time zone.
window="$(TZ=Europe/Rome date -d '-1 hour' +%H:%M)-$(TZ=Europe/Rome date -d '+4 hours' +%H:%M)"
provision_totem() {
    provision "$1" "${hub[@]}" 'heartbeat_s = 10' \
        '[updates]' 'source = "http://10.0.2.101:8080"' 'channel = "pilot"' "window = \"$window\""
}

# reports VERSION [PATTERN] TIMEOUT_S: waits until the totem's heartbeat says
# it runs VERSION (and matches PATTERN); the heartbeat is left in $beat.
reports() {
    local version=$1 pattern=$2 timeout=$3 begun=$SECONDS
    while ((SECONDS - begun < timeout)); do
        kill -0 "$qemu" 2>/dev/null || fail "QEMU stopped; see $out/$vm-serial.log"
        beat=$(curl -fsS "http://127.0.0.1:$port/kiosks" -H 'Authorization: Bearer staff-token-qemu')
        # (Read without the spaces between JSON tokens.)
        local tight
        tight=$(sed 's/": /":/g; s/, "/,"/g' <<<"$beat")
        if grep -qF "\"version\":\"$version\"" <<<"$tight" && grep -qE "$pattern" <<<"$tight"; then
            return 0
        fi
        sleep 5
    done
    stop
    fail "the totem did not report $version ($pattern) within $timeout s; last heartbeat: $beat"
}
# Power-on to content, or a whole update, may take many minutes under
# emulation.
patience=$((limit * 3))

# 1. N boots and shows the hub's content.
start totem 1080 1920
see 0 "Tocca"
reports "$n" '"rolled_back":null' "$limit"
echo "$me: N ($n) runs"

# 2. N+1, published in the window: installed, tried, kept.
publish "$n1"
reports "$n1" '"rolled_back":null' "$patience"
echo "$me: N+1 ($n1) reports $((SECONDS - published)) s after it was published"
started=$SECONDS
see 0 "Tocca"

# 3. A broken N+2: tried, judged bad, the totem back on N+1 by itself.
publish "$n2"
reports "$n1" "\"rolled_back\":\\{[^}]*\"version\":\"$n2\"" "$patience"
echo "$me: N+2 ($n2) rolled back: N+1 reports it $((SECONDS - published)) s after N+2 was published"
started=$SECONDS
see 0 "Tocca"
# Left alone a while longer: N+2 is not tried again.
sleep $((limit / 2))
stop
grep -F "portalavoro-healthy" "$out/$vm-journal.txt" >"$out/verdicts.txt" || true
grep -q "$n1 is good" "$out/verdicts.txt" || fail "no good verdict on N+1 in the journal; see $out/$vm-journal.txt"
grep -q "$n2 is bad" "$out/verdicts.txt" || fail "no bad verdict on N+2 in the journal; see $out/$vm-journal.txt"
installs=$(grep -c "portalavoro-update: .*installing $n2" "$out/$vm-journal.txt" || true)
((installs == 1)) || fail "N+2 was installed $installs times; see $out/$vm-journal.txt"

echo "$me: the heartbeat after the rollback: $(grep -o '"image": *{[^}]*}[^}]*}' <<<"$beat")"
for version in "$n1" "$n2"; do
    echo "$me: the update to $version: $(du -ch "$work/$version"/portalavoro_* | tail -1 | cut -f1) to download" \
        "($(du -h "$work/$version/portalavoro_$version.root.raw.xz" | cut -f1) of it the system)"
done
echo "$me: ok (journal, screenshots: $out)"
