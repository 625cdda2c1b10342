import { readFileSync } from 'node:fs'
import Fastify from 'fastify'

/**
 * The baseline: a bare Fastify server answering the very bytes the real server answered, from
 * memory, with no authentication, no store and no logging. What the real server does beyond this is
 * what the ratios measure. Run as its own process: `node baseline-server.ts <manifest.json> <port>`.
 */
export interface BaselineRoute {
  /** The path the real server answered (the query string plays no part in routing). */
  readonly path: string
  readonly contentType: string
  /** File holding the body, byte for byte. */
  readonly bodyFile: string
}

const [manifestFile, port] = process.argv.slice(2)
if (manifestFile === undefined || port === undefined)
  throw new Error('usage: baseline-server.ts <manifest> <port>')
const routes = JSON.parse(readFileSync(manifestFile, 'utf8')) as BaselineRoute[]

const app = Fastify({ logger: false })
app.get('/ready', async () => 'ok')
for (const route of routes) {
  const body = readFileSync(route.bodyFile)
  app.get(route.path, (_request, reply) => {
    reply.type(route.contentType).send(body)
  })
}
await app.listen({ host: '127.0.0.1', port: Number(port) })
process.once('SIGTERM', () => {
  void app.close().then(() => process.exit(0))
})
