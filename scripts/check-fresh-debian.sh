#!/usr/bin/env bash
# The README's promise, checked: on a fresh Debian 12 that has nothing but
# Rust, the package lists in scripts/common.sh are all that building and
# testing need. Run by scripts/test.sh, after the build.
#
# It makes a minimal Debian 12 (mmdebstrap --variant=minbase, from this
# machine's own apt sources), bind-mounts this machine's Rust toolchain, its
# crate cache and the build folder, installs exactly what common.sh lists (as
# the README's two commands do), and then, inside that system:
#  1. builds from scratch, in a build folder of its own, every crate whose
#     build script asks pkg-config for a system library (read from the
#     dependency graph, so a new one is covered the day it arrives): a
#     missing -dev package fails here, as it would for a new contributor;
#  2. runs the smoke test (built here, run there): the real kiosk in a real
#     window under Xvfb, screenshots, OCR and clicks, so every library the
#     kiosk opens at run time and every tool the tests call must be there.
# Needs root (chroot, mount). About 5 minutes on 2 cores.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/common.sh
ensure_cargo
ensure_packages mmdebstrap
repo=$(pwd)
[ "$(id -u)" -eq 0 ] || { echo "check-fresh-debian: needs root (chroot)" >&2; exit 1; }

# The crates that call pkg-config from their build script, on Linux.
sys_crates=$(cargo tree --locked -e normal,build --target x86_64-unknown-linux-gnu \
    -i pkg-config --depth 1 --prefix none | awk 'NR > 1 && $1 != "[build-dependencies]" {print $1 "@" substr($2, 2)}' | sort -u)
[ -n "$sys_crates" ] || { echo "check-fresh-debian: no crate asks pkg-config?" >&2; exit 1; }
# The smoke test's binary, built with the rest of the suite.
smoke=$(cargo test --release --locked --no-run --test smoke --message-format=json 2>/dev/null |
    grep -o '"executable":"[^"]*/smoke-[0-9a-f]*"' | cut -d'"' -f4 | tail -1)
[ -x "$smoke" ] || { echo "check-fresh-debian: the smoke test is not built" >&2; exit 1; }

root=$(mktemp -d /tmp/fresh-debian.XXXXXX)
mounted=()
cleanup() {
    for ((i = ${#mounted[@]} - 1; i >= 0; i--)); do umount -l "${mounted[i]}" 2>/dev/null || true; done
    rm -rf --one-file-system "$root"
}
trap cleanup EXIT
bind() { # bind HOST_PATH: the same path inside the new system
    mkdir -p "$root$1"
    mount --bind "$1" "$root$1"
    mounted+=("$root$1")
}

# Debian 12 from the apt sources this machine uses (whatever mirror or
# proxy they name), nothing but the minimal base.
sources=()
for file in /etc/apt/sources.list.d/debian.sources /etc/apt/sources.list; do
    [ -s "$file" ] && sources+=("$file")
done
echo "check-fresh-debian: making a minimal Debian 12 in $root"
mmdebstrap --quiet --variant=minbase bookworm "$root" "${sources[@]}"
cp /etc/resolv.conf "$root/etc/resolv.conf"

for dir in /proc /sys /dev /dev/pts "$repo" "$CARGO_TARGET_DIR" \
    "${CARGO_HOME:-$HOME/.cargo}" "${RUSTUP_HOME:-$HOME/.rustup}"; do
    bind "$dir"
done
mkdir -p "$root/dev/shm" && mount -t tmpfs tmpfs "$root/dev/shm" && mounted+=("$root/dev/shm")

inside() {
    chroot "$root" /usr/bin/env -i HOME="$HOME" LANG=C.UTF-8 \
        PATH="$(dirname "$(command -v cargo)"):/usr/local/bin:/usr/bin:/bin:/usr/sbin:/sbin" \
        CARGO_HOME="${CARGO_HOME:-$HOME/.cargo}" RUSTUP_HOME="${RUSTUP_HOME:-$HOME/.rustup}" \
        CARGO_TARGET_DIR="$CARGO_TARGET_DIR" RUST_BACKTRACE=0 \
        bash -euo pipefail -c "cd '$repo' && . scripts/common.sh && $1"
}

echo "check-fresh-debian: installing what scripts/common.sh lists"
inside 'ensure_packages $BUILD_PACKAGES $RUNTIME_PACKAGES $TEST_PACKAGES'

echo "check-fresh-debian: building $(echo $sys_crates) from scratch"
packages=$(printf -- '-p %s ' $sys_crates)
if ! inside "CARGO_TARGET_DIR=/tmp/sys-target cargo build --release --offline --locked $packages"; then
    echo "check-fresh-debian: FAILED: a crate's build script found no system library;" \
        "add its -dev package to BUILD_PACKAGES in scripts/common.sh" >&2
    exit 1
fi

echo "check-fresh-debian: the smoke test, inside"
if ! inside "'$smoke' --test-threads=1"; then
    echo "check-fresh-debian: FAILED: the smoke test fails on a fresh Debian 12 with" \
        "only what scripts/common.sh lists: a run-time or test package is missing" >&2
    exit 1
fi
echo "check-fresh-debian: OK"
