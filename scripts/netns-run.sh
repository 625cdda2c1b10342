#!/usr/bin/env bash
# Runs one command against a local cloudpartner server under the real host names
# (https://cloudpartner.azure.com, https://login.microsoftonline.com, https://login.microsoft.com),
# inside a network and mount namespace of its own. Nothing on the machine changes: the namespace
# has only a loopback interface, its own /etc/hosts, its own resolv.conf (pointing at loopback), no
# access to host resolvers behind sockets (systemd-resolved, nscd) and, unless --no-system-ca, its
# own system CA bundle with the local CA added. The server and the command run inside it and end
# with it, so no request can leave the machine.
#
#   scripts/netns-run.sh [--proxy | --direct] [--no-system-ca] [--] <command> [args…]
#
# Hosts mode (default): the three names resolve to 127.0.0.1, where the server listens on 443
#   (HTTPS) and 80 (HTTP). Any client works, whatever it does about proxies.
# --proxy: the names resolve nowhere; the server runs in proxy mode on 127.0.0.1:8080 and the command
#   gets HTTPS_PROXY/HTTP_PROXY (and NODE_USE_ENV_PROXY=1 for Node's fetch). This shows that a
#   client honours the proxy variables: one that does not cannot resolve the names and fails.
# --direct: the names resolve nowhere; the server listens on https://localhost:8443 (and HTTP on
#   8080), a port of its own, and the command gets CLOUDPARTNER_URL=https://localhost:8443. For
#   clients given the server's URL: one that still reaches for a Microsoft host fails at once.
# --no-system-ca: leave the namespace's system CA bundle alone; the command must be told about the
#   CA itself (SSL_CERT_FILE, REQUESTS_CA_BUNDLE, CURL_CA_BUNDLE…, as `cloudpartner cert` prints).
#   NODE_EXTRA_CA_CERTS is set in every mode: Node does not read the system bundle by default.
#
# The server takes its settings from the usual CLOUDPARTNER_* variables (data directory, CA directory,
# production mode…); host and ports are the namespace's. Without a server certificate in the CA
# directory, `cloudpartner cert` creates one first. Needs root, or unprivileged user namespaces (then
# it maps you to root inside); and unshare (util-linux), mount and ip (iproute2).
# The command's exit status is this script's; on failure the end of the server's log goes to stderr.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
NODE=${CLOUDPARTNER_NODE:-$ROOT/node_modules/.bin/node}
CLI=("$NODE" "$ROOT/src/cli/main.ts")
NAMES=(cloudpartner.azure.com login.microsoftonline.com login.microsoft.com)
PROXY_PORT=8080
DIRECT_HTTPS_PORT=8443

usage() {
  sed -n '2,/^set -euo/p' "${BASH_SOURCE[0]}" | sed -e '$d' -e 's/^# \{0,1\}//' >&2
  exit 2
}

mode=hosts
system_ca=yes
while [[ $# -gt 0 ]]; do
  case $1 in
    --proxy) mode=proxy; shift ;;
    --direct) mode=direct; shift ;;
    --no-system-ca) system_ca=no; shift ;;
    -h | --help) usage ;;
    --) shift; break ;;
    -*) echo "netns-run: unknown option $1" >&2; usage ;;
    *) break ;;
  esac
done
[[ $# -gt 0 ]] || { echo 'netns-run: no command given' >&2; usage; }

if [[ ${CLOUDPARTNER_NETNS_INSIDE:-} != 1 ]]; then
  for tool in unshare mount ip; do
    command -v "$tool" >/dev/null || { echo "netns-run: '$tool' is missing (Debian: apt-get install util-linux mount iproute2)" >&2; exit 2; }
  done
  [[ -x $NODE ]] || { echo "netns-run: no Node at $NODE (run npm install, or set CLOUDPARTNER_NODE)" >&2; exit 2; }
  flags=(--net --mount --propagation private)
  # Unprivileged: a user namespace in which we are root, and so may mount and bind port 443.
  [[ $(id -u) == 0 ]] || flags=(--user --map-root-user "${flags[@]}")
  args=()
  [[ $mode == proxy ]] && args+=(--proxy)
  [[ $mode == direct ]] && args+=(--direct)
  [[ $system_ca == no ]] && args+=(--no-system-ca)
  CLOUDPARTNER_NETNS_INSIDE=1 exec unshare "${flags[@]}" -- "${BASH_SOURCE[0]}" "${args[@]}" -- "$@"
fi

# ---- inside the namespaces ----
unset CLOUDPARTNER_NETNS_INSIDE
ip link set lo up
work=$(mktemp -d "${TMPDIR:-/tmp}/cloudpartner-netns.XXXXXX")
server_pid=
cleanup() {
  if [[ -n $server_pid ]] && kill -0 "$server_pid" 2>/dev/null; then
    kill -TERM "$server_pid" 2>/dev/null || true
    wait "$server_pid" 2>/dev/null || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# The certificate: the one of the CA directory the server will use (same default as src/config.ts).
data_dir=${CLOUDPARTNER_DATA_DIR:-./data}
ca_dir=${CLOUDPARTNER_CA_DIR:-$data_dir/tls}
if [[ -z ${CLOUDPARTNER_TLS_CERT:-} && ! -f $ca_dir/server.pem ]]; then
  "${CLI[@]}" cert --ca-dir "$ca_dir" --json >/dev/null
  echo "netns-run: created a local CA and a server certificate in $ca_dir (npx cloudpartner cert)" >&2
fi
# With --tls-cert of your own, the CA is yours to make trusted (CLOUDPARTNER_CA_DIR may point at it).
ca_file=
[[ -f $ca_dir/ca.pem ]] && ca_file=$(cd "$ca_dir" && pwd)/ca.pem

# Name resolution that never leaves the namespace.
{
  echo '127.0.0.1 localhost'
  echo '::1 localhost ip6-localhost ip6-loopback'
  [[ $mode == hosts ]] && echo "127.0.0.1 ${NAMES[*]}"
} >"$work/hosts"
mount --bind "$work/hosts" /etc/hosts
if [[ -e /etc/resolv.conf ]]; then
  echo 'nameserver 127.0.0.1' >"$work/resolv.conf"
  mount --bind "$work/resolv.conf" /etc/resolv.conf
fi

# Resolvers reached through a socket file (systemd-resolved, nscd) would answer from outside the
# namespace: hide them, so that a name not in the hosts file does not resolve at all.
for socket_dir in /run/systemd/resolve /run/nscd /var/run/nscd; do
  if [[ -d $socket_dir && ! -L $socket_dir ]]; then
    mount -t tmpfs -o size=4k,mode=0755 cloudpartner-hidden "$socket_dir"
  fi
done

# The system CA bundles of Debian/Ubuntu and of Fedora/RHEL, with the local CA appended.
if [[ $system_ca == yes && -n $ca_file ]]; then
  for bundle in /etc/ssl/certs/ca-certificates.crt /etc/pki/tls/certs/ca-bundle.crt; do
    [[ -f $bundle ]] || continue
    copy="$work/$(basename "$bundle")"
    cat "$bundle" "$ca_file" >"$copy"
    mount --bind "$copy" "$bundle"
  done
fi

server_args=(serve --host 127.0.0.1)
if [[ $mode == hosts ]]; then
  server_args+=(--port 80 --https-port 443)
  wait_port=443
elif [[ $mode == direct ]]; then
  server_args+=(--port 8080 --https-port "$DIRECT_HTTPS_PORT")
  wait_port=$DIRECT_HTTPS_PORT
else
  server_args+=(--port "$PROXY_PORT" --proxy)
  wait_port=$PROXY_PORT
fi
"${CLI[@]}" "${server_args[@]}" >"$work/server.log" 2>&1 &
server_pid=$!

for _ in $(seq 300); do
  if ! kill -0 "$server_pid" 2>/dev/null; then
    echo 'netns-run: the server did not start:' >&2
    cat "$work/server.log" >&2
    server_pid=
    exit 1
  fi
  (exec 3<>"/dev/tcp/127.0.0.1/$wait_port") 2>/dev/null && break
  sleep 0.1
done

unset HTTPS_PROXY https_proxy HTTP_PROXY http_proxy ALL_PROXY all_proxy NO_PROXY no_proxy
[[ -n $ca_file ]] && export NODE_EXTRA_CA_CERTS=$ca_file
if [[ $mode == proxy ]]; then
  export HTTPS_PROXY=http://127.0.0.1:$PROXY_PORT HTTP_PROXY=http://127.0.0.1:$PROXY_PORT
  export https_proxy=$HTTPS_PROXY http_proxy=$HTTP_PROXY NO_PROXY=localhost,127.0.0.1,::1 no_proxy=localhost,127.0.0.1,::1
  export NODE_USE_ENV_PROXY=1
fi
[[ $mode == direct ]] && export CLOUDPARTNER_URL=https://localhost:$DIRECT_HTTPS_PORT

status=0
"$@" || status=$?
if [[ $status != 0 ]]; then
  echo "netns-run: the command exited with status $status; the server's log ends with:" >&2
  tail -n 20 "$work/server.log" >&2
fi
exit "$status"
