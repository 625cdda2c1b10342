import type { TestContext } from 'node:test'
import type { InjectOptions, LightMyRequestResponse } from 'fastify'
import { createAuditRecorder } from '../../src/audit/record-change.ts'
import { STORE_ADMINISTRATOR } from '../../src/auth/caller.ts'
import { seedSampleOffers } from '../../src/bootstrap/samples/sample-history.ts'
import { QUICK_STEP_MS } from '../../src/operations/operation-timing.ts'
import { API, startTestApp, type TestApp, type TestPrincipal } from './test-app.ts'

/** The sample offers of publisher contoso, one per type (src/bootstrap/samples). */
export const VM_OFFER = 'contosovirtualmachine'
export const PUBLISHED_VM_OFFER = 'contoso-devops-vm'
export const CORE_VM_OFFER = 'contoso-hardened-linux'
export const APP_OFFER = 'contoso-web-platform'

export interface PublishingApp {
  readonly ctx: TestApp
  readonly owner: TestPrincipal
  readonly auth: { authorization: string }
  /** An /api call with the owner's token; `path` is below /api/publishers/contoso/offers. */
  offer(method: InjectOptions['method'], offerPath: string, body?: unknown): Promise<LightMyRequestResponse>
  /** Any call with the owner's token (api-version added to /api paths). */
  call(method: InjectOptions['method'], path: string, body?: unknown): Promise<LightMyRequestResponse>
  /** One worker pass at the test clock's now (stepwise: every step in flight advanced; see below). */
  work(): Promise<number>
  /** Moves the test clock, then runs one worker pass. */
  elapse(ms: number): Promise<number>
  /**
   * Lets publishing run its course in the default (quick) profile: moves the clock a step at a time,
   * with a worker pass after each, until a pass has nothing to do. Answers how many steps that was.
   */
  settle(): Promise<number>
}

/**
 * The real app over a fresh store (SQLite in memory, or PostgreSQL under CLOUDPARTNER_TEST_STORE),
 * with the sample offers of contoso and a principal that owns it. The worker is not started: tests
 * drive it with `work()` against the manual clock, so nothing depends on real time.
 *
 * In the quick profile (the default) each step takes half a second of the test clock: `settle()`
 * moves the clock until publishing has run its course. `stepwise` is for tests that look at
 * operations in flight step by step: the manual profile, where `work()` advances every step of the sample offers' operations in flight as an
 * administrator would, until each waits for sign-off or ends, and answers how many steps that was.
 */
export async function startPublishingApp(
  t: TestContext,
  settings: Record<string, string> = {},
  options: { stepwise?: boolean; sharedStore?: boolean } = {},
): Promise<PublishingApp> {
  const ctx = await startTestApp(t, {
    settings: options.stepwise ? { ...settings, 'publish-profile': 'manual' } : settings,
    ...(options.sharedStore ? { sharedStore: true } : {}),
  })
  await ctx.createPublisher('contoso')
  const owner = await ctx.createPrincipal({ displayName: 'owner' })
  await ctx.grant(owner, 'contoso', 'Owner')
  await seedSampleOffers({
    stores: ctx.stores,
    clock: ctx.clock,
    audit: createAuditRecorder(ctx),
    caller: { tenantId: owner.tenantId, clientId: owner.clientId, principalId: owner.id },
  })
  const auth = { authorization: `Bearer ${await ctx.tokenFor(owner)}` }
  const call = (method: InjectOptions['method'], path: string, body?: unknown) =>
    ctx.app.inject({
      method,
      url: path.startsWith('/api') ? `${path}${path.includes('?') ? '&' : '?'}${API.slice(1)}` : path,
      headers: { ...auth, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(body === undefined ? {} : { payload: JSON.stringify(body) }),
    })
  return {
    ctx,
    owner,
    auth,
    call,
    offer: (method, offerPath, body) => call(method, `/api/publishers/contoso/offers/${offerPath}`, body),
    work: options.stepwise ? () => advanceInFlight(ctx) : () => ctx.app.publishingWorker.runOnce(),
    elapse: async (ms) => {
      ctx.clock.advance(ms)
      return ctx.app.publishingWorker.runOnce()
    },
    settle: async () => {
      let steps = 0
      for (let pass = 0; pass < MAX_SETTLE_PASSES; pass += 1) {
        ctx.clock.advance(QUICK_STEP_MS)
        const done = await ctx.app.publishingWorker.runOnce()
        if (done === 0) return steps
        steps += done
      }
      throw new Error(`publishing did not settle in ${MAX_SETTLE_PASSES} steps`)
    },
  }
}

/** More steps than any pipeline has, for every sample offer at once. */
const MAX_SETTLE_PASSES = 100

async function advanceInFlight(ctx: TestApp): Promise<number> {
  const admin = ctx.services.operationAdmin
  let advanced = 0
  for (const offerId of [VM_OFFER, PUBLISHED_VM_OFFER, CORE_VM_OFFER, APP_OFFER]) {
    for (;;) {
      const inFlight = await ctx.stores.operations.findInFlight('contoso', offerId)
      if (inFlight?.state !== 'running') break
      await admin.step(inFlight.id, 'advance', undefined, STORE_ADMINISTRATOR)
      advanced += 1
    }
  }
  return advanced
}

/** The relative URL a 202 names, checked to be identical in both headers. */
export function locationOf(response: LightMyRequestResponse): string {
  const location = response.headers.location
  if (typeof location !== 'string' || location !== response.headers['operation-location']) {
    throw new Error(`no matching Location and Operation-Location: ${JSON.stringify(response.headers)}`)
  }
  return location
}
