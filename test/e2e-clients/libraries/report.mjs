// What the Node clients share: the development credentials (or CPP_* variables), and one JSON line
// per client with the token it got and what Retrieve offers answered with it, or the error.
export function credentials() {
  return {
    tenantId: process.env.CPP_TENANT_ID ?? '11111111-1111-1111-1111-111111111111',
    clientId: process.env.CPP_CLIENT_ID ?? '22222222-2222-2222-2222-222222222222',
    clientSecret: process.env.CPP_CLIENT_SECRET ?? 'cloudpartner-development-secret',
  }
}

/** The principal registered with a certificate for the run (CPP_CERT_*; see azure-libraries.test.ts). */
export function certificateCredentials() {
  return {
    tenantId: process.env.CPP_CERT_TENANT_ID,
    clientId: process.env.CPP_CERT_CLIENT_ID,
    certificatePath: process.env.CPP_CERT_FILE,
    thumbprintSha256: process.env.CPP_CERT_THUMBPRINT_SHA256,
  }
}

/** `extra` goes into the line as it is: the client id a certificate client used, to check the token's appid. */
export async function report(client, getToken, extra = {}) {
  try {
    const token = await getToken()
    const api = process.env.CLOUDPARTNER_URL ?? 'https://cloudpartner.azure.com'
    const response = await fetch(`${api}/api/publishers/contoso/offers?api-version=2017-10-31`, {
      headers: { authorization: `Bearer ${token}` },
      signal: AbortSignal.timeout(30_000),
    })
    const body = await response.json()
    const offers = Array.isArray(body) ? body.map((offer) => offer.id) : body
    await print({ client, ...extra, token, status: response.status, offers })
  } catch (error) {
    await print({ client, ...extra, error: String(error?.stack ?? error) })
  }
}

/**
 * Writes the line, then ends the process: the libraries keep idle connections open for seconds
 * after the last answer, which would only make the test wait.
 */
export function print(outcome) {
  return new Promise(() => process.stdout.write(`${JSON.stringify(outcome)}\n`, () => process.exit(0)))
}
