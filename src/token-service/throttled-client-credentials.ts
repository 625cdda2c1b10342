import type { Clock } from '../clock.ts'
import type { IssuedToken } from './token-issuer.ts'
import type { TokenRequest, TokenService } from './token-service.ts'
import { isInvalidSecret, type TokenThrottle } from './token-throttle.ts'

/**
 * The client-credentials check behind the token service's throttle (docs/throttling.md): refused
 * before any lookup or hashing when the address or client is over its rate or backing off, hashed
 * in the caller's lane, a wrong secret counted against it. The token endpoint and the portal's
 * sign-in both go through here, so a secret cannot be guessed faster through one than the other.
 */
export async function throttledClientCredentials(
  deps: { tokens: TokenService; throttle: TokenThrottle; clock: Clock },
  address: string,
  clientId: string | undefined,
  request: Omit<TokenRequest, 'lane'>,
): Promise<IssuedToken> {
  const { throttle, clock } = deps
  // Refused before any lookup or hashing: a flood costs a map lookup per request.
  throttle.admit(address, clientId, clock.now().getTime())
  try {
    const issued = await deps.tokens.clientCredentials({
      ...request,
      ...(clientId === undefined ? {} : { lane: throttle.lane(address, clientId) }),
    })
    if (clientId !== undefined) throttle.succeeded(address, clientId)
    return issued
  } catch (error) {
    if (clientId !== undefined && isInvalidSecret(error))
      throttle.failed(address, clientId, clock.now().getTime())
    throw error
  }
}
