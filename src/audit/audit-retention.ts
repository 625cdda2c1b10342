import type { FastifyInstance } from 'fastify'
import type { AuditService } from './audit.service.ts'

/** Often enough that the trail is never more than an hour past its retention. */
const PRUNE_INTERVAL_MS = 3_600_000

/**
 * Keeps the audit trail to its retention while the app runs: once when it is ready, then every
 * hour, stopped when it closes. Every replica prunes; deleting what another already deleted costs
 * nothing. A failure (database briefly down) is logged and retried at the next turn.
 */
export function installAuditRetention(app: FastifyInstance, audit: AuditService): void {
  let timer: NodeJS.Timeout | undefined
  const prune = async () => {
    try {
      const deleted = await audit.prune()
      if (deleted > 0) app.log.info({ deleted }, 'audit records past their retention deleted')
    } catch (error) {
      app.log.warn({ err: error }, 'pruning the audit trail failed; retrying in an hour')
    }
  }
  app.addHook('onReady', async () => {
    await prune()
    timer = setInterval(() => void prune(), PRUNE_INTERVAL_MS)
    timer.unref()
  })
  app.addHook('onClose', async () => clearInterval(timer))
}
