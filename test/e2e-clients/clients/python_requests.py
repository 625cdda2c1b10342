"""A publisher's script on requests (Debian's python3-requests), the library most CPP clients in
Appendix A are built on, with the real host names written in. Trust and proxy come from the
environment (system CA store or REQUESTS_CA_BUNDLE; HTTPS_PROXY). Prints one JSON line."""
import json
import os

import requests

TENANT = os.environ.get("CPP_TENANT_ID", "11111111-1111-1111-1111-111111111111")
CLIENT_ID = os.environ.get("CPP_CLIENT_ID", "22222222-2222-2222-2222-222222222222")
CLIENT_SECRET = os.environ.get("CPP_CLIENT_SECRET", "cloudpartner-development-secret")
LOGIN = "https://login.microsoftonline.com"
API = "https://cloudpartner.azure.com"

session = requests.Session()


def call(method, url, **kwargs):
    response = session.request(method, url, timeout=30, **kwargs)
    response.raise_for_status()
    return response.json()


credentials = {"grant_type": "client_credentials", "client_id": CLIENT_ID, "client_secret": CLIENT_SECRET}
v1 = call("POST", f"{LOGIN}/{TENANT}/oauth2/token",
          data={**credentials, "resource": "https://cloudpartner.azure.com"})
discovery = call("GET", f"{LOGIN}/{TENANT}/v2.0/.well-known/openid-configuration")
v2 = call("POST", discovery["token_endpoint"],
          data={**credentials, "scope": "https://cloudpartner.azure.com/.default"})
offers_url = f"{API}/api/publishers/contoso/offers"
params = {"api-version": "2017-10-31"}


def headers(token):
    return {"Authorization": "Bearer " + token, "Content-Type": "application/json", "Accept": "application/json"}


print(json.dumps({
    "client": "python-requests",
    "v1": v1,
    "discovery": discovery,
    "v2": v2,
    "offers": call("GET", offers_url, params=params, headers=headers(v1["access_token"])),
    "offersWithV2Token": call("GET", offers_url, params=params, headers=headers(v2["access_token"])),
}))
