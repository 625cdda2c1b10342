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
# The principal registered with a certificate for the run; the PEM file holds certificate and key.
CERT_TENANT = os.environ.get("CPP_CERT_TENANT_ID")
CERT_CLIENT = os.environ.get("CPP_CERT_CLIENT_ID")
CERT_FILE = os.environ.get("CPP_CERT_FILE")
CERT_THUMBPRINT_SHA1 = os.environ.get("CPP_CERT_THUMBPRINT_SHA1")


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


def msal_certificate_token():
    import msal

    # MSAL signs an RS256 assertion with an x5t header (the SHA-1 thumbprint) with this credential.
    with open(CERT_FILE, encoding="utf-8") as pem:
        credential = {"private_key": pem.read(), "thumbprint": CERT_THUMBPRINT_SHA1}
    if URL:
        app = msal.ConfidentialClientApplication(
            CERT_CLIENT, authority=f"{URL}/{CERT_TENANT}", client_credential=credential, instance_discovery=False
        )
    else:
        app = msal.ConfidentialClientApplication(
            CERT_CLIENT, authority=f"https://login.microsoftonline.com/{CERT_TENANT}", client_credential=credential
        )
    result = app.acquire_token_for_client(scopes=[SCOPE])
    if "access_token" not in result:
        raise RuntimeError(json.dumps(result))
    return result["access_token"]


def azure_identity_certificate_token():
    from azure.identity import CertificateCredential

    if URL:
        credential = CertificateCredential(
            CERT_TENANT, CERT_CLIENT, certificate_path=CERT_FILE, authority=URL, instance_discovery=False
        )
    else:
        credential = CertificateCredential(CERT_TENANT, CERT_CLIENT, certificate_path=CERT_FILE)
    return credential.get_token(SCOPE).token


def report(client, get_token, extra=None):
    extra = extra or {}
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
        print(json.dumps({"client": client, **extra, "token": token, "status": response.status_code, "offers": offers}))
    except Exception:
        print(json.dumps({"client": client, **extra, "error": traceback.format_exc()}))
    sys.stdout.flush()


report("python-msal", msal_token)
report("python-azure-identity", azure_identity_token)
report("python-msal-certificate", msal_certificate_token, {"clientId": CERT_CLIENT})
report("python-azure-identity-certificate", azure_identity_certificate_token, {"clientId": CERT_CLIENT})
