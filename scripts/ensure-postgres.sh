#!/usr/bin/env bash
# Makes sure the machine's PostgreSQL answers on 127.0.0.1:5432 (the tests' second backend): starts
# the Debian cluster if it is down, and fails loudly if it cannot, rather than letting tests skip.
set -euo pipefail

ready() { pg_isready -q -h 127.0.0.1 -p 5432; }

if ready; then
  echo "PostgreSQL is up on 127.0.0.1:5432"
  exit 0
fi
if ! command -v pg_ctlcluster >/dev/null; then
  echo "PostgreSQL is not running on 127.0.0.1:5432 and pg_ctlcluster is not installed" >&2
  exit 1
fi
version=$(ls /etc/postgresql | sort -V | tail -n 1)
echo "Starting PostgreSQL ${version}/main"
pg_ctlcluster --skip-systemctl-redirect "${version}" main start || true
for _ in $(seq 1 30); do
  if ready; then
    echo "PostgreSQL is up on 127.0.0.1:5432"
    exit 0
  fi
  sleep 1
done
echo "PostgreSQL did not come up on 127.0.0.1:5432 within 30 s" >&2
exit 1
