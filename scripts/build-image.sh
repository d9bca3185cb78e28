#!/usr/bin/env bash
# Builds the totem's disk image: a bootable UEFI disk of the current Debian
# stable with the kiosk's package, cage, Mesa, espeak-ng and nothing a lobby
# does not need (no SSH server, no compiler, no desktop), the system on a
# read-only partition and its state on one of its own, and the PORTALAVORO
# partition a technician writes the totem's settings to (image/README.md).
# The system has two root partitions, A and B: an update (docs/updates.md)
# goes to the one not running. Beside the disk, the same version as an
# update (update/: the root file system, kernel, initrd and boot entry,
# with SHA256SUMS), for scripts/publish-update.sh.
#
#   sudo bash scripts/build-image.sh [IMAGE]
#
# IMAGE defaults to $CARGO_TARGET_DIR/image/portalavoro-totem.img. Needs root
# (mmdebstrap makes the tree as root) and Debian's mirror; about 8 minutes
# after the release build. SUITE (default trixie) and MIRROR change where
# Debian comes from; IMAGE_VERSION names the system version (default: the
# kiosk's version and the build's UTC date and time, e.g.
# 0.9.0.202612031015; digits and dots, each build newer than the last).
# The tree is made with mmdebstrap, and laid on the disk with sfdisk,
# mkfs.ext4 -d and mtools: no loop device, no mount, so it also builds in a
# container.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/common.sh
# mmdebstrap makes the tree as root.
[[ $(id -u) == 0 ]] || exec sudo --preserve-env=CARGO_TARGET_DIR,SUITE,MIRROR,IMAGE_VERSION bash "$0" "$@"
ensure_packages mmdebstrap fdisk dosfstools mtools e2fsprogs xz-utils
export MTOOLS_SKIP_CHECK=1
image=${1:-$CARGO_TARGET_DIR/image/portalavoro-totem.img}
suite=${SUITE:-trixie}
mirror=${MIRROR:-http://deb.debian.org/debian}
mkdir -p "$(dirname "$image")"
work=$(mktemp -d /var/tmp/portalavoro-image.XXXXXX)
trap 'rm -rf "$work"' EXIT
started=$(date +%s)

deb=$(bash scripts/package.sh | sed -n 1p)
cp "$deb" "$work/portalavoro-kiosk.deb"
version=$(dpkg-deb -f "$deb" Version)
image_version=${IMAGE_VERSION:-$(tr -c '0-9\n' . <<<"$version").$(date -u +%Y%m%d%H%M)}
[[ $image_version =~ ^[0-9]+(\.[0-9]+)*$ ]] ||
    { echo "build-image: IMAGE_VERSION $image_version: digits and dots only" >&2; exit 2; }
updates=$(dirname "$image")/update

# What a lobby needs, and no more. The kiosk's package brings cage, Mesa
# (lavapipe included), espeak-ng and mtools as its dependencies.
packages=(
    # Boot: the kernel, its initramfs, systemd and its boot loader;
    # updates: systemd-sysupdate (in systemd-container) and boot counting
    # (systemd-bless-boot, in systemd-boot).
    linux-image-amd64 initramfs-tools systemd systemd-sysv udev systemd-boot-efi
    systemd-boot systemd-container
    # Network: wired by DHCP with nothing to set, Wi-Fi by iwd, names, time.
    systemd-resolved systemd-timesyncd iwd ca-certificates
    # Graphics for real mini-PCs (Intel, AMD), and their CPUs' microcode.
    firmware-intel-graphics firmware-amd-graphics firmware-realtek firmware-iwlwifi
    intel-microcode amd64-microcode
    # Sound; a file system check for the state partition at boot.
    alsa-ucm-conf e2fsprogs dbus kmod tzdata wireless-regdb
    # HDMI-CEC (cec-ctl): a screen that supports it goes on standby when
    # the hub is closed.
    v4l-utils
)
mmdebstrap --variant=minbase --components="main non-free-firmware" \
    --include="$(IFS=,; echo "${packages[*]}")" \
    --customize-hook="copy-in $work/portalavoro-kiosk.deb /tmp" \
    --customize-hook='chroot "$1" apt-get install -y --no-install-recommends /tmp/portalavoro-kiosk.deb' \
    --customize-hook="sync-in $PWD/image/rootfs /" \
    --customize-hook="bash $PWD/image/customize.sh \"\$1\" $image_version" \
    "$suite" "$work/tree" "$mirror"

tree=$work/tree
# This version as an update: what systemd-sysupdate fetches (the root file
# system follows, once made).
rm -rf "$updates"
mkdir -p "$updates"
name=portalavoro_$image_version
kernel=$(find "$tree/boot" -name 'vmlinuz-*' | sort -V | tail -1)
cp "$kernel" "$updates/$name.vmlinuz"
cp "$tree/boot/initrd.img-${kernel##*/vmlinuz-}" "$updates/$name.initrd"
sed "s/@VERSION@/$image_version/g" image/esp/entry.conf >"$updates/$name.conf"

# The ESP: systemd-boot at the removable-media path (no firmware entry to
# write), and this version's kernel, initrd and boot entry, as an update
# would write them (the entry without tries: this version is good).
esp=$work/esp.img
mkfs.vfat -C -F 32 -n ESP "$esp" $((256 * 1024)) >/dev/null
mmd -i "$esp" ::EFI ::EFI/BOOT ::loader ::loader/entries ::portalavoro
mcopy -i "$esp" "$tree/usr/lib/systemd/boot/efi/systemd-bootx64.efi" ::EFI/BOOT/BOOTX64.EFI
mcopy -i "$esp" image/esp/loader/loader.conf ::loader/loader.conf
mcopy -i "$esp" "$updates/$name.conf" "::loader/entries/$name.conf"
mcopy -i "$esp" "$updates/$name.vmlinuz" "$updates/$name.initrd" ::portalavoro/

# The PORTALAVORO partition: what to put there, and examples.
provision=$work/provision.img
mkfs.vfat -C -n PORTALAVORO "$provision" $((16 * 1024)) >/dev/null
mcopy -s -i "$provision" image/provision/* ::

# /var is the state partition: seeded with the tree's, empty on the root.
# Its folders stay on the root as mount points: what starts before /var
# is mounted (systemd-resolved's private /var/tmp) finds them there.
mv "$tree/var" "$work/var"
(cd "$work/var" && find . -type d -print0) | (cd "$tree" && mkdir -p var && cd var && xargs -0 mkdir -p)
state_mib=1024
mkfs.ext4 -q -L portalavoro-var -d "$work/var" "$work/state.img" "${state_mib}M"
root_mib=$(( $(du -sm "$tree" | cut -f1) * 115 / 100 + 64 ))
mkfs.ext4 -q -L portalavoro-root -d "$tree" "$work/root.img" "${root_mib}M"
# Each root partition with room for versions to come: half as much again,
# and at least 2 GiB.
slot_mib=$(( root_mib * 3 / 2 > 2048 ? root_mib * 3 / 2 : 2048 ))
xz -T0 -6 -c "$work/root.img" >"$updates/$name.root.raw.xz"
(cd "$updates" && sha256sum -- portalavoro_* >SHA256SUMS)

# The disk: GPT, 1 MiB aligned. PORTALAVORO first: the partition a laptop
# shows when the disk or stick is plugged in.
mib=2048 # sectors
parts=(
    "PORTALAVORO EBD0A0A2-B9E5-4433-87C0-68B6B72699C7 16 $provision"
    "ESP C12A7328-F81F-11D2-BA4B-00A0C93EC93B 256 $esp"
    "$name 4F68BCE3-E8CD-4DB1-96E7-FBCAF984B709 $slot_mib $work/root.img"
    "_empty 4F68BCE3-E8CD-4DB1-96E7-FBCAF984B709 $slot_mib -"
    "portalavoro-state 0FC63DAF-8483-4772-8E79-3D69D8477DE4 $state_mib $work/state.img"
)
table="label: gpt"$'\n'
start=$mib
for part in "${parts[@]}"; do
    read -r label type size _ <<<"$part"
    table+="start=$start, size=$((size * mib)), type=$type, name=\"$label\""$'\n'
    start=$((start + size * mib))
done
rm -f "$image"
truncate -s $(((start + mib) * 512)) "$image"
sfdisk --quiet "$image" <<<"$table"
start=$mib
for part in "${parts[@]}"; do
    read -r _ _ size file <<<"$part"
    [[ $file == - ]] || dd if="$file" of="$image" bs=1M seek=$((start / mib)) conv=notrunc,sparse status=none
    start=$((start + size * mib))
done
elapsed=$(($(date +%s) - started))
echo "build-image: $image ($image_version, kiosk $version, $(du -h --apparent-size "$image" | cut -f1) disk, $(du -h "$image" | cut -f1) written, ${elapsed}s); as an update: $updates ($(du -ch "$updates"/portalavoro_* | tail -1 | cut -f1))" >&2
echo "$image"
