"""A publisher's script on Python's standard library alone (urllib), with the real host names
written in. Trust and proxy come from the environment (system CA store or SSL_CERT_FILE;
HTTPS_PROXY), as for any urllib program. Prints one JSON line, like the other clients."""
import json
import os
import urllib.parse
import urllib.request

TENANT = os.environ.get("CPP_TENANT_ID", "11111111-1111-1111-1111-111111111111")
CLIENT_ID = os.environ.get("CPP_CLIENT_ID", "22222222-2222-2222-2222-222222222222")
CLIENT_SECRET = os.environ.get("CPP_CLIENT_SECRET", "cloudpartner-development-secret")
LOGIN = "https://login.microsoftonline.com"
API = "https://cloudpartner.azure.com"


def call(url, form=None, token=None):
    data = urllib.parse.urlencode(form).encode() if form is not None else None
    request = urllib.request.Request(url, data=data)
    if token is not None:
        request.add_header("Authorization", "Bearer " + token)
        request.add_header("Content-Type", "application/json")
    with urllib.request.urlopen(request, timeout=30) as response:
        return json.load(response)


credentials = {"grant_type": "client_credentials", "client_id": CLIENT_ID, "client_secret": CLIENT_SECRET}
v1 = call(f"{LOGIN}/{TENANT}/oauth2/token", {**credentials, "resource": "https://cloudpartner.azure.com"})
discovery = call(f"{LOGIN}/{TENANT}/v2.0/.well-known/openid-configuration")
v2 = call(discovery["token_endpoint"], {**credentials, "scope": "https://cloudpartner.azure.com/.default"})
offers_url = f"{API}/api/publishers/contoso/offers?api-version=2017-10-31"
print(json.dumps({
    "client": "python-urllib",
    "v1": v1,
    "discovery": discovery,
    "v2": v2,
    "offers": call(offers_url, token=v1["access_token"]),
    "offersWithV2Token": call(offers_url, token=v2["access_token"]),
}))
