import type { FastifyInstance } from 'fastify'
import type { Caller } from '../auth/caller.ts'
import type { Clock } from '../clock.ts'
import type { Config } from '../config.ts'
import type { PublisherAccess } from '../principals/publisher-access.ts'
import type { Stores } from '../stores.ts'
import { createOperationService, type OperationService, type PublishingConfig } from './operations.service.ts'
import { createPublishingWorker, type PublishingWorker, type WorkerLog } from './operations.worker.ts'
import { operationAdminRoutes } from './operations-admin.routes.ts'
import { createOperationAdmin } from './operations-admin.service.ts'

declare module 'fastify' {
  interface FastifyInstance {
    /** The process's publishing worker: server.ts starts it after listen; tests call runOnce(). */
    readonly publishingWorker: PublishingWorker
  }
}

/**
 * The publishing engine of one app: the service behind E5 and E7–E12, the emulator's controls and
 * the worker, all over the same stores and clock. The worker stops when the app closes.
 */
export function installPublishing(
  app: FastifyInstance,
  deps: {
    readonly stores: Stores
    readonly clock: Clock
    readonly config: PublishingConfig & Pick<Config, 'production' | 'adminApi'>
    readonly access: PublisherAccess
    readonly log: WorkerLog
  },
): {
  operations: OperationService
  registerAdmin(authenticate: (authorization?: string) => Promise<Caller>): Promise<void>
} {
  const worker = createPublishingWorker({ stores: deps.stores, clock: deps.clock, log: deps.log })
  const wake = () => worker.wake()
  app.decorate('publishingWorker', worker)
  app.addHook('onClose', async () => worker.stop())
  const operations = createOperationService({ ...deps, wake })
  const admin = createOperationAdmin({ stores: deps.stores, access: deps.access, clock: deps.clock, wake })
  return {
    operations,
    async registerAdmin(authenticate) {
      // The controls are for emulator users: never exposed by a production server unless asked for.
      if (deps.config.production && !deps.config.adminApi) return
      await app.register(operationAdminRoutes, {
        prefix: '/admin',
        admin,
        authenticate,
        wording: deps.config,
        now: () => deps.clock.now(),
      })
    },
  }
}
