import type { HttpClient } from '../http/http-client.ts'
import { Operation, type OperationDeps, parseOperationLocation } from '../operation.ts'
import type { OperationDetail } from '../types.ts'
import type { RequestOptions } from './paths.ts'

/** Operations by their URL (reference E11, E12), e.g. to resume waiting from another process. */
export class OperationsClient {
  readonly #http: HttpClient
  readonly #deps: OperationDeps

  constructor(http: HttpClient, deps: OperationDeps) {
    this.#http = http
    this.#deps = deps
  }

  /**
   * A handle on the operation at a `Location` the service handed out (relative or absolute).
   *
   * @example
   * const operation = client.operations.fromLocation(savedLocation)
   * await operation.wait()
   */
  fromLocation(location: string): Operation {
    const { publisherId, offerId } = parseOperationLocation(location)
    return new Operation({ location, publisherId, offerId, kind: undefined }, this.#deps)
  }

  /** The operation at a `Location`. */
  get(location: string, options: RequestOptions = {}): Promise<OperationDetail> {
    return this.fromLocation(location).get(options.signal ? { signal: options.signal } : {})
  }

  /**
   * An operation by its submission (E12, the URL of offers not migrated to Partner Center):
   * `/api/operations/{publisherId}${offerId}${publishingVersion}${slot}`.
   */
  getSubmission(
    publisherId: string,
    offerId: string,
    publishingVersion: number,
    slot: 'preview' | 'production',
    options: RequestOptions = {},
  ): Promise<OperationDetail> {
    const key = [publisherId, offerId, String(publishingVersion), slot].map(encodeURIComponent).join('$')
    return this.#http.json<OperationDetail>({
      method: 'GET',
      path: `/api/operations/${key}`,
      signal: options.signal,
    })
  }
}
