#!/usr/bin/env bash
# Installs (when missing) and starts PostgreSQL on a Debian machine, creates the test role and
# database, and prints the line that points the tests at it. Run as root; safe to run again.
#
#   eval "$(bash .ci/postgres.sh)"
#
# Only the final `export DATABASE_URL=...` line goes to standard output, so that `eval` sees
# nothing else; progress goes to standard error.
set -euo pipefail

DB_USER="${NEST_SMS_DB_USER:-nest_sms}"
DB_PASSWORD="${NEST_SMS_DB_PASSWORD:-nest_sms}"
DB_NAME="${NEST_SMS_DB_NAME:-nest_sms}"

exec 3>&1 1>&2

# Runs a command that may start the server (apt's post-install script does, and so does
# pg_ctlcluster). The server outlives this script, so it must hold none of the caller's pipes: with
# descriptor 3 open in it, the caller's `$(...)` would wait for the server to exit, forever.
without_inherited_descriptors() (
  for fd in $(ls /proc/$BASHPID/fd); do
    if [ "$fd" -gt 2 ]; then eval "exec $fd>&-"; fi
  done
  exec "$@" </dev/null
)

if [ "$(id -u)" -ne 0 ]; then
  echo "postgres.sh: run as root (it installs and starts PostgreSQL)." >&2
  exit 1
fi

if ! command -v pg_lsclusters >/dev/null 2>&1 || [ -z "$(ls /usr/lib/postgresql 2>/dev/null)" ]; then
  export DEBIAN_FRONTEND=noninteractive
  without_inherited_descriptors apt-get update
  without_inherited_descriptors apt-get install -y postgresql
fi

version="$(ls /usr/lib/postgresql | sort -V | tail -n 1)"
if ! pg_lsclusters -h | awk '{ print $1 " " $2 }' | grep -qx "$version main"; then
  pg_createcluster "$version" main
fi
if ! pg_ctlcluster "$version" main status >/dev/null 2>&1; then
  without_inherited_descriptors pg_ctlcluster "$version" main start
fi
port="$(pg_lsclusters -h | awk -v v="$version" '$1 == v && $2 == "main" { print $3 }')"

for _ in $(seq 1 60); do
  if pg_isready -q -h 127.0.0.1 -p "$port"; then break; fi
  sleep 1
done
pg_isready -h 127.0.0.1 -p "$port"

as_postgres() { runuser -u postgres -- "$@"; }

# Identifiers and the password are plain words chosen above, so quoting them in SQL is safe.
as_postgres psql -q -v ON_ERROR_STOP=1 -p "$port" <<SQL
DO \$\$
BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '${DB_USER}') THEN
    CREATE ROLE "${DB_USER}" LOGIN PASSWORD '${DB_PASSWORD}';
  ELSE
    ALTER ROLE "${DB_USER}" LOGIN PASSWORD '${DB_PASSWORD}';
  END IF;
END
\$\$;
SQL
if [ "$(as_postgres psql -tA -p "$port" -c "SELECT 1 FROM pg_database WHERE datname = '${DB_NAME}'")" != "1" ]; then
  as_postgres createdb -p "$port" -O "$DB_USER" "$DB_NAME"
fi

echo "export DATABASE_URL=postgres://${DB_USER}:${DB_PASSWORD}@127.0.0.1:${port}/${DB_NAME}" >&3
