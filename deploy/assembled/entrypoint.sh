#!/bin/sh
# Entry point of the assembled PostgreSQL + HAProxy image (deploy/assemble-base-images.sh). For
# `postgres` it does what the public postgres image's entry point does with the same variables
# (POSTGRES_USER, POSTGRES_DB, POSTGRES_PASSWORD or POSTGRES_PASSWORD_FILE): initialise an empty
# data directory once, then run the server as the postgres user, listening on every address.
# Anything else (haproxy ...) runs as given.
set -eu
if [ "${1:-}" != postgres ]; then
  exec "$@"
fi
shift
bin=$(echo /usr/lib/postgresql/*/bin)
export PGDATA="${PGDATA:-/var/lib/postgresql/data}"
user="${POSTGRES_USER:-postgres}"
database="${POSTGRES_DB:-$user}"
if [ ! -s "$PGDATA/PG_VERSION" ]; then
  mkdir -p "$PGDATA" /run/postgresql
  chown postgres:postgres "$PGDATA" /run/postgresql
  chmod 700 "$PGDATA"
  password_file=$(mktemp)
  if [ -n "${POSTGRES_PASSWORD_FILE:-}" ]; then cat "$POSTGRES_PASSWORD_FILE" >"$password_file"
  else printf '%s' "${POSTGRES_PASSWORD:?POSTGRES_PASSWORD or POSTGRES_PASSWORD_FILE is required}" >"$password_file"; fi
  chown postgres "$password_file"
  setpriv --reuid=postgres --regid=postgres --init-groups "$bin/initdb" --username="$user" \
    --pwfile="$password_file" --auth-local=trust --auth-host=scram-sha-256 >/dev/null
  rm -f "$password_file"
  echo "host all all all scram-sha-256" >>"$PGDATA/pg_hba.conf"
  if [ "$database" != postgres ]; then
    echo "CREATE DATABASE \"$database\"" |
      setpriv --reuid=postgres --regid=postgres --init-groups "$bin/postgres" --single -D "$PGDATA" postgres >/dev/null
  fi
fi
mkdir -p /run/postgresql && chown postgres:postgres /run/postgresql
exec setpriv --reuid=postgres --regid=postgres --init-groups "$bin/postgres" -c listen_addresses='*' "$@"
