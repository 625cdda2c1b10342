/**
 * The well-known development tenant and principal, like Azurite's devstoreaccount1: documented, the
 * same on every machine, created on the first start in development mode, never in production mode,
 * where tokens for them are refused too.
 */
export const DEVELOPMENT_CREDENTIALS = Object.freeze({
  tenantId: '11111111-1111-1111-1111-111111111111',
  clientId: '22222222-2222-2222-2222-222222222222',
  clientSecret: 'cloudpartner-development-secret',
  displayName: 'Cloud Partner development principal',
})

export function isDevelopmentPrincipal(tenantId: string, clientId: string | undefined): boolean {
  return tenantId === DEVELOPMENT_CREDENTIALS.tenantId && clientId === DEVELOPMENT_CREDENTIALS.clientId
}
