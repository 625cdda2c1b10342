import type { FastifyInstance } from 'fastify'
import type { AuditService } from '../../audit/audit.service.ts'
import type { Config } from '../../config.ts'
import type { OperationService } from '../../operations/operations.service.ts'
import type { OperationStore } from '../../operations/operations.store.ts'
import type { OperationAdmin } from '../../operations/operations-admin.service.ts'
import { createPublishingFeed } from '../../operations/publishing-feed.ts'
import type { PublisherAccess } from '../../principals/publisher-access.ts'
import type { Layout } from '../layout.ts'
import { createLiveStreams } from '../live/live-streams.ts'
import type { PortalSessionService } from '../sessions/portal-sessions.service.ts'
import { publishingPage } from './publishing.page.ts'
import { publishingActionRoutes } from './publishing-actions.routes.ts'
import { publishingEventsRoute } from './publishing-events.route.ts'
import { testControlRoutes } from './test-controls.routes.ts'

export interface PublishingPortalOptions {
  readonly layout: Layout
  /** The portal's prefix, for links (not `prefix`: Fastify's register would add it to the routes). */
  readonly portalPrefix: string
  readonly config: Pick<Config, 'production' | 'adminApi' | 'liveUpdateIntervalMs' | 'liveHeartbeatSeconds'>
  readonly operations: OperationService
  readonly operationAdmin: OperationAdmin
  readonly audit: AuditService
  readonly access: PublisherAccess
  readonly sessions: PortalSessionService
  /** What the live feed polls (one indexed read per watched offer). */
  readonly operationStore: Pick<OperationStore, 'findPublishingStamp'>
  /** The services' signal of a change made in this process (Services.onOperationChange). */
  readonly onOperationChange: (listener: () => void) => () => void
}

/**
 * An offer's publishing in the portal (docs/portal.md, "Publishing"): the page and its live stream,
 * the publish, go-live and cancel forms, and the test controls where /admin is served. Registered in
 * the portal's signed-in scope; its own scope records its changes in the audit trail as the
 * portal's (door `portal`, the viewer as the actor).
 */
export async function publishingPages(app: FastifyInstance, options: PublishingPortalOptions): Promise<void> {
  const { config, layout, portalPrefix: prefix } = options
  const controlsServed = !config.production || config.adminApi
  const services = { ...options, controlsServed }
  const feed = createPublishingFeed({
    operations: options.operationStore,
    pollIntervalMs: config.liveUpdateIntervalMs,
    log: app.log,
  })
  const streams = createLiveStreams()
  const stopNudging = options.onOperationChange(() => feed.nudge())
  // Before the server stops accepting: open streams would keep it waiting for them to end.
  app.addHook('preClose', (done) => {
    streams.closeAll()
    done()
  })
  app.addHook('onClose', async () => {
    stopNudging()
    feed.close()
  })

  publishingPage(app, { services, layout, prefix })
  publishingActionRoutes(app, { operations: options.operations, layout, prefix })
  publishingEventsRoute(app, {
    services,
    layout,
    prefix,
    feed,
    streams,
    sessions: options.sessions,
    heartbeatMs: config.liveHeartbeatSeconds * 1000,
  })
  if (controlsServed) testControlRoutes(app, { admin: options.operationAdmin, prefix })
}
