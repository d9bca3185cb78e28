#!/usr/bin/env bash
# Runs a command with a throw-away PostgreSQL: a new cluster in a temporary
# folder, reachable only on a Unix socket there, removed afterwards. The
# command finds it in $PORTALAVORO_TEST_POSTGRES (a URL whose `{db}` each
# test replaces with its own database). Uses Debian's postgresql package
# (scripts/common.sh lists it); as root, the cluster runs as `postgres`.
#
#   bash scripts/with-postgres.sh cargo test --release -p portalavoro-hub
set -euo pipefail
bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n1)
if [ -z "$bin" ]; then
    echo "with-postgres: PostgreSQL is not installed (apt-get install postgresql)" >&2
    exit 1
fi
dir=$(mktemp -d /tmp/portalavoro-pg.XXXXXX)
as_owner=()
user=$(id -un)
if [ "$(id -u)" -eq 0 ]; then
    chown postgres: "$dir"
    as_owner=(runuser -u postgres --)
    user=postgres
fi
stop() {
    "${as_owner[@]}" "$bin/pg_ctl" -D "$dir/data" -m immediate stop >/dev/null 2>&1 || true
    rm -rf "$dir"
}
trap stop EXIT
"${as_owner[@]}" "$bin/initdb" -D "$dir/data" -U "$user" --auth=trust -E UTF8 --no-instructions >"$dir/initdb.log" 2>&1 \
    || { cat "$dir/initdb.log" >&2; exit 1; }
"${as_owner[@]}" "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w \
    -o "-c listen_addresses='' -c unix_socket_directories='$dir' -c fsync=off -c max_connections=300" start >/dev/null \
    || { cat "$dir/server.log" >&2; exit 1; }
export PORTALAVORO_TEST_POSTGRES="postgres://$user@localhost/{db}?host=$dir"
echo "with-postgres: PostgreSQL $("$bin/postgres" --version | awk '{print $3}') on $dir"
"$@"
