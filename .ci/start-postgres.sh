#!/usr/bin/env bash
# A throwaway PostgreSQL cluster for the tests (issue 22): initdb as the ``postgres`` user (initdb
# refuses root), listening only on a Unix socket in /tmp and on 127.0.0.1:$PGPORT, trust auth for the
# local test user. Idempotent: a cluster already running is reused. Prints the URL for
# DTIDESK_TEST_POSTGRES on its last line.
set -euo pipefail
PGBIN="${PGBIN:-$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)}"
PGDATA="${DTIDESK_PGDATA:-/tmp/dtidesk-pgtest}"
PGPORT="${DTIDESK_PGPORT:-54329}"
SOCK="${DTIDESK_PGSOCK:-/tmp}"
RUNAS=()
if [ "$(id -u)" = "0" ]; then RUNAS=(runuser -u postgres --); fi
if [ -z "$PGBIN" ] || [ ! -x "$PGBIN/initdb" ]; then
  echo "PostgreSQL server binaries not found (apt-get install postgresql)" >&2
  exit 1
fi
if [ ! -f "$PGDATA/PG_VERSION" ]; then
  mkdir -p "$PGDATA"
  [ "$(id -u)" = "0" ] && chown postgres "$PGDATA"
  "${RUNAS[@]}" "$PGBIN/initdb" -D "$PGDATA" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >/dev/null
  cat >>"$PGDATA/postgresql.conf" <<CONF
listen_addresses = '127.0.0.1'
port = $PGPORT
unix_socket_directories = '$SOCK'
fsync = off
synchronous_commit = off
full_page_writes = off
max_connections = 200
CONF
fi
# one account that must give a password (the credential tests): scram before the trust lines
if ! grep -q "dtidesk_pw" "$PGDATA/pg_hba.conf"; then
  { echo "host all dtidesk_pw 127.0.0.1/32 scram-sha-256"; echo "local all dtidesk_pw scram-sha-256"
    cat "$PGDATA/pg_hba.conf"; } >"$PGDATA/pg_hba.conf.new"
  mv "$PGDATA/pg_hba.conf.new" "$PGDATA/pg_hba.conf"
  [ "$(id -u)" = "0" ] && chown postgres "$PGDATA/pg_hba.conf"
  "${RUNAS[@]}" "$PGBIN/pg_ctl" -D "$PGDATA" status >/dev/null 2>&1 && "${RUNAS[@]}" "$PGBIN/pg_ctl" -D "$PGDATA" reload >/dev/null
fi
if ! "${RUNAS[@]}" "$PGBIN/pg_ctl" -D "$PGDATA" status >/dev/null 2>&1; then
  "${RUNAS[@]}" "$PGBIN/pg_ctl" -D "$PGDATA" -l "$PGDATA/server.log" -w start >/dev/null
fi
"$PGBIN/psql" -h "$SOCK" -p "$PGPORT" -U postgres -d postgres -tAc \
  "SELECT 1 FROM pg_database WHERE datname = 'dtidesk_test'" | grep -q 1 \
  || "$PGBIN/createdb" -h "$SOCK" -p "$PGPORT" -U postgres dtidesk_test
echo "postgresql://postgres@127.0.0.1:$PGPORT/dtidesk_test"
