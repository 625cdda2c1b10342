import { DEVELOPMENT_CREDENTIALS } from '../auth/development-credentials.ts'
import type { Clock } from '../clock.ts'
import { ApiError } from '../errors/api-error.ts'
import type { Principal } from '../principals/principal.ts'
import type { PrincipalService } from '../principals/principals.service.ts'
import type { PublisherService } from '../publishers/publishers.service.ts'
import type { SettingsStore } from '../settings/settings.store.ts'
import { formatTimestamp } from '../timestamps.ts'
import { SAMPLE_PUBLISHER_ID } from './samples/sample-publisher.ts'

/** The setting that records the first start, so that the bootstrap never runs twice on a store. */
export const BOOTSTRAP_SETTING = 'bootstrap'

export type BootstrapOutcome =
  /** This start created the development principal, and the sample data when `contoso` did not exist. */
  | { readonly kind: 'created'; readonly sampleOffers: number }
  /** A previous start recorded the bootstrap (whatever it did then); nothing was done now. */
  | { readonly kind: 'done-before' }
  /** First start in production mode: recorded, so that a later development start adds nothing. */
  | { readonly kind: 'production' }

/**
 * Runs once per store, on its first start. In development mode it creates the well-known development
 * principal (its fixed secret stored hashed like any other), the sample publisher `contoso` with an
 * Owner grant for it and sample offers. Production mode creates nothing, and records that the first
 * start was a production one: credentials that are published on the web never appear in a store
 * that has served production.
 *
 * Two processes may start at once on a new store. Each step is idempotent (create-if-missing, upsert)
 * and the record is written last, so a racing start, or one that crashed half-way, simply completes
 * the work; deleting the development principal after the record exists does not bring it back.
 * Every write goes through the services, as the CLI's do.
 */
export interface DevelopmentBootstrap {
  run(): Promise<BootstrapOutcome>
}

export function createDevelopmentBootstrap(deps: {
  settings: SettingsStore
  principals: PrincipalService
  publishers: PublisherService
  /**
   * Creates `contoso` with the sample offers, published through the engine, in one transaction
   * (samples/sample-history.ts); answers how many offers.
   */
  seedSamples: () => Promise<number>
  clock: Clock
  production: boolean
}): DevelopmentBootstrap {
  const { settings } = deps

  async function ensureDevelopmentPrincipal(): Promise<Principal> {
    const { tenantId, clientId, clientSecret, displayName } = DEVELOPMENT_CREDENTIALS
    const existing = await deps.principals.findByClientId(tenantId, clientId)
    if (existing) return existing
    try {
      return (await deps.principals.create({ tenantId, clientId, displayName, secret: clientSecret }))
        .principal
    } catch (error) {
      // Another process starting at the same moment created it first: use theirs.
      if (!(error instanceof ApiError && error.statusCode === 409)) throw error
      const created = await deps.principals.findByClientId(tenantId, clientId)
      if (!created) throw error
      return created
    }
  }

  return {
    async run() {
      if ((await settings.findSetting(BOOTSTRAP_SETTING)) !== undefined) return { kind: 'done-before' }
      const now = formatTimestamp(deps.clock.now())
      if (deps.production) {
        await settings.initSetting(BOOTSTRAP_SETTING, JSON.stringify({ mode: 'production', time: now }))
        return { kind: 'production' }
      }
      const principal = await ensureDevelopmentPrincipal()
      // A `contoso` that already exists (created with the CLI before the first start) is left as it is.
      let offers = 0
      if (!(await deps.publishers.find(SAMPLE_PUBLISHER_ID))) offers = await deps.seedSamples()
      // After the samples: a grant needs its publisher.
      await deps.principals.grant(principal.id, { publisherId: SAMPLE_PUBLISHER_ID, role: 'Owner' })
      await settings.initSetting(BOOTSTRAP_SETTING, JSON.stringify({ mode: 'development', time: now }))
      return { kind: 'created', sampleOffers: offers }
    },
  }
}
