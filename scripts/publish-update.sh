#!/usr/bin/env bash
# Publishes a system version to an update channel, or withdraws one
# (docs/updates.md). A channel is a folder served over HTTPS, by the hub
# (its state folder's updates/CHANNEL) or by any web server; totems whose
# kiosk.toml names it (updates.channel) install its newest version in
# their update window.
#
#   bash scripts/publish-update.sh CHANNEL_DIR [UPDATE_DIR]
#       adds the version built in UPDATE_DIR (default: the last
#       scripts/build-image.sh's, $CARGO_TARGET_DIR/image/update)
#   bash scripts/publish-update.sh --withdraw CHANNEL_DIR VERSION
#       takes VERSION out of the channel: totems that have not installed it
#       yet never will; totems that have keep it (publish a newer one)
#
# The files go in first and SHA256SUMS, the list totems read, last (a
# withdrawal: the list first): a totem never sees a version whose files are
# not all there.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/common.sh

# sums DIR: SHA256SUMS for DIR's versions, replaced in one step.
sums() {
    (cd "$1" && shopt -s nullglob && files=(portalavoro_*) &&
        { ((${#files[@]} == 0)) || sha256sum -- "${files[@]}"; } >SHA256SUMS.new &&
        mv SHA256SUMS.new SHA256SUMS)
}
# files DIR VERSION: VERSION's files in DIR (not those of VERSION.1).
files() {
    local part
    for part in root.raw.xz vmlinuz initrd conf; do
        [[ ! -e $1/portalavoro_$2.$part ]] || echo "$1/portalavoro_$2.$part"
    done
}
# versions DIR: the versions DIR holds, oldest first.
versions() {
    find "$1" -maxdepth 1 -name 'portalavoro_*.conf' -printf '%f\n' |
        sed 's/^portalavoro_\(.*\)\.conf$/\1/' | sort -V
}

if [[ ${1:-} == --withdraw ]]; then
    (($# == 3)) || { echo "usage: $0 --withdraw CHANNEL_DIR VERSION" >&2; exit 2; }
    channel=$2 version=$3
    [[ -e $channel/portalavoro_$version.conf ]] ||
        { echo "publish-update: $channel has no version $version (it has: $(versions "$channel" | xargs))" >&2; exit 1; }
    withdrawn=$(files "$channel" "$version")
    for file in $withdrawn; do mv "$file" "$channel/.withdrawn.${file##*/}"; done
    sums "$channel"
    for file in $withdrawn; do rm -f "$channel/.withdrawn.${file##*/}"; done
    echo "publish-update: $version withdrawn from $channel; it offers: $(versions "$channel" | xargs)"
    exit 0
fi

(($# >= 1 && $# <= 2)) || { echo "usage: $0 CHANNEL_DIR [UPDATE_DIR]" >&2; exit 2; }
channel=$1
built=${2:-$CARGO_TARGET_DIR/image/update}
[[ -s $built/SHA256SUMS ]] || { echo "publish-update: no update in $built: run scripts/build-image.sh first" >&2; exit 1; }
(cd "$built" && sha256sum --quiet --check SHA256SUMS) ||
    { echo "publish-update: $built does not match its SHA256SUMS" >&2; exit 1; }
version=$(versions "$built" | tail -1)
mkdir -p "$channel"
for file in $(files "$built" "$version"); do
    cp "$file" "$channel/.${file##*/}.new"
    mv "$channel/.${file##*/}.new" "$channel/${file##*/}"
done
sums "$channel"
newest=$(versions "$channel" | tail -1)
echo "publish-update: $version published to $channel ($(du -ch $(files "$channel" "$version") | tail -1 | cut -f1))"
[[ $newest == "$version" ]] ||
    echo "publish-update: note: $channel also offers $newest, newer: totems install that one" >&2
