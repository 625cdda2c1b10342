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
}
