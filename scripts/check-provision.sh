#!/usr/bin/env bash
# Provisioning without a keyboard (systemd/portalavoro-provision), on a real
# FAT file system as a laptop writes it: a valid kiosk.toml is applied, the
# token and the Wi-Fi passphrase leave the partition for root-only files,
# an invalid kiosk.toml is refused (the totem keeps its own) with the reason
# on the partition and for the technician card, and a totem without the
# partition starts as it is. Uses the release build of the kiosk to check
# kiosk.toml, as the totem does.
#   bash scripts/check-provision.sh
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/common.sh
ensure_packages mtools dosfstools
export MTOOLS_SKIP_CHECK=1
kiosk=$CARGO_TARGET_DIR/release/portalavoro-kiosk
[[ -x $kiosk ]] || cargo build --release --quiet --bin portalavoro-kiosk
provision=$PWD/systemd/portalavoro-provision
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fail() {
    echo "check-provision: $*" >&2
    exit 1
}
# A fresh partition holding the named files (NAME=CONTENT).
partition() {
    rm -f "$work/fat.img"
    mkfs.vfat -C -n PORTALAVORO "$work/fat.img" 2048 >/dev/null
    local pair
    for pair in "$@"; do
        if [[ ${pair%%=*} == */* ]]; then mmd -D s -i "$work/fat.img" "::${pair%%/*}" 2>/dev/null || true; fi
        # As Windows writes text: CRLF.
        printf '%s' "${pair#*=}" | sed 's/$/\r/' | mcopy -i "$work/fat.img" - "::${pair%%=*}"
    done
}
run() {
    PROVISION_ROOT=$work/root KIOSK_BIN=$kiosk bash "$provision" "$work/fat.img" 2>"$work/said" ||
        fail "exit $?: $(cat "$work/said")"
}
on_fat() { mdir -b -i "$work/fat.img" "::$1" >/dev/null 2>&1; }

# 1. Everything at once, as a technician prepares forty sticks.
mkdir -p "$work/root"
partition \
    "kiosk.toml=[hub]
url = \"https://hub.example.org/api/v1\"
kiosk_id = \"totem-matera-1\"
" \
    "hub-token=s3cr3t-token-of-totem-1" \
    "wifi.txt=ssid = \"Portalavoro Ospiti\"
passphrase = \"una-frase-lunga\"" \
    "network/10-lan.network=[Match]
Name=en*
[Network]
Address=10.0.5.20/24"
run
etc=$work/root/etc/portalavoro
grep -qx 'kiosk_id = "totem-matera-1"' "$etc/kiosk.toml" || fail "kiosk.toml not applied: $(cat "$work/said")"
grep -q $'\r' "$etc/kiosk.toml" && fail "kiosk.toml kept Windows line ends"
[[ $(cat "$etc/hub-token") == s3cr3t-token-of-totem-1 ]] || fail "token not applied"
[[ $(stat -c %a "$etc/hub-token") == 600 ]] || fail "token readable by others"
on_fat hub-token && fail "the token stays on the partition any laptop reads"
mtype -i "$work/fat.img" ::hub-token-applied.txt | grep -q "applied" || fail "no hub-token-applied.txt"
psk="$work/root/var/lib/iwd/Portalavoro Ospiti.psk"
grep -qx 'Passphrase=una-frase-lunga' "$psk" || fail "Wi-Fi not applied"
[[ $(stat -c %a "$psk") == 600 ]] || fail "Wi-Fi passphrase readable by others"
mtype -i "$work/fat.img" ::wifi.txt | grep -q una-frase-lunga && fail "the passphrase stays on the partition"
grep -qx 'Address=10.0.5.20/24' "$work/root/run/systemd/network/10-lan.network" || fail "network file not applied"
[[ -e $work/root/run/portalavoro/provision-error ]] && fail "an error where there is none: $(cat "$work/root/run/portalavoro/provision-error")"

# 2. The next boot, the stick's kiosk.toml broken: refused, the totem keeps
#    the one it has, and says why on the partition and to the card.
partition "kiosk.toml=[hub]
url = \"https://hub.example.org/api/v1\"
pol_s = 60
"
run
grep -qx 'kiosk_id = "totem-matera-1"' "$etc/kiosk.toml" || fail "a broken kiosk.toml replaced the good one"
[[ -e $etc/kiosk.toml.new ]] && fail "a refused file is left behind"
grep -q "hub.pol_s" "$work/root/run/portalavoro/provision-error" || fail "the card is not told why: $(cat "$work/said")"
mtype -i "$work/fat.img" ::PROVISIONING-ERROR.txt | grep -q "kiosk.toml:3" ||
    fail "the partition does not say where: $(mtype -i "$work/fat.img" ::PROVISIONING-ERROR.txt)"
[[ $(cat "$etc/hub-token") == s3cr3t-token-of-totem-1 ]] || fail "the token was lost"

# 2b. The file mended on the same partition: applied, and the note of the
#     refusal leaves the partition.
printf '[hub]\r\nurl = "https://hub.example.org/api/v1"\r\nkiosk_id = "totem-matera-2"\r\n' |
    mcopy -o -i "$work/fat.img" - ::kiosk.toml
run
grep -qx 'kiosk_id = "totem-matera-2"' "$etc/kiosk.toml" || fail "the mended kiosk.toml was not applied"
on_fat PROVISIONING-ERROR.txt && fail "the old refusal stays on the partition"

# 3. No partition: nothing changes, and the last error is forgotten.
PROVISION_ROOT=$work/root KIOSK_BIN=$kiosk bash "$provision" "$work/none.img" 2>"$work/said" ||
    fail "without a partition: exit $?"
grep -q "no PORTALAVORO partition" "$work/said" || fail "$(cat "$work/said")"
[[ -e $work/root/run/portalavoro/provision-error ]] && fail "an old error stays"
grep -qx 'kiosk_id = "totem-matera-2"' "$etc/kiosk.toml" || fail "kiosk.toml changed without a partition"
echo "check-provision: ok (applied, secrets moved off the partition, a broken file refused, no partition)"
