import type { FastifyInstance } from 'fastify'
import { buildApp } from '../../src/app.ts'
import type { Clock } from '../../src/clock.ts'
import { loadConfig } from '../../src/config.ts'
import { createServices, type Services } from '../../src/services.ts'
import type { Stores } from '../../src/stores.ts'

export const BENCH_PUBLISHER = 'bench-pub'

/**
 * The whole app over `stores` in this process (instant publishing profile, no logging), with a
 * publisher and a principal that owns it, and that principal's bearer header from the token
 * endpoint: what the in-process publishing tools (statement-count.ts, publish-cpu.ts) drive with
 * `app.inject`. The caller adds the offers and closes the app.
 */
export async function inProcessPublisher(
  stores: Stores,
  clock: Clock,
): Promise<{ app: FastifyInstance; services: Services; headers: { authorization: string } }> {
  const config = loadConfig({}, { 'in-memory': true, 'log-level': 'silent', 'publish-profile': 'instant' })
  const services = createServices({ stores, clock, config, masterKey: Buffer.alloc(32, 7) })
  const app = await buildApp({ config, stores, services, clock })
  await services.publishers.create({ id: BENCH_PUBLISHER, displayText: 'Bench' })
  const { principal, secret } = await services.principals.create({
    tenantId: '33333333-3333-3333-3333-333333333333',
    displayName: 'bench',
  })
  await services.principals.grant(principal.id, { publisherId: BENCH_PUBLISHER, role: 'Owner' })
  const token = await app.inject({
    method: 'POST',
    url: `/${principal.tenantId}/oauth2/token`,
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    payload: new URLSearchParams({
      grant_type: 'client_credentials',
      client_id: principal.clientId,
      client_secret: secret as string,
      resource: 'https://cloudpartner.azure.com',
    }).toString(),
  })
  const accessToken = (token.json() as { access_token: string }).access_token
  return { app, services, headers: { authorization: `Bearer ${accessToken}` } }
}
