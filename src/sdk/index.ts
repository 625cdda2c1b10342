/**
 * The cloudpartner SDK: a typed client of the Cloud Partner Portal offers API (api-version
 * 2017-10-31), for the real service and for this server alike. See docs/sdk.md.
 *
 * @example
 * import { CloudPartnerClient, developmentOptions } from 'cloudpartner/sdk'
 *
 * const client = new CloudPartnerClient(developmentOptions())
 * const operation = await client.offers.publish('contoso', 'contosovirtualmachine')
 * await operation.wait({ onProgress: ({ step }) => console.log(step?.name, step?.progressPercentage) })
 * await (await client.offers.goLive('contoso', 'contosovirtualmachine')).wait()
 */
export { OFFER_STATUSES } from '../offers/offer.ts'
export {
  type AccessToken,
  CLOUD_PARTNER_RESOURCE,
  CLOUD_PARTNER_SCOPE,
  type ClientCredentialsOptions,
  clientCredentials,
  DEFAULT_AUTHORITY,
  type GetTokenOptions,
  staticToken,
  type TokenCredential,
} from './auth/token-provider.ts'
export {
  CloudPartnerClient,
  type CloudPartnerClientOptions,
  type Credential,
  DEFAULT_API_VERSION,
  DEFAULT_ENDPOINT,
  developmentOptions,
} from './client.ts'
export { type ChangeKind, diffOffers, jsonPath, type OfferChange, type PathSegment } from './diff.ts'
export {
  AadTokenError,
  CloudPartnerError,
  CppApiError,
  CppNetworkError,
  errorMessagesOf,
  OperationFailedError,
} from './errors.ts'
export { backoffDelay, parseRetryAfter, type RetryEvent, type RetryOptions } from './http/retry.ts'
export {
  type CancelOptions,
  type CancelResult,
  Operation,
  type OperationRef,
  parseOperationLocation,
  type WaitOptions,
} from './operation.ts'
export {
  type CurrentStep,
  currentStep,
  isTerminal,
  type OperationOutcome,
  type OperationProgress,
  outcomeOf,
} from './operation-progress.ts'
export type { AdminClient } from './resources/admin.ts'
export type {
  ListOffersOptions,
  OffersClient,
  OfferWithETag,
  PublishOptions,
  PutOfferOptions,
} from './resources/offers.ts'
export type { OperationsClient } from './resources/operations.ts'
export type { RequestOptions } from './resources/paths.ts'
export type { OfferTypesClient, PublishersClient } from './resources/publishers.ts'
export { type Runtime, systemRuntime } from './runtime.ts'
export type * from './types.ts'
export {
  type OfferProblem,
  type OfferProblemKind,
  type OfferValidation,
  type ValidateOfferOptions,
  validateOffer,
} from './validate-offer.ts'
