import type { FastifyInstance } from 'fastify'
import { ApiError } from '../../errors/api-error.ts'
import { errors } from '../../errors/errors.ts'
import type { PublishingFeed } from '../../operations/publishing-feed.ts'
import { escapeHtml } from '../html.ts'
import type { Layout } from '../layout.ts'
import { openEventStream } from '../live/event-stream.ts'
import type { LiveStreams } from '../live/live-streams.ts'
import { CONTENT_SECURITY_POLICY } from '../security-headers.ts'
import { sessionIdOf } from '../session-cookie.ts'
import type { PortalSessionService, PortalViewer } from '../sessions/portal-sessions.service.ts'
import { viewerOf } from '../viewer.ts'
import { panelSummary, progressMovesWithTime, publishingPanel } from './publishing-panel.ts'
import { loadPublishingPanel, type PanelServices, type PublishingPanelData } from './publishing-panel-data.ts'

export interface PublishingEventsOptions {
  readonly services: PanelServices
  /** Who the viewer is now: each panel is read as the viewer is at that moment (as viewer.ts finds one). */
  readonly sessions: PortalSessionService
  readonly layout: Layout
  readonly prefix: string
  readonly feed: PublishingFeed
  readonly streams: LiveStreams
  readonly heartbeatMs: number
}

/** While a step's progress moves with time (quick and realistic profiles), the panel is sent this often. */
const PROGRESS_REFRESH_MS = 5000
/** A stamp is short (`12.3.45`); anything longer is not one of ours. */
const MAX_STAMP_LENGTH = 64

/**
 * GET …/publishing/events: the publishing page's live stream (server-sent events, read by htmx's
 * sse extension). The viewer's access is checked as the API checks it before the stream opens (403,
 * 404 as pages), and again with every panel it sends: a grant revoked ends the stream. Each change of
 * the offer's publishing (publishing-feed.ts) sends two events: `publishing`, the panel's HTML, and
 * `status`, one sentence for the page's role="status" line. `since` (or Last-Event-ID, which
 * EventSource sends when it reconnects) is the stamp the page shows, so nothing in between is lost.
 */
export function publishingEventsRoute(app: FastifyInstance, options: PublishingEventsOptions): void {
  const { services, feed, streams } = options
  app.get<{ Params: { publisherId: string; offerId: string }; Querystring: { since?: string } }>(
    '/publishers/:publisherId/offers/:offerId/publishing/events',
    async (request, reply) => {
      const { caller, principal } = viewerOf(request)
      const sessionId = sessionIdOf(request)
      const { publisherId, offerId } = request.params
      const since = stampOf(request.query.since) ?? stampOf(request.headers['last-event-id'])
      // The access check, before anything is sent: a refusal is an ordinary error answer.
      const first = await loadPublishingPanel(services, caller, publisherId, offerId)
      const context = {
        prefix: options.prefix,
        offer: { publisherId, offerId },
        csrf: options.layout.csrfField(reply),
      }
      const stream = streams.admit(principal.id, () =>
        openEventStream(reply, {
          heartbeatMs: options.heartbeatMs,
          headers: {
            'content-security-policy': CONTENT_SECURITY_POLICY,
            'x-content-type-options': 'nosniff',
          },
        }),
      )
      let rendering = false
      let again = false
      let progressTimer: NodeJS.Timeout | undefined

      async function render(): Promise<void> {
        if (rendering) {
          again = true
          return
        }
        rendering = true
        try {
          do {
            again = false
            // The viewer again, with the store's access revision of now: a grant revoked, a
            // principal deleted, a sign-out since the stream opened are seen here.
            const viewer = await currentViewer(options.sessions, sessionId)
            if (!viewer || viewer.principal.id !== principal.id)
              throw errors.unauthorized('You are signed out.')
            const data = await loadPublishingPanel(services, viewer.caller, publisherId, offerId)
            if (stream.closed) return
            stream.send({ name: 'status', data: escapeHtml(panelSummary(data)) })
            stream.send({
              name: 'publishing',
              id: data.state.stamp,
              data: publishingPanel(data, context).toString(),
            })
            scheduleProgress(data)
          } while (again && !stream.closed)
        } catch (error) {
          if (error instanceof ApiError && error.statusCode < 500) {
            // The grant was revoked, the principal deleted: nothing more for this viewer.
            stream.send({ name: 'status', data: escapeHtml(error.message) })
            stream.close()
            return
          }
          // The database is away for a moment: the page keeps what it shows; the next change retries.
          request.log.warn({ err: error }, 'live publishing panel could not be rendered')
        } finally {
          rendering = false
        }
      }

      function scheduleProgress(data: PublishingPanelData): void {
        clearTimeout(progressTimer)
        if (progressMovesWithTime(data) && !stream.closed)
          progressTimer = setTimeout(() => void render(), PROGRESS_REFRESH_MS)
      }

      const stop = feed.watch({ publisherId, offerId }, since, () => void render())
      scheduleProgress(first)
      stream.onClose(() => {
        stop()
        clearTimeout(progressTimer)
      })
      return reply
    },
  )
}

/** As the portal's viewer hook finds the viewer (viewer.ts): the session, else development mode's. */
async function currentViewer(
  sessions: PortalSessionService,
  sessionId: string | undefined,
): Promise<PortalViewer | undefined> {
  const viewer = sessionId === undefined ? undefined : await sessions.resume(sessionId)
  return viewer ?? (await sessions.developmentViewer())
}

function stampOf(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' && value.length <= MAX_STAMP_LENGTH ? value : undefined
}
