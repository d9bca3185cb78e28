#!/usr/bin/env bash
# Run by scripts/build-image.sh on the image's tree ($1), after the packages
# and image/rootfs are in: what makes a Debian system a totem. $2 is the
# system version.
set -euo pipefail
tree=$1
version=$2
in_tree() { chroot "$tree" "$@"; }

# The system is read-only: the kiosk's settings (kiosk.toml, hub-token,
# written by the provisioning at boot) live with its state on /var.
mkdir -p "$tree/var/lib/portalavoro"
mv "$tree/etc/portalavoro" "$tree/var/lib/portalavoro/etc"
ln -s /var/lib/portalavoro/etc "$tree/etc/portalavoro"

# Network by systemd-networkd (wired by DHCP, Wi-Fi through iwd), names by
# systemd-resolved, time by NTP; settings from the PORTALAVORO partition
# first, then the kiosk. No SSH server, no login on the screen.
ln -sf ../run/systemd/resolve/stub-resolv.conf "$tree/etc/resolv.conf"
in_tree systemctl enable systemd-networkd systemd-resolved systemd-timesyncd iwd \
    portalavoro-provision.service portalavoro-kiosk.service

# Updates (docs/updates.md): the version, as systemd-sysupdate reads it; the
# ESP's mount point; the timer that looks for a new version, and the health
# check that judges one on trial. Not systemd's own sysupdate timer: ours
# knows the kiosk's window and source.
printf 'IMAGE_ID=portalavoro\nIMAGE_VERSION=%s\n' "$version" >>"$tree/usr/lib/os-release"
mkdir -p "$tree/efi"
in_tree systemctl enable portalavoro-update.timer portalavoro-healthy.service
in_tree passwd --lock root >/dev/null
ln -sf /usr/share/zoneinfo/Europe/Rome "$tree/etc/localtime"
echo Europe/Rome >"$tree/etc/timezone"

# Each totem its own machine id, from its firmware (systemd.machine_id= on
# the boot entry): the file stays empty on the read-only system.
: >"$tree/etc/machine-id"
rm -f "$tree/var/lib/dbus/machine-id" "$tree/tmp/portalavoro-kiosk.deb"
