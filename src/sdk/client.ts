import { DEVELOPMENT_CREDENTIALS } from '../auth/development-credentials.ts'
import { CURRENT_API_VERSION } from '../http/api-version.ts'
import { PACKAGE_VERSION } from '../version.ts'
import {
  type ClientCredentialsOptions,
  clientCredentials,
  staticToken,
  type TokenCredential,
} from './auth/token-provider.ts'
import { HttpClient } from './http/http-client.ts'
import { type RetryOptions, retryPolicy } from './http/retry.ts'
import { AdminClient } from './resources/admin.ts'
import { OffersClient } from './resources/offers.ts'
import { OperationsClient } from './resources/operations.ts'
import { OfferTypesClient, PublishersClient } from './resources/publishers.ts'
import { type Runtime, systemRuntime } from './runtime.ts'

/** The real service. */
export const DEFAULT_ENDPOINT = 'https://cloudpartner.azure.com'
/** The api-version of every page of the reference. */
export const DEFAULT_API_VERSION: string = CURRENT_API_VERSION

/**
 * How the client authenticates: any TokenCredential (those of `@azure/identity`, or your own), a ready
 * token, or client credentials (tokens fetched and refreshed by the SDK).
 */
export type Credential =
  | TokenCredential
  | { readonly token: string }
  | Omit<ClientCredentialsOptions, 'fetch' | 'runtime' | 'retry'>

export interface CloudPartnerClientOptions {
  /** Base URL of the API. Default `https://cloudpartner.azure.com`; e.g. `http://127.0.0.1:8080` for this server. */
  readonly endpoint?: string
  readonly credential: Credential
  /** Default `2017-10-31`. */
  readonly apiVersion?: string
  /** Retries of 429, 5xx and network errors (token requests included). */
  readonly retry?: RetryOptions
  /** Per attempt. Default 60 s. */
  readonly timeoutMs?: number
  /** Default: the global fetch. */
  readonly fetch?: typeof fetch
  /** Time, waiting and randomness, for tests. */
  readonly runtime?: Runtime
  /** Appended to the SDK's own User-Agent. */
  readonly userAgent?: string
}

/**
 * A client of the Cloud Partner Portal offers API (api-version 2017-10-31): the real service, or
 * this server. Every call of the reference is here (E1–E12), typed with the schemas the server uses.
 *
 * @example
 * // This server, started with `npm start`, and its well-known development credentials:
 * const client = new CloudPartnerClient(developmentOptions('http://127.0.0.1:8080'))
 * for (const offer of await client.offers.list('contoso')) console.log(offer.id, offer.status)
 *
 * @example
 * // The real service, with an Azure AD application:
 * const client = new CloudPartnerClient({
 *   credential: { tenantId: '…', clientId: '…', clientSecret: process.env.CPP_CLIENT_SECRET! },
 * })
 *
 * @example
 * // Any TokenCredential: a managed identity, workload identity federation, the Azure CLI's login…
 * import { DefaultAzureCredential } from '@azure/identity'
 * const client = new CloudPartnerClient({ credential: new DefaultAzureCredential() })
 */
export class CloudPartnerClient {
  readonly endpoint: string
  readonly apiVersion: string
  /** E1. */
  readonly publishers: PublishersClient
  /** E2. */
  readonly offerTypes: OfferTypesClient
  /** E3–E11: offers and their publishing. */
  readonly offers: OffersClient
  /** E11, E12: operations by URL. */
  readonly operations: OperationsClient
  /** This emulator's `/admin` controls; the real service has none. */
  readonly admin: AdminClient

  constructor(options: CloudPartnerClientOptions) {
    const runtime = options.runtime ?? systemRuntime
    const doFetch = options.fetch ?? globalThis.fetch
    this.endpoint = options.endpoint ?? DEFAULT_ENDPOINT
    this.apiVersion = options.apiVersion ?? DEFAULT_API_VERSION
    const http = new HttpClient({
      endpoint: this.endpoint,
      apiVersion: this.apiVersion,
      credential: tokenProvider(options.credential, { fetch: doFetch, runtime, retry: options.retry }),
      fetch: doFetch,
      runtime,
      retry: retryPolicy(options.retry),
      timeoutMs: options.timeoutMs ?? 60_000,
      userAgent: `cloudpartner-sdk/${PACKAGE_VERSION} node/${process.versions.node}${options.userAgent ? ` ${options.userAgent}` : ''}`,
    })
    this.publishers = new PublishersClient(http)
    this.offerTypes = new OfferTypesClient(http)
    this.offers = new OffersClient(http, { http, runtime })
    this.operations = new OperationsClient(http, {
      http,
      runtime,
      cancel: (publisherId, offerId, cancelOptions) =>
        this.offers.cancel(publisherId, offerId, cancelOptions),
    })
    this.admin = new AdminClient(http)
  }
}

/**
 * Options for this server on a loopback address, in development mode: its well-known development
 * principal, with tokens from the server's own token service.
 */
export function developmentOptions(endpoint = 'http://127.0.0.1:8080'): CloudPartnerClientOptions {
  return {
    endpoint,
    credential: {
      authority: endpoint,
      tenantId: DEVELOPMENT_CREDENTIALS.tenantId,
      clientId: DEVELOPMENT_CREDENTIALS.clientId,
      clientSecret: DEVELOPMENT_CREDENTIALS.clientSecret,
    },
  }
}

function tokenProvider(
  credential: Credential,
  shared: { fetch: typeof fetch; runtime: Runtime; retry: RetryOptions | undefined },
): TokenCredential {
  if ('getToken' in credential && typeof credential.getToken === 'function') return credential
  if ('token' in credential && typeof credential.token === 'string') return staticToken(credential.token)
  const options = credential as Omit<ClientCredentialsOptions, 'fetch' | 'runtime' | 'retry'>
  return clientCredentials({
    ...options,
    fetch: shared.fetch,
    runtime: shared.runtime,
    ...(shared.retry ? { retry: shared.retry } : {}),
  })
}
