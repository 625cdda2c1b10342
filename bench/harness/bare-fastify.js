// The idle-memory baseline of the start-up scenario: bare Fastify with its logger, one route,
// listening; nothing of ours. Plain JavaScript, so that Node's TypeScript stripper is not part of
// what it measures. Started with the server's Node flags (bin/cloudpartner.js), and given the same
// collection once it listens (src/startup-garbage.ts), so that the ratio is what our code adds.
// `node --max-semi-space-size=8 --expose-gc bench/harness/bare-fastify.js <port>`
import Fastify from 'fastify'

const app = Fastify({ logger: { level: 'info' } })
app.get('/health/ready', async () => ({ status: 'ok' }))
await app.listen({ host: '127.0.0.1', port: Number(process.argv[2]) })
const { gc } = globalThis
// Four last-resort collections, 500 ms after listening and 100 ms apart, as ours.
const collect = (left) => {
  gc({ type: 'major', execution: 'sync', flavor: 'last-resort' })
  if (left > 1) setTimeout(collect, 100, left - 1).unref()
}
if (typeof gc === 'function') setTimeout(collect, 500, 4).unref()
process.once('SIGTERM', () => {
  void app.close().then(() => process.exit(0))
})
