import { stsIssuer } from '../auth/cloud-partner.ts'
import { isMultiTenantAlias, TENANT_ID_PLACEHOLDER } from './tenants.ts'
import type { TokenEndpointVersion } from './token-service.ts'

/**
 * The OpenID Connect discovery document of a tenant, with the fields Azure AD publishes. MSAL needs
 * at least `authorization_endpoint` and `token_endpoint`; every URL points back at `origin`. The v1
 * issuer is Azure AD's sts.windows.net one, which our tokens carry, whichever host served them.
 */
export function openIdConfiguration(
  version: TokenEndpointVersion,
  origin: string,
  tenant: string,
): Record<string, unknown> {
  const base = `${origin}/${tenant}`
  const issuerTenant = isMultiTenantAlias(tenant) ? TENANT_ID_PLACEHOLDER : tenant
  const common = {
    // As Azure AD lists them: secrets in the form or a Basic header, and certificate assertions.
    token_endpoint_auth_methods_supported: ['client_secret_post', 'private_key_jwt', 'client_secret_basic'],
    response_modes_supported: ['query', 'fragment', 'form_post'],
    subject_types_supported: ['pairwise'],
    id_token_signing_alg_values_supported: ['RS256'],
    http_logout_supported: true,
    frontchannel_logout_supported: true,
    tenant_region_scope: 'WW',
    cloud_instance_name: 'microsoftonline.com',
    cloud_graph_host_name: 'graph.windows.net',
    msgraph_host: 'graph.microsoft.com',
    rbac_url: 'https://pas.windows.net',
  }
  if (version === 'v1') {
    return {
      token_endpoint: `${base}/oauth2/token`,
      authorization_endpoint: `${base}/oauth2/authorize`,
      jwks_uri: `${origin}/common/discovery/keys`,
      issuer: stsIssuer(issuerTenant),
      response_types_supported: ['code', 'id_token', 'code id_token', 'token id_token', 'token'],
      scopes_supported: ['openid'],
      microsoft_multi_refresh_token: true,
      end_session_endpoint: `${base}/oauth2/logout`,
      device_authorization_endpoint: `${base}/oauth2/devicecode`,
      userinfo_endpoint: `${origin}/${tenant}/openid/userinfo`,
      ...common,
    }
  }
  return {
    token_endpoint: `${base}/oauth2/v2.0/token`,
    authorization_endpoint: `${base}/oauth2/v2.0/authorize`,
    jwks_uri: `${base}/discovery/v2.0/keys`,
    issuer: `${origin}/${issuerTenant}/v2.0`,
    response_types_supported: ['code', 'id_token', 'code id_token', 'id_token token'],
    scopes_supported: ['openid', 'profile', 'email', 'offline_access'],
    request_uri_parameter_supported: false,
    end_session_endpoint: `${base}/oauth2/v2.0/logout`,
    device_authorization_endpoint: `${base}/oauth2/v2.0/devicecode`,
    userinfo_endpoint: 'https://graph.microsoft.com/oidc/userinfo',
    kerberos_endpoint: `${base}/kerberos`,
    claims_supported: ['sub', 'iss', 'aud', 'exp', 'iat', 'auth_time', 'nonce', 'tid', 'ver', 'oid'],
    ...common,
  }
}
