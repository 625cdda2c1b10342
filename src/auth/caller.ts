/**
 * Who is calling: the verified token's identity and, when the token belongs to a registered
 * principal, that principal. A valid token of an unregistered application is a caller without a
 * principal: it is authenticated (no 401) but may access no publisher (403), as in the real service.
 */
export interface Caller {
  readonly tenantId: string
  readonly clientId?: string
  readonly objectId?: string
  readonly principalId?: string
  /**
   * The store's access revision read when this caller was authenticated: what the access check
   * caches for it is valid at this revision (auth/access-cache.ts). Without it nothing is cached.
   */
  readonly accessRevision?: number
}

/**
 * Whoever holds the store itself: the `cloudpartner` commands that open the data directory, and
 * the first-start bootstrap. It may act on every publisher, as an administrator of the service
 * would. Recognised by identity alone (see isStoreAdministrator), so that no caller built from a
 * request, whatever its token claims, can ever be it.
 */
export const STORE_ADMINISTRATOR: Caller = Object.freeze({ tenantId: '(the store administrator)' })

export function isStoreAdministrator(caller: Caller): boolean {
  return caller === STORE_ADMINISTRATOR
}
