#!/usr/bin/env bash
# Builds the Debian package and checks it: what it installs, that the
# configuration is a conffile, what it depends on, that the systemd units
# verify, and that the totem service is rated "OK" or better by
# `systemd-analyze security`. Run by scripts/test.sh.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/common.sh
ensure_packages systemd cage seatd
debs=$(bash scripts/package.sh)
deb=$(sed -n 1p <<<"$debs")
hub_deb=$(sed -n 2p <<<"$debs")
fail() { echo "check-package: $*" >&2; exit 1; }

contents=$(dpkg-deb -c "$deb" | awk '{print $6}')
for path in \
    ./usr/bin/portalavoro-kiosk \
    ./etc/portalavoro/kiosk.toml \
    ./etc/pam.d/portalavoro-kiosk \
    ./usr/lib/systemd/system/portalavoro-kiosk.service \
    ./usr/lib/systemd/user/portalavoro-kiosk-desktop.service \
    ./usr/lib/systemd/system/portalavoro-provision.service \
    ./usr/lib/portalavoro-kiosk/provision \
    ./usr/lib/sysusers.d/portalavoro-kiosk.conf \
    ./usr/lib/tmpfiles.d/portalavoro-kiosk.conf \
    ./usr/lib/sysctl.d/60-portalavoro-kiosk.conf \
    ./usr/lib/systemd/logind.conf.d/portalavoro-kiosk.conf \
    ./usr/share/portalavoro-kiosk/attract/welcome-portrait.jpg \
    ./usr/share/portalavoro-kiosk/audio/click.wav \
    ./usr/share/doc/portalavoro-kiosk/deployment.md \
    ./usr/share/doc/portalavoro-kiosk/LICENSE-OFL.txt; do
    grep -qxF "$path" <<<"$contents" || fail "$deb lacks $path"
done

control=$(mktemp -d)
dpkg-deb -e "$deb" "$control"
grep -qxF /etc/portalavoro/kiosk.toml "$control/conffiles" || fail "kiosk.toml is not a conffile"
depends=$(dpkg-deb -f "$deb" Depends)
for package in cage seatd wlr-randr libasound2 libvulkan1 mesa-vulkan-drivers espeak-ng; do
    grep -qw "$package" <<<"$depends" || fail "does not depend on $package: $depends"
done
grep -q systemd-sysusers "$control/postinst" || fail "postinst does not create the kiosk user"
grep -q "deb-systemd-helper enable portalavoro-kiosk.service" "$control/postinst" ||
    fail "postinst does not enable the service"
# A keyboard plugged into the totem cannot leave the kiosk.
grep -q "deb-systemd-helper enable portalavoro-provision.service" "$control/postinst" ||
    fail "postinst does not enable the provisioning"
grep -q "deb-systemd-helper mask ctrl-alt-del.target" "$control/postinst" ||
    fail "postinst leaves Ctrl+Alt+Del rebooting the totem"
grep -q "deb-systemd-helper unmask ctrl-alt-del.target" "$control/postrm" ||
    fail "postrm leaves Ctrl+Alt+Del masked after a purge"

# The installed binary runs and reads the installed configuration.
root=$(mktemp -d)
dpkg-deb -x "$deb" "$root"
"$root/usr/bin/portalavoro-kiosk" --config "$root/etc/portalavoro/kiosk.toml" --check-config
# A totem installed and not yet given a hub shows the technician card, not
# the demo's invented vacancies.
grep -qx 'demo = false' "$root/etc/portalavoro/kiosk.toml" ||
    fail "the installed kiosk.toml runs on the demo content"

# The units as installed. The user unit names the installed binary: verify
# a copy that points at the extracted one.
# verify exits 0 on unknown keys and bad values ("ignoring"): any word
# from it is a failure.
verify() {
    local said
    said=$(systemd-analyze verify "$@" 2>&1) || fail "systemd-analyze verify $*: $said"
    [ -z "$said" ] || fail "systemd-analyze verify $*: $said"
}
# (Its ExecStartPre= runs the installed binary: verified on a copy that
# points at the extracted one.)
sed "s|^ExecStartPre=+/usr/bin/portalavoro-kiosk|ExecStartPre=+$root/usr/bin/portalavoro-kiosk|" \
    "$root/usr/lib/systemd/system/portalavoro-kiosk.service" >"$control/portalavoro-kiosk.service"
verify "$control/portalavoro-kiosk.service"
grep -q '^ExecStartPre=+/usr/bin/portalavoro-kiosk .*--touch-rule' \
    "$root/usr/lib/systemd/system/portalavoro-kiosk.service" ||
    fail "the unit does not turn the touch panel before cage starts"
exec_start=$(grep '^ExecStart=' "$root/usr/lib/systemd/system/portalavoro-kiosk.service")
grep -q '/usr/bin/cage ' <<<"$exec_start" || fail "the unit does not start cage: $exec_start"
! grep -Eq 'cage( -[a-z]+)* -[a-z]*s' <<<"$exec_start" ||
    fail "cage allows switching consoles (-s): $exec_start"
# kiosk.toml holds the staff PIN's hash: not for every local user.
grep -Eqx 'z /etc/portalavoro/kiosk.toml 0640 root kiosk -' "$root/usr/lib/tmpfiles.d/portalavoro-kiosk.conf" ||
    fail "kiosk.toml is left readable by every user"
# A session that never authenticates denies authentication.
grep -Eq '^auth +required +pam_deny.so' "$root/etc/pam.d/portalavoro-kiosk" ||
    fail "the PAM stack lets anything authenticate: $(grep '^auth' "$root/etc/pam.d/portalavoro-kiosk")"
! grep -q pam_permit "$root/etc/pam.d/portalavoro-kiosk" || fail "pam_permit in the PAM stack"
# A logind session would take the kiosk out of its service's cgroup, where
# systemd hears its READY and WATCHDOG.
! grep -Eq '^[^#]*(pam_systemd|common-session)' "$root/etc/pam.d/portalavoro-kiosk" ||
    fail "the PAM stack opens a logind session"
grep -qx 'kernel.sysrq = 0' "$root/usr/lib/sysctl.d/60-portalavoro-kiosk.conf" ||
    fail "Magic SysRq keys are not turned off"
grep -qx 'NAutoVTs=0' "$root/usr/lib/systemd/logind.conf.d/portalavoro-kiosk.conf" ||
    fail "logind still starts login prompts on other consoles"
sed "s|/usr/lib/portalavoro-kiosk/provision|$root/usr/lib/portalavoro-kiosk/provision|" \
    "$root/usr/lib/systemd/system/portalavoro-provision.service" >"$control/portalavoro-provision.service"
verify "$control/portalavoro-provision.service"
[ -x "$root/usr/lib/portalavoro-kiosk/provision" ] || fail "the provisioning script is not executable"
sed "s|/usr/bin/portalavoro-kiosk|$root/usr/bin/portalavoro-kiosk|" \
    "$root/usr/lib/systemd/user/portalavoro-kiosk-desktop.service" >"$control/portalavoro-kiosk-desktop.service"
runtime=$(mktemp -d)
XDG_RUNTIME_DIR=$runtime verify --user "$control/portalavoro-kiosk-desktop.service"
report=$(systemd-analyze security --offline=yes "$root/usr/lib/systemd/system/portalavoro-kiosk.service" 2>&1 | tail -1)
echo "$report"
grep -Eq "exposure level.*: [0-9.]+ (SAFE|OK)" <<<"$report" || fail "security rating worse than OK: $report"
rm -rf "$control" "$root" "$runtime"
echo "check-package: $deb is complete"

# The hub server's package: binary, configuration (a conffile), unit and
# guide; the unit verifies and rates OK or better; the installed binary
# reads the installed hub.toml (with the state folder moved to a scratch
# one) and its database.
contents=$(dpkg-deb -c "$hub_deb" | awk '{print $6}')
for path in \
    ./usr/bin/portalavoro-hub \
    ./etc/portalavoro/hub.toml \
    ./usr/lib/systemd/system/portalavoro-hub.service \
    ./usr/share/doc/portalavoro-hub/hub.md \
    ./usr/share/doc/portalavoro-hub/hub-api.md; do
    grep -qxF "$path" <<<"$contents" || fail "$hub_deb lacks $path"
done
control=$(mktemp -d)
dpkg-deb -e "$hub_deb" "$control"
grep -qxF /etc/portalavoro/hub.toml "$control/conffiles" || fail "hub.toml is not a conffile"
grep -q "deb-systemd-helper enable portalavoro-hub.service" "$control/postinst" ||
    fail "the hub's postinst does not enable its service"
root=$(mktemp -d)
dpkg-deb -x "$hub_deb" "$root"
unit="$root/usr/lib/systemd/system/portalavoro-hub.service"
grep -qx 'DynamicUser=yes' "$unit" || fail "the hub runs as a fixed user"
grep -qx 'StateDirectory=portalavoro-hub' "$unit" || fail "the hub has no state directory"
sed "s|/usr/bin/portalavoro-hub|$root/usr/bin/portalavoro-hub|g" "$unit" >"$control/portalavoro-hub.service"
verify "$control/portalavoro-hub.service"
report=$(systemd-analyze security --offline=yes "$unit" 2>&1 | tail -1)
echo "$report"
grep -Eq "exposure level.*: [0-9.]+ (SAFE|OK)" <<<"$report" || fail "the hub's security rating is worse than OK: $report"
sed "s|^# state_dir = .*|state_dir = \"$root/state\"|" "$root/etc/portalavoro/hub.toml" >"$control/hub.toml"
grep -q "^state_dir = \"$root/state\"" "$control/hub.toml" || fail "hub.toml has no state_dir line to set"
"$root/usr/bin/portalavoro-hub" --config "$control/hub.toml" --check-config
rm -rf "$control" "$root"
echo "check-package: $hub_deb is complete"
