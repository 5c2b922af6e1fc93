#!/usr/bin/env bash
# Runs a command against a throwaway PostgreSQL cluster on a loopback port.
# The cluster runs as a non-root user and is removed when the command ends, pass or fail.
set -euo pipefail

bindir=""
if command -v initdb >/dev/null 2>&1; then
  bindir="$(dirname "$(command -v initdb)")"
else
  bindir="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)"
fi
[ -x "$bindir/initdb" ] || { echo "with-postgres: no initdb found" >&2; exit 1; }

as_owner=()
owner="$(id -un)"
if [ "$(id -u)" -eq 0 ]; then
  owner=postgres
  id "$owner" >/dev/null 2>&1 || useradd --system --no-create-home "$owner"
  as_owner=(runuser -u "$owner" --)
fi

dir="$(mktemp -d /tmp/xuncha-pg.XXXXXX)"
chown "$owner" "$dir"
chmod 700 "$dir"
port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')"

cleanup() {
  "${as_owner[@]}" "$bindir/pg_ctl" -D "$dir/data" -m immediate stop >/dev/null 2>&1 || true
  rm -rf "$dir"
}
trap cleanup EXIT INT TERM

"${as_owner[@]}" "$bindir/initdb" -D "$dir/data" -U xuncha -A trust -E UTF8 --locale=C.UTF-8 >/dev/null
"${as_owner[@]}" "$bindir/pg_ctl" -D "$dir/data" -l "$dir/log" -w \
  -o "-p $port -k $dir -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off" \
  start >/dev/null
echo "with-postgres: cluster on 127.0.0.1:$port"

export DATABASE_URL="postgres://xuncha@127.0.0.1:$port/postgres"
"$@"
