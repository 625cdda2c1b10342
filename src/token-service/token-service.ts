import { CLOUD_PARTNER_RESOURCE } from '../auth/cloud-partner.ts'
import { isDevelopmentPrincipal } from '../auth/development-credentials.ts'
import type { Clock } from '../clock.ts'
import { errors } from '../errors/errors.ts'
import { verifyClientSecret } from '../principals/client-secret.ts'
import type { Principal } from '../principals/principal.ts'
import type { PrincipalStore } from '../principals/principals.store.ts'
import type { Lane } from '../throttling/work-gate.ts'
import { aadErrors, JWT_BEARER } from './aad-error.ts'
import type { AssertionReplayStore } from './assertion-replay.store.ts'
import { unverifiedAssertionIssuer, verifyClientAssertion } from './client-assertion.ts'
import { canonicalTenant, isMultiTenantAlias } from './tenants.ts'
import type { IssuedToken, TokenIssuer } from './token-issuer.ts'

export type TokenEndpointVersion = 'v1' | 'v2'

export interface TokenRequest {
  readonly tenant: string
  readonly version: TokenEndpointVersion
  /** The Host header the client sent (with its port): a client assertion's `aud` names it. */
  readonly host: string
  /** The form fields, as sent. */
  readonly form: Readonly<Record<string, unknown>>
  /** client_id and client_secret from an HTTP Basic Authorization header (client_secret_basic). */
  readonly basic?: { readonly clientId: string; readonly clientSecret: string }
  /** Where its secret check queues: behind others when this caller sent wrong secrets lately. */
  readonly lane?: Lane
}

const DEFAULT_SCOPE_SUFFIX = '/.default'

/** Access tokens for the Cloud Partner Portal resource, signed with the server's keys. */
export interface TokenService {
  /**
   * The client-credentials grant, as Azure AD answers it for the Cloud Partner Portal resource: v1
   * takes `resource`, v2 takes `scope=<resource>/.default`. Checks in Azure AD's order, with its
   * errors (AadError).
   */
  clientCredentials(request: TokenRequest): Promise<IssuedToken>
  /**
   * A token for a registered principal without its secret, for whoever holds the store and its
   * master key (`cloudpartner token`). The same principals get tokens as at the token endpoint: not
   * the development principal in production mode (403), not one of an external tenant (403).
   */
  issueFor(principal: Principal): Promise<IssuedToken>
}

export function createTokenService(deps: {
  principals: PrincipalStore
  assertionReplay: AssertionReplayStore
  issuer: TokenIssuer
  clock: Clock
  production: boolean
  /** Runs a secret check (an scrypt hash) within the token endpoint's bounds; at once without. */
  hash?: <T>(lane: Lane, work: () => Promise<T>) => Promise<T>
}): TokenService {
  const hash = deps.hash ?? ((_lane, work) => work())
  return {
    async clientCredentials(request) {
      const form = request.form
      const tenant = canonicalTenant(request.tenant)
      const grantType = field(form, 'grant_type')
      if (grantType === undefined) throw aadErrors.missingParameter('grant_type')
      if (grantType !== 'client_credentials') throw aadErrors.unsupportedGrantType(grantType)
      const assertion = field(form, 'client_assertion')
      // RFC 7523 makes client_id optional beside an assertion, whose iss names the client.
      const clientId = (
        field(form, 'client_id') ??
        request.basic?.clientId ??
        (assertion === undefined ? undefined : unverifiedAssertionIssuer(assertion))
      )?.toLowerCase()
      if (clientId === undefined) throw aadErrors.missingParameter('client_id')
      const audience = request.version === 'v1' ? resourceOf(form, tenant) : scopeOf(form, tenant)
      const secret = field(form, 'client_secret') ?? request.basic?.clientSecret
      if (isMultiTenantAlias(tenant)) throw aadErrors.noTenantInformation()
      if (!(await deps.principals.hasTenant(tenant))) throw aadErrors.tenantNotFound(request.tenant)
      // Application ids are GUIDs, registered in lower case (E5), compared as Azure AD does.
      const credentials = await deps.principals.findCredentials(tenant, clientId)
      if (!credentials) throw aadErrors.applicationNotFound(clientId, request.tenant)
      if (secret === undefined && assertion === undefined) throw aadErrors.missingSecret()
      if (secret !== undefined && assertion !== undefined) throw aadErrors.conflictingCredentials()
      if (deps.production && isDevelopmentPrincipal(tenant, clientId)) {
        throw aadErrors.developmentCredentialsDisabled()
      }
      if (assertion !== undefined) {
        const assertionType = field(form, 'client_assertion_type')
        if (assertionType !== JWT_BEARER) throw aadErrors.unsupportedAssertionType(assertionType)
        await verifyClientAssertion({
          assertion,
          clientId,
          tenant,
          tenantAsSent: request.tenant,
          host: request.host,
          certificates: await deps.principals.listCertificates(credentials.principal.id),
          now: deps.clock.now(),
          replay: deps.assertionReplay,
        })
      } else {
        const valid =
          credentials.secretHash !== undefined &&
          (await hash(request.lane ?? 'trusted', () =>
            verifyClientSecret(secret as string, credentials.secretHash as string),
          ))
        if (!valid) throw aadErrors.invalidSecret(clientId)
      }
      return deps.issuer.issue(credentials.principal, audience)
    },

    async issueFor(principal) {
      if (deps.production && isDevelopmentPrincipal(principal.tenantId, principal.clientId)) {
        throw errors.tokenRefused('Production mode: no tokens for the well-known development principal.')
      }
      if (!principal.hasSecret) {
        throw errors.tokenRefused(
          `"${principal.displayName}" has no secret: it gets its tokens with its certificate, or from its external tenant.`,
        )
      }
      return deps.issuer.issue(principal, CLOUD_PARTNER_RESOURCE)
    },
  }
}

function field(form: Readonly<Record<string, unknown>>, name: string): string | undefined {
  const value = form[name]
  if (Array.isArray(value)) return typeof value[0] === 'string' && value[0] !== '' ? value[0] : undefined
  return typeof value === 'string' && value !== '' ? value : undefined
}

function resourceOf(form: Readonly<Record<string, unknown>>, tenant: string): string {
  const resource = field(form, 'resource')
  if (resource === undefined) throw aadErrors.missingParameter('resource')
  if (!isCloudPartnerResource(resource)) throw aadErrors.resourceNotFound(resource, tenant)
  return CLOUD_PARTNER_RESOURCE
}

function scopeOf(form: Readonly<Record<string, unknown>>, tenant: string): string {
  const scope = field(form, 'scope')
  if (scope === undefined) throw aadErrors.missingParameter('scope')
  const scopes = scope.split(/\s+/).filter(Boolean)
  const [only] = scopes
  if (scopes.length !== 1 || only === undefined || !only.endsWith(DEFAULT_SCOPE_SUFFIX)) {
    throw aadErrors.invalidScope(scope)
  }
  const resource = only.slice(0, -DEFAULT_SCOPE_SUFFIX.length)
  if (!isCloudPartnerResource(resource)) throw aadErrors.resourceNotFound(resource, tenant)
  return CLOUD_PARTNER_RESOURCE
}

/** Clients write the resource with and without a trailing slash; both name the same application. */
function isCloudPartnerResource(resource: string): boolean {
  return resource.toLowerCase().replace(/\/$/, '') === CLOUD_PARTNER_RESOURCE
}
