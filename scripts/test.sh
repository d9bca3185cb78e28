#!/usr/bin/env bash
# The whole test suite: formatting, lints, unit and integration tests (the
# hub client against the dev hub on 127.0.0.1, the app in a real window
# under Xvfb + lavapipe), and the Debian package with its systemd units.
# One build profile (release) for everything.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/common.sh
ensure_cargo
ensure_packages $BUILD_PACKAGES $RUNTIME_PACKAGES $TEST_PACKAGES
cargo fmt --check
cargo clippy --release --all-targets -- -D warnings
cargo test --release
bash scripts/check-package.sh
