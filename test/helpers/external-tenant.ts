import { randomUUID, type webcrypto } from 'node:crypto'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import type { TestContext } from 'node:test'
import { exportJWK, generateKeyPair, type JWTPayload, SignJWT } from 'jose'
import type { Clock } from '../../src/clock.ts'
import { V1_RESOURCE } from './token-requests.ts'

/** How the stand-in for Azure AD's JWKS endpoint behaves. */
export type JwksBehaviour = 'serve' | 'hang' | 'fail'

/**
 * A stand-in for a real Azure AD tenant: a key pair, and its public key served as a JWKS on
 * 127.0.0.1. Tokens it signs look like Azure AD v1 app tokens of that tenant.
 */
export interface ExternalTenant {
  readonly tenantId: string
  readonly issuer: string
  readonly jwksUri: string
  readonly kid: string
  /** How many times the JWKS was asked for. */
  jwksRequests(): number
  /** Signs claims (over a v1 app-token base) with this tenant's key, or with `signingKey`. */
  sign(claims: JWTPayload, options?: { signingKey?: webcrypto.CryptoKey; kid?: string }): Promise<string>
}

/** `clock`: the app's, so that the tokens are fresh in the app's time. */
export async function startExternalTenant(
  t: TestContext,
  clock: Clock,
  behaviour: JwksBehaviour = 'serve',
): Promise<ExternalTenant> {
  const tenantId = randomUUID()
  const kid = `ext-${randomUUID()}`
  const { publicKey, privateKey } = await generateKeyPair('RS256')
  const jwks = { keys: [{ ...(await exportJWK(publicKey)), kid, use: 'sig', kty: 'RSA' }] }
  let requests = 0
  const server = createServer((_request, response) => {
    requests += 1
    // 'hang' never answers: only the verifier's timeout ends the wait.
    if (behaviour === 'fail') response.writeHead(500).end('{"error":"boom"}')
    if (behaviour === 'serve')
      response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(jwks))
  })
  const port = await listen(server)
  t.after(() => close(server))
  const issuer = `https://sts.windows.net/${tenantId}/`
  return {
    tenantId,
    issuer,
    jwksUri: `http://127.0.0.1:${port}/${tenantId}/discovery/keys`,
    kid,
    jwksRequests: () => requests,
    async sign(claims, options = {}) {
      const now = Math.floor(clock.now().getTime() / 1000)
      return new SignJWT({
        aud: V1_RESOURCE,
        iss: issuer,
        idp: issuer,
        tid: tenantId,
        ver: '1.0',
        appidacr: '1',
        iat: now - 300,
        nbf: now - 300,
        exp: now + 3600,
        ...claims,
      })
        .setProtectedHeader({ typ: 'JWT', alg: 'RS256', kid: options.kid ?? kid })
        .sign(options.signingKey ?? privateKey)
    },
  }
}

/** A URL on 127.0.0.1 where nothing listens any more: connections are refused at once. */
export async function unreachableUrl(): Promise<string> {
  const server = createServer()
  const port = await listen(server)
  await close(server)
  return `http://127.0.0.1:${port}/keys`
}

function listen(server: Server): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port))
  })
}

function close(server: Server): Promise<void> {
  server.closeAllConnections()
  return new Promise((resolve) => server.close(() => resolve()))
}
