import { DEVELOPMENT_CREDENTIALS, SAMPLE_PUBLISHER_ID } from '../auth/development-credentials.ts'
import type { Clock } from '../clock.ts'
import type { Principal } from '../principals/principal.ts'
import { createPrincipalService, PrincipalExistsError } from '../principals/principals.service.ts'
import type { Stores } from '../stores.ts'
import { formatTimestamp } from '../timestamps.ts'
import { SAMPLE_PUBLISHER } from './samples/sample-data.ts'
import { seedSampleOffers } from './samples/sample-history.ts'

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
 */
export async function runDevelopmentBootstrap(deps: {
  stores: Stores
  clock: Clock
  production: boolean
}): Promise<BootstrapOutcome> {
  const { stores, clock } = deps
  if ((await stores.settings.findSetting(BOOTSTRAP_SETTING)) !== undefined) return { kind: 'done-before' }
  const now = formatTimestamp(clock.now())
  if (deps.production) {
    await stores.settings.initSetting(BOOTSTRAP_SETTING, JSON.stringify({ mode: 'production', time: now }))
    return { kind: 'production' }
  }

  const principal = await ensureDevelopmentPrincipal(deps)
  // The grant comes first (grants may precede their publisher): the samples are published as this principal.
  await stores.principals.grant(
    { principalId: principal.id, publisherId: SAMPLE_PUBLISHER_ID, role: 'Owner' },
    now,
  )
  // A `contoso` that already exists (created with the CLI before the first start) is left as it is.
  let offers = 0
  if (!(await stores.publishers.findPublisher(SAMPLE_PUBLISHER_ID))) {
    offers = await seedSampleOffers({
      stores,
      clock,
      caller: { tenantId: principal.tenantId, clientId: principal.clientId, principalId: principal.id },
      publisher: SAMPLE_PUBLISHER,
    })
  }
  await stores.settings.initSetting(BOOTSTRAP_SETTING, JSON.stringify({ mode: 'development', time: now }))
  return { kind: 'created', sampleOffers: offers }
}

async function ensureDevelopmentPrincipal(deps: {
  stores: Pick<Stores, 'principals'>
  clock: Clock
}): Promise<Principal> {
  const { tenantId, clientId, clientSecret, displayName } = DEVELOPMENT_CREDENTIALS
  const existing = await deps.stores.principals.findCredentials(tenantId, clientId)
  if (existing) return existing.principal
  try {
    const service = createPrincipalService({ principals: deps.stores.principals, clock: deps.clock })
    return (await service.create({ tenantId, clientId, displayName, secret: clientSecret })).principal
  } catch (error) {
    // Another process starting at the same moment created it first: use theirs.
    if (!(error instanceof PrincipalExistsError)) throw error
    const created = await deps.stores.principals.findCredentials(tenantId, clientId)
    if (!created) throw error
    return created.principal
  }
}
