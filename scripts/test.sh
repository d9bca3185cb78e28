#!/usr/bin/env bash
# The whole test suite: formatting, lints, unit and integration tests (the
# hub client against the dev hub and against portalavoro-hub on 127.0.0.1,
# the hub server on SQLite and on a throw-away PostgreSQL, the app in a
# real window under Xvfb + lavapipe), the Debian packages with their
# systemd units, provisioning from a FAT partition, and a fresh Debian 12 built and tested with only what
# scripts/common.sh lists.
# One build profile (release) for everything.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/common.sh
ensure_cargo
ensure_packages $BUILD_PACKAGES $RUNTIME_PACKAGES $TEST_PACKAGES
cargo fmt --all --check
cargo clippy --release --workspace --all-targets -- -D warnings
bash scripts/with-postgres.sh cargo test --release --workspace
bash scripts/check-package.sh
bash scripts/check-provision.sh
bash scripts/check-fresh-debian.sh
bash scripts/check-image.sh
