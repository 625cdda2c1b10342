import type { HttpClient } from '../http/http-client.ts'
import type { OperationDetail, OutboxMessage, PublishFault, PublishFaultRequest } from '../types.ts'
import type { RequestOptions } from './paths.ts'

/**
 * This emulator's controls (`/admin`, docs/publishing.md); the real service has none. They need an
 * Owner grant on the publisher, and are served in development mode (or with --admin-api).
 */
export class AdminClient {
  readonly #http: HttpClient

  constructor(http: HttpClient) {
    this.#http = http
  }

  /** Completes the running step of an operation and starts the next (the manual profile waits for it). */
  advance(operationId: string, options: RequestOptions = {}): Promise<OperationDetail> {
    return this.#step(operationId, 'advance', undefined, options)
  }

  /** Makes the running step fail with the message. */
  fail(operationId: string, message: string, options: RequestOptions = {}): Promise<OperationDetail> {
    return this.#step(operationId, 'fail', message, options)
  }

  /** Blocks the running step with the message. */
  block(operationId: string, message: string, options: RequestOptions = {}): Promise<OperationDetail> {
    return this.#step(operationId, 'block', message, options)
  }

  /** The notifications the service would have e-mailed for an operation. */
  outbox(operationId: string, options: RequestOptions = {}): Promise<OutboxMessage[]> {
    return this.#http.json<OutboxMessage[]>({
      method: 'GET',
      path: `/admin/operations/${encodeURIComponent(operationId)}/outbox`,
      apiVersion: false,
      signal: options.signal,
    })
  }

  /** Makes the next publish of the offer fail at a step. */
  setNextPublishFailure(
    publisherId: string,
    offerId: string,
    fault: PublishFaultRequest,
    options: RequestOptions = {},
  ): Promise<PublishFault> {
    return this.#http.json<PublishFault>({
      method: 'PUT',
      path: faultPath(publisherId, offerId),
      body: fault,
      apiVersion: false,
      signal: options.signal,
    })
  }

  getNextPublishFailure(
    publisherId: string,
    offerId: string,
    options: RequestOptions = {},
  ): Promise<PublishFault> {
    return this.#http.json<PublishFault>({
      method: 'GET',
      path: faultPath(publisherId, offerId),
      apiVersion: false,
      signal: options.signal,
    })
  }

  async clearNextPublishFailure(
    publisherId: string,
    offerId: string,
    options: RequestOptions = {},
  ): Promise<void> {
    await this.#http.send({
      method: 'DELETE',
      path: faultPath(publisherId, offerId),
      apiVersion: false,
      signal: options.signal,
    })
  }

  #step(
    operationId: string,
    action: 'advance' | 'fail' | 'block',
    message: string | undefined,
    options: RequestOptions,
  ): Promise<OperationDetail> {
    return this.#http.json<OperationDetail>({
      method: 'POST',
      path: `/admin/operations/${encodeURIComponent(operationId)}/${action}`,
      body: message === undefined ? {} : { message },
      apiVersion: false,
      // A repeated step action would act on the next step, or find none: never sent twice.
      idempotent: false,
      signal: options.signal,
    })
  }
}

function faultPath(publisherId: string, offerId: string): string {
  return `/admin/publishers/${encodeURIComponent(publisherId)}/offers/${encodeURIComponent(offerId)}/next-publish-failure`
}
