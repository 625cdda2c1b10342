import type { ApiResponse, HttpClient } from '../http/http-client.ts'
import { parseJson } from '../http/http-client.ts'
import { type CancelOptions, type CancelResult, Operation, type OperationDeps } from '../operation.ts'
import type {
  Offer,
  OfferDocument,
  OfferPublishingStatus,
  OfferStatus,
  OfferSummary,
  OperationDetail,
  SlotName,
  Submission,
} from '../types.ts'
import { offerPath, parseSubmissions, type RequestOptions } from './paths.ts'

/** An offer with the ETag the answer carried: send it back as `ifMatch` to update only that version. */
export interface OfferWithETag {
  readonly offer: Offer
  /** The draft's weak ETag, e.g. `W/"datetime'2026-11-21T10%3A00%3A00.0000000Z'"`. */
  readonly etag: string | undefined
}

export interface ListOffersOptions extends RequestOptions {
  /** Only offers of this type (`$filter=offerTypeId eq '…'`). */
  readonly offerTypeId?: string
  /** Only offers in this status. */
  readonly status?: OfferStatus
  /** A raw OData `$filter`; combined with the two above by `and`. */
  readonly filter?: string
}

export interface PutOfferOptions extends RequestOptions {
  /**
   * Leave out to create (409 InvalidResourceId if the offer exists); `'*'` to replace whatever is
   * stored (last one wins); an ETag from a GET to replace only that version (412 otherwise).
   */
  readonly ifMatch?: string
}

export interface PublishOptions extends RequestOptions {
  /** Who to notify of progress: comma-separated or a list (ignored for migrated offers). */
  readonly notificationEmails?: string | readonly string[]
}

/** Offers (reference E3–E11): read, write, publish, go live, cancel, and their operations. */
export class OffersClient {
  readonly #http: HttpClient
  readonly #operationDeps: OperationDeps

  constructor(http: HttpClient, operationDeps: Omit<OperationDeps, 'cancel'>) {
    this.#http = http
    this.#operationDeps = { ...operationDeps, cancel: (p, o, options) => this.cancel(p, o, options) }
  }

  /** Summaries of the offers in a publisher namespace (E3), ordered by id. */
  list(publisherId: string, options: ListOffersOptions = {}): Promise<OfferSummary[]> {
    const filter = [
      ...(options.offerTypeId === undefined ? [] : [`offerTypeId eq ${odataString(options.offerTypeId)}`]),
      ...(options.status === undefined ? [] : [`status eq ${odataString(options.status)}`]),
      ...(options.filter === undefined ? [] : [options.filter]),
    ].join(' and ')
    return this.#http.json<OfferSummary[]>({
      method: 'GET',
      path: `/api/publishers/${encodeURIComponent(publisherId)}/offers`,
      query: { $filter: filter === '' ? undefined : filter },
      signal: options.signal,
    })
  }

  /** The draft of an offer, with its ETag (E4). Secret-typed values are never returned. */
  async get(publisherId: string, offerId: string, options: RequestOptions = {}): Promise<OfferWithETag> {
    return withETag(
      await this.#http.send({ method: 'GET', path: offerPath(publisherId, offerId), signal: options.signal }),
    )
  }

  /** A published version as it was snapshotted, or the draft when `version` is the draft's (E4). */
  async getVersion(
    publisherId: string,
    offerId: string,
    version: number,
    options: RequestOptions = {},
  ): Promise<OfferWithETag> {
    if (!Number.isInteger(version)) throw new TypeError(`version must be an integer, not ${version}`)
    return withETag(
      await this.#http.send({
        method: 'GET',
        path: `${offerPath(publisherId, offerId)}/versions/${version}`,
        signal: options.signal,
      }),
    )
  }

  /** The offer in a slot: draft, preview or production (E4); 404 for a slot never reached. */
  async getSlot(
    publisherId: string,
    offerId: string,
    slot: SlotName,
    options: RequestOptions = {},
  ): Promise<OfferWithETag> {
    return withETag(
      await this.#http.send({
        method: 'GET',
        path: `${offerPath(publisherId, offerId)}/slot/${encodeURIComponent(slot)}`,
        signal: options.signal,
      }),
    )
  }

  /**
   * Creates an offer or replaces its draft (E6). Without `ifMatch` it only creates: an existing offer
   * answers 409 InvalidResourceId (it sends `If-None-Match: *`, which this server honours whatever
   * its If-Match setting; the real service answered 409 to a PUT without If-Match). Retried after a
   * lost answer only with `ifMatch: '*'`: a create or an ETag-guarded write sent twice would answer
   * 409 or 412.
   *
   * @example
   * const { offer, etag } = await client.offers.get('contoso', 'my-offer')
   * offer.definition.offer['microsoft-azure-marketplace.summary'] = 'Now faster'
   * await client.offers.put('contoso', 'my-offer', offer, { ifMatch: etag })
   */
  async put(
    publisherId: string,
    offerId: string,
    document: OfferDocument | Offer,
    options: PutOfferOptions = {},
  ): Promise<OfferWithETag> {
    return withETag(
      await this.#http.send({
        method: 'PUT',
        path: offerPath(publisherId, offerId),
        body: document,
        headers: options.ifMatch === undefined ? { 'if-none-match': '*' } : { 'if-match': options.ifMatch },
        idempotent: options.ifMatch === '*',
        signal: options.signal,
      }),
    )
  }

  /** The offer's publishing status with the steps of its latest operation (E5). */
  status(publisherId: string, offerId: string, options: RequestOptions = {}): Promise<OfferPublishingStatus> {
    return this.#http.json<OfferPublishingStatus>({
      method: 'GET',
      path: `${offerPath(publisherId, offerId)}/status`,
      signal: options.signal,
    })
  }

  /**
   * Starts publishing the draft (E7): it becomes a new version, which the operation takes to the
   * Preview slot; then call `goLive`. Publishing the draft already in flight answers the same
   * operation, so a retried publish is harmless.
   */
  async publish(publisherId: string, offerId: string, options: PublishOptions = {}): Promise<Operation> {
    const response = await this.#http.send({
      method: 'POST',
      path: `${offerPath(publisherId, offerId)}/publish`,
      body: metadataBody(options.notificationEmails),
      signal: options.signal,
    })
    return this.#operation(response, publisherId, offerId, 'publish')
  }

  /** Pushes the version waiting in Preview to Production (E8). */
  async goLive(publisherId: string, offerId: string, options: PublishOptions = {}): Promise<Operation> {
    const response = await this.#http.send({
      method: 'POST',
      path: `${offerPath(publisherId, offerId)}/golive`,
      body: metadataBody(options.notificationEmails),
      signal: options.signal,
    })
    return this.#operation(response, publisherId, offerId, 'goLive')
  }

  /**
   * Cancels the operation in progress (E9). Answers the operation's URL when the service names it,
   * and whether it was canceled: 200 means it was. 202 means it was not, or not yet: this server
   * answers 202 with the latest operation, unchanged, when nothing can be canceled (as the real
   * service did), and the reference documents 202 for a cancellation still in progress. Never retried
   * after a lost answer: a second cancel would find nothing to cancel.
   */
  async cancel(publisherId: string, offerId: string, options: CancelOptions = {}): Promise<CancelResult> {
    const response = await this.#http.send({
      method: 'POST',
      path: `${offerPath(publisherId, offerId)}/cancel`,
      body: metadataBody(options.notificationEmails),
      idempotent: false,
      signal: options.signal,
    })
    return { location: locationOf(response), canceled: response.status === 200 }
  }

  /** The offer's operations, newest first (E10), optionally only those in one state. */
  async listOperations(
    publisherId: string,
    offerId: string,
    options: RequestOptions & { readonly status?: string } = {},
  ): Promise<Submission[]> {
    const response = await this.#http.send({
      method: 'GET',
      path: `${offerPath(publisherId, offerId)}/submissions`,
      query: { status: options.status },
      signal: options.signal,
    })
    return parseSubmissions(response)
  }

  /** One operation by its id (E11). */
  getOperation(
    publisherId: string,
    offerId: string,
    operationId: string,
    options: RequestOptions = {},
  ): Promise<OperationDetail> {
    return this.#http.json<OperationDetail>({
      method: 'GET',
      path: `${offerPath(publisherId, offerId)}/operations/${encodeURIComponent(operationId)}`,
      signal: options.signal,
    })
  }

  #operation(
    response: ApiResponse,
    publisherId: string,
    offerId: string,
    kind: 'publish' | 'goLive',
  ): Operation {
    const location = locationOf(response)
    if (location === undefined) {
      throw new TypeError(`The service answered ${response.status} to ${kind} without a Location header`)
    }
    return new Operation({ location, publisherId, offerId, kind }, this.#operationDeps)
  }
}

function withETag(response: ApiResponse): OfferWithETag {
  return { offer: parseJson<Offer>(response, 'GET'), etag: response.headers.get('etag') ?? undefined }
}

/** `Location` (2020+) or `Operation-Location` (2018): the service sends both (reference §9.3). */
function locationOf(response: ApiResponse): string | undefined {
  return response.headers.get('location') ?? response.headers.get('operation-location') ?? undefined
}

function metadataBody(emails: string | readonly string[] | undefined): unknown {
  if (emails === undefined) return {}
  const list = typeof emails === 'string' ? emails : emails.join(',')
  return { metadata: { 'notification-emails': list } }
}

/** An OData string literal: quotes doubled. */
function odataString(value: string): string {
  return `'${value.replaceAll("'", "''")}'`
}
