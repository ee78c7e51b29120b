#!/usr/bin/env bash
# A throwaway PostgreSQL cluster for tests: `start DIR` initialises DIR (as the `postgres` user when run
# as root), starts the server on 127.0.0.1 on a free port with fsync off, and prints a server URL where
# tests may create databases (also written to DIR/url); `stop DIR` stops it and removes DIR.
# Uses the newest /usr/lib/postgresql/*/bin unless PG_BIN names another.
set -euo pipefail

cmd="${1:-}"
dir="${2:-}"
if [ -z "$cmd" ] || [ -z "$dir" ]; then
  echo "usage: pg_cluster.sh start|stop DIR" >&2
  exit 2
fi

bin="${PG_BIN:-$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)}"
if [ -z "$bin" ] || [ ! -x "$bin/initdb" ]; then
  echo "pg_cluster: no PostgreSQL binaries (install Debian's postgresql)" >&2
  exit 1
fi

# initdb and postgres refuse to run as root.
as_pg() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

case "$cmd" in
start)
  mkdir -p "$dir"
  [ "$(id -u)" = 0 ] && chown postgres "$dir"
  pw="$(head -c 18 /dev/urandom | base64 | tr -dc 'A-Za-z0-9')"
  printf '%s\n' "$pw" >"$dir/pwfile"
  [ "$(id -u)" = 0 ] && chown postgres "$dir/pwfile"
  # Password auth over TCP so tests can prove a wrong password fails; trust on the private socket.
  as_pg "$bin/initdb" -D "$dir/data" -U postgres --pwfile="$dir/pwfile" --auth-host=scram-sha-256 \
    --auth-local=trust -E UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 ||
    { cat "$dir/initdb.log" >&2; exit 1; }
  rm -f "$dir/pwfile"
  port="$(deno eval 'const l = Deno.listen({ hostname: "127.0.0.1", port: 0 }); console.log(l.addr.port); l.close();')"
  opts="-c listen_addresses=127.0.0.1 -c port=$port -c unix_socket_directories=$dir -c fsync=off"
  opts="$opts -c synchronous_commit=off -c full_page_writes=off -c max_connections=200"
  as_pg "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -o "$opts" -w -t 30 start >/dev/null ||
    { cat "$dir/server.log" >&2; exit 1; }
  url="postgres://postgres:$pw@127.0.0.1:$port/postgres"
  printf '%s\n' "$url" >"$dir/url"
  printf '%s\n' "$url"
  ;;
stop)
  if [ -d "$dir/data" ]; then as_pg "$bin/pg_ctl" -D "$dir/data" -m immediate -w -t 30 stop >/dev/null 2>&1 || true; fi
  rm -rf "$dir"
  ;;
*)
  echo "pg_cluster: unknown command $cmd (start|stop)" >&2
  exit 2
  ;;
esac
