#!/usr/bin/env bash
# Starts a throwaway Postgres cluster for the store tests and exports DATABASE_URL for it.
#
#   source .ci/start-postgres.sh        (CI: the cluster stops and its directory goes when the shell exits)
#   eval "$(.ci/start-postgres.sh)"     (locally: leaves it running; the printed lines say how to stop it)
#
# It uses Debian's binaries (package postgresql, /usr/lib/postgresql/15/bin, or PG_BIN), a fresh directory
# under TMPDIR and a free loopback port, so runs never collide. Postgres refuses to run as root: started by
# root, the cluster runs as the unprivileged `postgres` user (or `nobody` when that user does not exist).
# The role is a superuser of this cluster only, because the tests create one database per test.

# No `set -e` here: sourced, it would change the caller's shell. Every step checks its own failure.
qflow_start_postgres() {
  local bin="${PG_BIN:-/usr/lib/postgresql/15/bin}"
  if [ ! -x "$bin/initdb" ]; then
    echo "start-postgres: no initdb in $bin; install Debian's postgresql package (or set PG_BIN)" >&2
    return 1
  fi
  local dir port password run_as=()
  dir="$(mktemp -d "${TMPDIR:-/tmp}/qflow-postgres.XXXXXX")" || return 1
  password="$(od -An -N16 -tx1 /dev/urandom | tr -d ' \n')" || return 1
  # Any free loopback port: bind port 0 and keep the number the kernel chose.
  port="$(node -e 'const s=require("node:net").createServer().listen(0,"127.0.0.1",()=>{process.stdout.write(String(s.address().port));s.close()})')" ||
    return 1
  printf '%s\n' "$password" >"$dir/pwfile" || return 1
  if [ "$(id -u)" = 0 ]; then
    local user=postgres
    id -u "$user" >/dev/null 2>&1 || user=nobody
    chown -R "$user" "$dir" || return 1
    run_as=(runuser -u "$user" --)
  fi
  "${run_as[@]}" "$bin/initdb" -D "$dir/data" -U qflow --pwfile="$dir/pwfile" --auth=scram-sha-256 \
    --encoding=UTF8 --no-locale >"$dir/initdb.log" 2>&1 || {
    cat "$dir/initdb.log" >&2
    return 1
  }
  rm -f "$dir/pwfile"
  "${run_as[@]}" "$bin/pg_ctl" -D "$dir/data" -l "$dir/postgres.log" -w -t 30 start \
    -o "-c listen_addresses=127.0.0.1 -c port=$port -c unix_socket_directories=$dir -c fsync=off" >/dev/null || {
    cat "$dir/postgres.log" >&2
    return 1
  }
  export DATABASE_URL="postgres://qflow:$password@127.0.0.1:$port/postgres"
  QFLOW_POSTGRES_STOP="${run_as[*]} $bin/pg_ctl -D $dir/data -m fast stop >/dev/null; rm -rf $dir"
  echo "start-postgres: Postgres $("$bin/postgres" --version | awk '{print $3}') on 127.0.0.1:$port ($dir)" >&2
}

if [ "${BASH_SOURCE[0]}" != "$0" ]; then
  qflow_start_postgres || return 1
  trap 'eval "$QFLOW_POSTGRES_STOP"' EXIT
else
  qflow_start_postgres || exit 1
  echo "export DATABASE_URL='$DATABASE_URL'"
  echo "# to stop it: $QFLOW_POSTGRES_STOP"
fi
