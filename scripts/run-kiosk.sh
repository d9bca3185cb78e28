#!/usr/bin/env bash
# Builds and runs the kiosk with the repository's kiosk.toml: on the bundled
# demo content unless hub.url is set there. Extra arguments go to the kiosk.
# Without a desktop session it runs on a virtual screen (Xvfb), portrait.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/common.sh
ensure_cargo
ensure_packages $BUILD_PACKAGES $RUNTIME_PACKAGES
# The same build as the tests' (scripts/test.sh) and the package's: a
# kiosk-only `cargo build --release` resolves features without the hub's
# (serde's `rc`, smallvec's `serde`…) and builds bevy a second time.
cargo build --release --workspace --all-targets
kiosk=("$CARGO_TARGET_DIR/release/portalavoro-kiosk" --config kiosk.toml "$@")
if [ -n "${DISPLAY:-}${WAYLAND_DISPLAY:-}" ]; then
    exec "${kiosk[@]}"
fi
ensure_packages xvfb xauth
echo "No display: running on a virtual 1080x1920 screen (xvfb-run); Ctrl+C stops it."
exec xvfb-run -a -s "-screen 0 1080x1920x24" "${kiosk[@]}"
