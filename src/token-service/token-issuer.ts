import { randomBytes } from 'node:crypto'
import { SignJWT } from 'jose'
import { stsIssuer } from '../auth/cloud-partner.ts'
import type { Clock } from '../clock.ts'
import type { Principal } from '../principals/principal.ts'
import type { Keyring } from './keyring.ts'

/** Azure AD back-dates `iat`/`nbf` by five minutes to absorb clock skew; so do we. */
const BACKDATE_SECONDS = 300

export interface IssuedToken {
  readonly accessToken: string
  readonly expiresIn: number
  /** Seconds since the epoch. */
  readonly notBefore: number
  readonly expiresOn: number
  readonly audience: string
}

export interface TokenIssuer {
  /** A signed access token for the principal and audience. */
  issue(principal: Principal, audience: string): Promise<IssuedToken>
}

/**
 * Mints access tokens shaped like Azure AD v1 application tokens: the claims of a client-credentials
 * token for `https://cloudpartner.azure.com` (aud, iss https://sts.windows.net/{tenant}/, appid,
 * appidacr, idp, oid, sub, tid, ver 1.0, ...), RS256-signed with the keyring's active key.
 */
export function createTokenIssuer(deps: {
  keyring: Keyring
  clock: Clock
  tokenLifetimeSeconds: number
}): TokenIssuer {
  return {
    async issue(principal, audience) {
      const now = Math.floor(deps.clock.now().getTime() / 1000)
      const notBefore = now - BACKDATE_SECONDS
      const expiresOn = now + deps.tokenLifetimeSeconds
      const key = await deps.keyring.activeKey()
      const issuer = stsIssuer(principal.tenantId)
      const accessToken = await new SignJWT({
        aio: randomBytes(24).toString('base64url'),
        appid: principal.clientId,
        appidacr: '1',
        idp: issuer,
        idtyp: 'app',
        oid: principal.objectId,
        rh: `0.${randomBytes(16).toString('base64url')}.`,
        tid: principal.tenantId,
        uti: randomBytes(16).toString('base64url'),
        ver: '1.0',
      })
        .setProtectedHeader({ typ: 'JWT', alg: 'RS256', x5t: key.kid, kid: key.kid })
        .setAudience(audience)
        .setIssuer(issuer)
        .setSubject(principal.objectId)
        .setIssuedAt(notBefore)
        .setNotBefore(notBefore)
        .setExpirationTime(expiresOn)
        .sign(key.privateKey)
      return { accessToken, expiresIn: deps.tokenLifetimeSeconds, notBefore, expiresOn, audience }
    },
  }
}
