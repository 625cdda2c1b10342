#!/usr/bin/env sh
# Writes the secrets of compose.yaml once (an existing file is kept, so that a second run does not
# lock the replicas out of the signing keys sealed with the first master key):
#   deploy/secrets/postgres_password  the database's password
#   deploy/secrets/database_url       the replicas' connection string, with that password
#   deploy/secrets/master_key         32 random bytes in base64, the same for every replica
# The directory is the owner's only; the files are readable inside the containers, whose processes
# run as other users (compose bind-mounts file secrets as they are).
set -eu
dir="$(dirname "$0")/secrets"
mkdir -p "$dir"
chmod 700 "$dir"
random() { head -c "$1" /dev/urandom | base64 | tr -d '\n'; }
[ -s "$dir/postgres_password" ] || random 24 | tr '+/' '-_' >"$dir/postgres_password"
[ -s "$dir/database_url" ] ||
  printf 'postgresql://cloudpartner:%s@postgres:5432/cloudpartner' "$(cat "$dir/postgres_password")" >"$dir/database_url"
[ -s "$dir/master_key" ] || random 32 >"$dir/master_key"
chmod 644 "$dir/postgres_password" "$dir/database_url" "$dir/master_key"
echo "secrets in $dir"
