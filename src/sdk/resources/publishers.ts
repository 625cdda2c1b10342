import type { HttpClient } from '../http/http-client.ts'
import type { OfferType, Publisher } from '../types.ts'
import type { RequestOptions } from './paths.ts'

/** Publisher namespaces (reference E1). */
export class PublishersClient {
  readonly #http: HttpClient

  constructor(http: HttpClient) {
    this.#http = http
  }

  /** The publishers the caller holds a grant on. */
  list(options: RequestOptions = {}): Promise<Publisher[]> {
    return this.#http.json<Publisher[]>({ method: 'GET', path: '/api/publishers', signal: options.signal })
  }
}

/** Offer types (reference E2). */
export class OfferTypesClient {
  readonly #http: HttpClient

  constructor(http: HttpClient) {
    this.#http = http
  }

  /** The offer types the service supports. */
  list(options: RequestOptions = {}): Promise<OfferType[]> {
    return this.#http.json<OfferType[]>({ method: 'GET', path: '/api/offerTypes', signal: options.signal })
  }
}
