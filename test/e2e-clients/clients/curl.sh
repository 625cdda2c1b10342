#!/usr/bin/env bash
# A publisher's shell script, as Appendix A's curl clients are: the real host names written in,
# nothing that knows about cloudpartner. Trust and proxy come from the environment
# (system CA store or CURL_CA_BUNDLE; HTTPS_PROXY), as for any curl.
# Prints one JSON line: {"client", "v1", "discovery", "v2", "offers", "offersWithV2Token"}.
set -euo pipefail
tenant=${CPP_TENANT_ID:-11111111-1111-1111-1111-111111111111}
client_id=${CPP_CLIENT_ID:-22222222-2222-2222-2222-222222222222}
client_secret=${CPP_CLIENT_SECRET:-cloudpartner-development-secret}
login=https://login.microsoftonline.com
api=https://cloudpartner.azure.com

# --fail-with-body: an HTTP error is an exit code, and its body still shows.
call() { curl -sS --fail-with-body "$@"; }
token_of() { sed -E 's/.*"access_token":"([^"]+)".*/\1/'; }

v1=$(call -X POST "$login/$tenant/oauth2/token" \
  --data-urlencode grant_type=client_credentials --data-urlencode "client_id=$client_id" \
  --data-urlencode "client_secret=$client_secret" --data-urlencode resource=https://cloudpartner.azure.com)
discovery=$(call "$login/$tenant/v2.0/.well-known/openid-configuration")
token_endpoint=$(sed -E 's/.*"token_endpoint":"([^"]+)".*/\1/' <<<"$discovery")
v2=$(call -X POST "$token_endpoint" \
  --data-urlencode grant_type=client_credentials --data-urlencode "client_id=$client_id" \
  --data-urlencode "client_secret=$client_secret" --data-urlencode scope=https://cloudpartner.azure.com/.default)
offers=$(call "$api/api/publishers/contoso/offers?api-version=2017-10-31" \
  -H "Authorization: Bearer $(token_of <<<"$v1")" -H 'Content-Type: application/json')
offers_v2=$(call "$api/api/publishers/contoso/offers?api-version=2017-10-31" \
  -H "Authorization: Bearer $(token_of <<<"$v2")" -H 'Accept: application/json')
printf '{"client":"curl","v1":%s,"discovery":%s,"v2":%s,"offers":%s,"offersWithV2Token":%s}\n' \
  "$v1" "$discovery" "$v2" "$offers" "$offers_v2"
