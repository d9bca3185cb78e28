#!/usr/bin/env bash
# Builds the totem's disk image: a bootable UEFI disk of the current Debian
# stable with the kiosk's package, cage, Mesa, espeak-ng and nothing a lobby
# does not need (no SSH server, no compiler, no desktop), the system on a
# read-only partition and its state on one of its own, and the PORTALAVORO
# partition a technician writes the totem's settings to (image/README.md).
#
#   sudo bash scripts/build-image.sh [IMAGE]
#
# IMAGE defaults to $CARGO_TARGET_DIR/image/portalavoro-totem.img. Needs root
# (mmdebstrap makes the tree as root) and Debian's mirror; about 5 minutes
# after the release build. SUITE (default trixie) and MIRROR change where
# Debian comes from. The tree is made with mmdebstrap, and laid on the disk
# with sfdisk, mkfs.ext4 -d and mtools: no loop device, no mount, so it
# also builds in a container.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/common.sh
# mmdebstrap makes the tree as root.
[[ $(id -u) == 0 ]] || exec sudo --preserve-env=CARGO_TARGET_DIR,SUITE,MIRROR bash "$0" "$@"
ensure_packages mmdebstrap fdisk dosfstools mtools e2fsprogs
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

# What a lobby needs, and no more. The kiosk's package brings cage, Mesa
# (lavapipe included), espeak-ng and mtools as its dependencies.
packages=(
    # Boot: the kernel, its initramfs, systemd and its boot loader.
    linux-image-amd64 initramfs-tools systemd systemd-sysv udev systemd-boot-efi
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
    --customize-hook="bash $PWD/image/customize.sh \"\$1\"" \
    "$suite" "$work/tree" "$mirror"

tree=$work/tree
# The ESP: systemd-boot at the removable-media path (no firmware entry to
# write), the kernel and its initramfs, the one boot entry.
kernel=$(find "$tree/boot" -name 'vmlinuz-*' | sort -V | tail -1)
initrd=$tree/boot/initrd.img-${kernel##*/vmlinuz-}
esp=$work/esp.img
mkfs.vfat -C -F 32 -n ESP "$esp" $((256 * 1024)) >/dev/null
mmd -i "$esp" ::EFI ::EFI/BOOT ::loader ::loader/entries ::portalavoro
mcopy -i "$esp" "$tree/usr/lib/systemd/boot/efi/systemd-bootx64.efi" ::EFI/BOOT/BOOTX64.EFI
mcopy -i "$esp" image/esp/loader/loader.conf ::loader/loader.conf
mcopy -i "$esp" image/esp/loader/entries/portalavoro.conf ::loader/entries/portalavoro.conf
mcopy -i "$esp" "$kernel" ::portalavoro/vmlinuz
mcopy -i "$esp" "$initrd" ::portalavoro/initrd.img

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

# The disk: GPT, 1 MiB aligned. PORTALAVORO first: the partition a laptop
# shows when the disk or stick is plugged in.
mib=2048 # sectors
parts=(
    "PORTALAVORO EBD0A0A2-B9E5-4433-87C0-68B6B72699C7 16 $provision"
    "ESP C12A7328-F81F-11D2-BA4B-00A0C93EC93B 256 $esp"
    "portalavoro-root 4F68BCE3-E8CD-4DB1-96E7-FBCAF984B709 $root_mib $work/root.img"
    "portalavoro-state 0FC63DAF-8483-4772-8E79-3D69D8477DE4 $state_mib $work/state.img"
)
table="label: gpt"$'\n'
start=$mib
for part in "${parts[@]}"; do
    read -r name type size _ <<<"$part"
    table+="start=$start, size=$((size * mib)), type=$type, name=\"$name\""$'\n'
    start=$((start + size * mib))
done
rm -f "$image"
truncate -s $(((start + mib) * 512)) "$image"
sfdisk --quiet "$image" <<<"$table"
start=$mib
for part in "${parts[@]}"; do
    read -r _ _ size file <<<"$part"
    dd if="$file" of="$image" bs=1M seek=$((start / mib)) conv=notrunc,sparse status=none
    start=$((start + size * mib))
done
elapsed=$(($(date +%s) - started))
echo "build-image: $image ($version, $(du -h --apparent-size "$image" | cut -f1) disk, $(du -h "$image" | cut -f1) written, ${elapsed}s)" >&2
echo "$image"
