import { randomBytes } from 'node:crypto'
import { buildApp } from '../src/app.ts'
import { systemClock } from '../src/clock.ts'
import { loadConfig } from '../src/config.ts'
import { createServices } from '../src/services.ts'
import { openStores } from '../src/stores.ts'

/** The OpenAPI document as committed in openapi.json: generated from the route schemas of the real app. */
export async function generateOpenApiDocument(): Promise<string> {
  const config = loadConfig({}, { 'in-memory': true, 'log-level': 'silent' })
  const stores = await openStores(config)
  const clock = systemClock
  const services = createServices({ stores, clock, config, masterKey: randomBytes(32) })
  const app = await buildApp({ config, stores, services, clock })
  try {
    const response = await app.inject({ url: '/openapi.json' })
    return `${JSON.stringify(response.json(), null, 2)}\n`
  } finally {
    await app.close()
    await stores.close()
  }
}
