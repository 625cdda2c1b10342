/** The resource (audience) Cloud Partner Portal tokens are issued for. */
export const CLOUD_PARTNER_RESOURCE = 'https://cloudpartner.azure.com'

/** Azure AD v1 issuer of a tenant, as CPP's tokens carry it in `iss` and `idp`. */
export function stsIssuer(tenantId: string): string {
  return `https://sts.windows.net/${tenantId}/`
}

const STS_ISSUER = /^https:\/\/sts\.windows\.net\/([^/]+)\/$/

export function tenantOfStsIssuer(issuer: string): string | undefined {
  return STS_ISSUER.exec(issuer)?.[1]
}
