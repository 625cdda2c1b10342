import type { FastifyInstance } from 'fastify'
import { Type } from 'typebox'
import type { StorageFullState } from '../errors/storage-full.ts'
import { MIGRATIONS } from '../storage/migrations/index.ts'
import type { Stores } from '../stores.ts'

const LATEST_SCHEMA_VERSION = Math.max(...MIGRATIONS.map((migration) => migration.id))

const HealthSchema = Type.Object(
  {
    status: Type.Union([Type.Literal('ok'), Type.Literal('unavailable')], {
      description: 'ok, or unavailable.',
    }),
    message: Type.Optional(Type.String({ description: 'Why the server is not ready.' })),
  },
  { $id: 'Health', description: 'Liveness or readiness of the server.' },
)

const routeOptions = (response: Record<number, typeof HealthSchema>) => ({
  schema: { hide: true, response },
  // Readiness is what a supervisor asks first (a start is timed to its first 200), and the
  // handlers build their answers in the schema's order: JSON.stringify writes the same bytes as a
  // compiled serializer, without loading fast-json-stringify and Ajv (docs/performance.md).
  serializerCompiler: () => (data: unknown) => JSON.stringify(data),
})

/**
 * Liveness (the process answers) and readiness (the store answers, and its disk took the last
 * write). No authentication.
 */
export async function healthRoutes(
  app: FastifyInstance,
  options: { stores: Stores; storageFull: StorageFullState },
): Promise<void> {
  app.get('/health/live', routeOptions({ 200: HealthSchema }), async () => ({
    status: 'ok' as const,
  }))
  app.get('/health/ready', routeOptions({ 200: HealthSchema, 503: HealthSchema }), async (request, reply) => {
    try {
      if (options.storageFull.full) {
        return reply.code(503).send({
          status: 'unavailable' as const,
          message: 'The disk of the store is full: writes are refused until space is freed.',
        })
      }
      const version = await options.stores.schemaVersion()
      if (version < LATEST_SCHEMA_VERSION) {
        return reply.code(503).send({
          status: 'unavailable' as const,
          message: `The database schema is at version ${version}; this server needs ${LATEST_SCHEMA_VERSION}.`,
        })
      }
      return { status: 'ok' as const }
    } catch (error) {
      request.log.warn({ err: error }, 'readiness check failed')
      return reply.code(503).send({ status: 'unavailable' as const, message: 'The store is not available.' })
    }
  })
}
