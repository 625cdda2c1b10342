"""Python's Azure client libraries from Debian, as publishers' scripts use them: msal
(python3-msal) and azure-identity (python3-azure). With CLOUDPARTNER_URL (the server's own URL),
the smallest change that works: the authority is the server's URL and instance discovery is off
(otherwise they ask login.microsoftonline.com about it). Without it, nothing at all: the real host
names, reached through the namespace or the proxy. One JSON line per library, like report.mjs."""
import json
import os
import sys
import traceback

import requests

TENANT = os.environ.get("CPP_TENANT_ID", "11111111-1111-1111-1111-111111111111")
CLIENT = os.environ.get("CPP_CLIENT_ID", "22222222-2222-2222-2222-222222222222")
SECRET = os.environ.get("CPP_CLIENT_SECRET", "cloudpartner-development-secret")
SCOPE = "https://cloudpartner.azure.com/.default"
URL = os.environ.get("CLOUDPARTNER_URL")


def msal_token():
    import msal

    if URL:
        app = msal.ConfidentialClientApplication(
            CLIENT, authority=f"{URL}/{TENANT}", client_credential=SECRET, instance_discovery=False
        )
    else:
        app = msal.ConfidentialClientApplication(
            CLIENT, authority=f"https://login.microsoftonline.com/{TENANT}", client_credential=SECRET
        )
    result = app.acquire_token_for_client(scopes=[SCOPE])
    if "access_token" not in result:
        raise RuntimeError(json.dumps(result))
    return result["access_token"]


def azure_identity_token():
    from azure.identity import ClientSecretCredential

    # Debian's azure-identity is 1.13.0b2: `instance_discovery=False`; from 1.13.0 on the keyword
    # is `disable_instance_discovery=True`.
    if URL:
        credential = ClientSecretCredential(TENANT, CLIENT, SECRET, authority=URL, instance_discovery=False)
    else:
        credential = ClientSecretCredential(TENANT, CLIENT, SECRET)
    return credential.get_token(SCOPE).token


def report(client, get_token):
    try:
        token = get_token()
        api = URL or "https://cloudpartner.azure.com"
        response = requests.get(
            f"{api}/api/publishers/contoso/offers",
            params={"api-version": "2017-10-31"},
            headers={"Authorization": f"Bearer {token}"},
            timeout=30,
        )
        body = response.json()
        offers = [offer["id"] for offer in body] if isinstance(body, list) else body
        print(json.dumps({"client": client, "token": token, "status": response.status_code, "offers": offers}))
    except Exception:
        print(json.dumps({"client": client, "error": traceback.format_exc()}))
    sys.stdout.flush()


report("python-msal", msal_token)
report("python-azure-identity", azure_identity_token)
