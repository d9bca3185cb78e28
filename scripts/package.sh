#!/usr/bin/env bash
# Builds the Debian packages with cargo-deb (installing cargo-deb if it is
# missing) from the release build the tests use: no second build. Prints
# their paths: the kiosk's, then the hub server's.
#   bash scripts/package.sh
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/common.sh
ensure_cargo
ensure_packages $BUILD_PACKAGES dpkg-dev
if ! cargo deb --version >/dev/null 2>&1; then
    echo "Installing cargo-deb" >&2
    cargo install cargo-deb --version "^3.8" --locked --quiet
fi
# The same selection as the tests build (dev-dependencies included), so
# cargo unifies the same features and reuses their build: no second one.
cargo build --release --quiet --workspace --all-targets
# The totem's kiosk.toml is the repository's without the demo: a totem that
# names no hub shows the technician card, never invented vacancies.
sed 's/^demo = true$/demo = false/' kiosk.toml >"$CARGO_TARGET_DIR/release/kiosk.toml"
grep -qx 'demo = false' "$CARGO_TARGET_DIR/release/kiosk.toml" ||
    { echo "package.sh: kiosk.toml has no 'demo = true' line to turn off" >&2; exit 1; }
cargo deb --no-build --quiet >&2
cargo deb -p portalavoro-hub --no-build --quiet >&2
ls -t "$CARGO_TARGET_DIR"/debian/portalavoro-kiosk_*.deb | head -1
ls -t "$CARGO_TARGET_DIR"/debian/portalavoro-hub_*.deb | head -1
