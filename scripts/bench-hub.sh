#!/usr/bin/env bash
# The hub server's load benchmark (docs/PERFORMANCE.md, "Hub server"): a
# simulated fleet against one instance, on SQLite and on a throw-away
# PostgreSQL, announcements waiting and polled. About 12 minutes at the
# default 2,000 kiosks.
#   bash scripts/bench-hub.sh [KIOSKS] [SECONDS]
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/common.sh
kiosks=${1:-2000}
seconds=${2:-120}
cargo build --release -p portalavoro-hub --example load --quiet
load="$CARGO_TARGET_DIR/release/examples/load"
for mode in "" --poll; do
    "$load" --kiosks "$kiosks" --seconds "$seconds" $mode 2>/dev/null | tail -1
done
bash scripts/with-postgres.sh bash -c '
    for mode in "" --poll; do
        db=load_$RANDOM
        psql -q "$(sed "s/{db}/postgres/" <<<"$PORTALAVORO_TEST_POSTGRES")" -c "CREATE DATABASE $db"
        "$0" --kiosks "$1" --seconds "$2" --database "$(sed "s/{db}/$db/" <<<"$PORTALAVORO_TEST_POSTGRES")" $mode 2>/dev/null | tail -1
    done' "$load" "$kiosks" "$seconds"
