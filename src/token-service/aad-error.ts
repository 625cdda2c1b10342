import { randomUUID } from 'node:crypto'

/**
 * Errors of the token service, shaped as Azure AD sends them, so that MSAL, ADAL and hand-written
 * clients report them the way they report real ones: `error`, `error_description` starting with the
 * AADSTS code, `error_codes`, `timestamp`, `trace_id`, `correlation_id`, `error_uri`.
 */
export type AadErrorKind =
  | 'invalid_request'
  | 'invalid_client'
  | 'unauthorized_client'
  | 'unsupported_grant_type'
  | 'invalid_resource'
  | 'invalid_scope'
  | 'invalid_tenant'
  | 'server_error'
  | 'temporarily_unavailable'

export class AadError extends Error {
  readonly statusCode: 400 | 401 | 429 | 500 | 503
  readonly error: AadErrorKind
  readonly aadsts: number
  /** Sent as `Retry-After` (seconds): how long a throttled client should wait. */
  readonly retryAfterSeconds: number | undefined

  constructor(
    statusCode: 400 | 401 | 429 | 500 | 503,
    error: AadErrorKind,
    aadsts: number,
    description: string,
    retryAfterSeconds?: number,
  ) {
    super(`AADSTS${aadsts}: ${description}`)
    this.name = 'AadError'
    this.statusCode = statusCode
    this.error = error
    this.aadsts = aadsts
    this.retryAfterSeconds = retryAfterSeconds
  }

  /** `correlationId`: the client's `client-request-id`, which Azure AD echoes; a new one otherwise. */
  toBody(traceId: string, now: Date, correlationId: string = randomUUID()): Record<string, unknown> {
    const timestamp = `${now.toISOString().slice(0, 19).replace('T', ' ')}Z`
    return {
      error: this.error,
      error_description: `${this.message}\r\nTrace ID: ${traceId}\r\nCorrelation ID: ${correlationId}\r\nTimestamp: ${timestamp}`,
      error_codes: [this.aadsts],
      timestamp,
      trace_id: traceId,
      correlation_id: correlationId,
      error_uri: `https://login.microsoftonline.com/error?code=${this.aadsts}`,
    }
  }
}

/** The client_assertion_type of a JWT client assertion (RFC 7523), the only one Azure AD takes. */
export const JWT_BEARER = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer'

const CERTIFICATE_DOCS = 'https://learn.microsoft.com/entra/identity-platform/certificate-credentials'

export const aadErrors = {
  missingParameter: (name: string) =>
    new AadError(
      400,
      'invalid_request',
      900144,
      `The request body must contain the following parameter: '${name}'.`,
    ),
  missingSecret: () =>
    new AadError(
      401,
      'invalid_client',
      7000218,
      "The request body must contain the following parameter: 'client_assertion' or 'client_secret'.",
    ),
  unsupportedGrantType: (grantType: string) =>
    new AadError(
      400,
      'unsupported_grant_type',
      70003,
      `The app requested an unsupported grant type '${grantType}'.`,
    ),
  tenantNotFound: (tenant: string) =>
    new AadError(
      400,
      'invalid_tenant',
      90002,
      `Tenant '${tenant}' not found. Check to make sure you have the correct tenant ID and are signing into the correct cloud.`,
    ),
  applicationNotFound: (clientId: string, tenant: string) =>
    new AadError(
      400,
      'unauthorized_client',
      700016,
      `Application with identifier '${clientId}' was not found in the directory '${tenant}'. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant. You may have sent your authentication request to the wrong tenant.`,
    ),
  invalidSecret: (clientId: string) =>
    new AadError(
      401,
      'invalid_client',
      7000215,
      `Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app '${clientId}'.`,
    ),
  developmentCredentialsDisabled: () =>
    new AadError(
      401,
      'invalid_client',
      7000215,
      'The well-known development credentials are not accepted: the server runs in production mode.',
    ),
  resourceNotFound: (resource: string, tenant: string) =>
    new AadError(
      400,
      'invalid_resource',
      500011,
      `The resource principal named ${resource} was not found in the tenant named ${tenant}. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant. You might have sent your authentication request to the wrong tenant.`,
    ),
  invalidScope: (scope: string) =>
    new AadError(
      400,
      'invalid_scope',
      1002012,
      `The provided value for scope ${scope} is not valid. Client credential flows must have a scope value with /.default suffixed to the resource identifier (application ID URI).`,
    ),
  /** A client-credentials request to `common` or `organizations`: Azure AD cannot tell which tenant. */
  noTenantInformation: () =>
    new AadError(
      400,
      'invalid_request',
      50059,
      'No tenant-identifying information found in either the request or implied by any provided credentials.',
    ),
  postOnly: (method: string) =>
    new AadError(
      400,
      'invalid_request',
      900561,
      `The endpoint only accepts POST, OPTIONS requests. Received a ${method} request.`,
    ),
  /** Both kinds of client credential at once: Azure AD takes one. */
  conflictingCredentials: () =>
    new AadError(
      401,
      'invalid_client',
      7000218,
      "The request body must contain only one of the following parameters: 'client_assertion' or 'client_secret'.",
    ),
  unsupportedAssertionType: (type: string | undefined) =>
    new AadError(
      400,
      'invalid_request',
      type === undefined ? 900144 : 50027,
      type === undefined
        ? "The request body must contain the following parameter: 'client_assertion_type'."
        : `Invalid JWT token. The client_assertion_type '${type}' is not supported: use '${JWT_BEARER}'.`,
    ),
  malformedAssertion: (detail: string) =>
    new AadError(401, 'invalid_client', 50027, `Invalid JWT token. ${detail}`),
  assertionClientMismatch: () =>
    new AadError(
      401,
      'invalid_client',
      700021,
      `Client assertion application identifier doesn't match 'client_id' parameter. Review the documentation at ${CERTIFICATE_DOCS} .`,
    ),
  assertionKeyNotFound: (thumbprint: string, clientId: string) =>
    new AadError(
      401,
      'invalid_client',
      700027,
      `Client assertion contains an invalid signature. [Reason - The key was not found., Thumbprint of key used by client: '${thumbprint}', Please visit the Azure Portal, Graph Explorer or directly use MS Graph to see configured keys for app Id '${clientId}'. Review the documentation at ${CERTIFICATE_DOCS} .]`,
    ),
  assertionKeyExpired: (thumbprint: string, notBefore: string, notAfter: string) =>
    new AadError(
      401,
      'invalid_client',
      700027,
      `Client assertion contains an invalid signature. [Reason - The key used is expired., Thumbprint of key used by client: '${thumbprint}', Found key 'Start=${notBefore}, End=${notAfter}']`,
    ),
  assertionBadSignature: (thumbprint: string, notBefore: string, notAfter: string) =>
    new AadError(
      401,
      'invalid_client',
      700027,
      `Client assertion contains an invalid signature. [Reason - The provided signature value did not match the expected signature value., Thumbprint of key used by client: '${thumbprint}', Found key 'Start=${notBefore}, End=${notAfter}']`,
    ),
  assertionAudience: () =>
    new AadError(
      401,
      'invalid_client',
      700023,
      `Client assertion audience claim does not match Realm issuer. Review the documentation at ${CERTIFICATE_DOCS} .`,
    ),
  assertionTimeRange: (now: string, validFrom: string, expiry: string) =>
    new AadError(
      401,
      'invalid_client',
      700024,
      `Client assertion is not within its valid time range. Current time: ${now}, assertion valid from ${validFrom}, expiry time of assertion ${expiry}. Review the documentation at ${CERTIFICATE_DOCS} .`,
    ),
  assertionReplayed: () =>
    new AadError(
      401,
      'invalid_client',
      50027,
      `Invalid JWT token. The client assertion's jti has been used before: an assertion authenticates once. Review the documentation at ${CERTIFICATE_DOCS} .`,
    ),
  malformedRequest: (detail: string) => new AadError(400, 'invalid_request', 900144, detail),
  /** A bug or an unavailable store: never blamed on the client, never described to it. */
  /** The store is unreachable: a transient condition the client may retry. */
  temporarilyUnavailable: () =>
    new AadError(503, 'temporarily_unavailable', 90033, 'A transient error has occurred. Please try again.'),
  /**
   * Too many requests from this client or address, or too many wrong secrets: Azure AD's throttling
   * answer (429 with Retry-After); the code is its tenant throttling one (docs/compatibility.md).
   */
  throttled: (what: string, retryAfterSeconds: number) =>
    new AadError(
      429,
      'temporarily_unavailable',
      90055,
      `Too many requests ${what}. Retry after ${retryAfterSeconds} seconds.`,
      retryAfterSeconds,
    ),
  serverError: () =>
    new AadError(
      500,
      'server_error',
      50000,
      'There was an error issuing a token or an issue with our sign-in service.',
    ),
}
