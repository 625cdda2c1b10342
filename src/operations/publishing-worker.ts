import type { FastifyInstance } from 'fastify'
import type { Clock } from '../clock.ts'
import type { Stores } from '../stores.ts'
import { createPublishingWorker, type PublishingWorker, type WorkerObservers } from './operations.worker.ts'

declare module 'fastify' {
  interface FastifyInstance {
    /** The process's publishing worker: server.ts starts it after listen; tests call runOnce(). */
    readonly publishingWorker: PublishingWorker
  }
}

/**
 * The publishing worker of one app, over its stores and clock: woken whenever the services create
 * or change an operation, stopped when the app closes.
 */
export function installPublishingWorker(
  app: FastifyInstance,
  deps: {
    readonly stores: Stores
    readonly clock: Clock
    /** The services' signal (Services.onOperationChange); answers how to stop listening. */
    readonly onOperationChange: (listener: () => void) => () => void
    readonly observers: WorkerObservers
  },
): void {
  const worker = createPublishingWorker({
    stores: deps.stores,
    clock: deps.clock,
    log: app.log,
    observers: deps.observers,
  })
  const unsubscribe = deps.onOperationChange(() => worker.wake())
  app.decorate('publishingWorker', worker)
  app.addHook('onClose', async () => {
    unsubscribe()
    await worker.stop()
  })
}
