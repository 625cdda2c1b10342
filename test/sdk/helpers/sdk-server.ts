import type { AddressInfo } from 'node:net'
import type { TestContext } from 'node:test'
import { createAuditRecorder } from '../../../src/audit/record-change.ts'
import { seedSampleOffers } from '../../../src/bootstrap/samples/sample-history.ts'
import { CloudPartnerClient, type CloudPartnerClientOptions } from '../../../src/sdk/index.ts'
import { startTestApp, type TestApp, type TestPrincipal } from '../../helpers/test-app.ts'

export interface SdkServer {
  /** Where it listens, e.g. http://127.0.0.1:40123. */
  readonly url: string
  readonly ctx: TestApp
  /** Owner of contoso. */
  readonly owner: TestPrincipal
  /** A client for a principal, with tokens from the server's own token service. */
  clientFor(principal: TestPrincipal, options?: Partial<CloudPartnerClientOptions>): CloudPartnerClient
  /** The owner's client. */
  readonly client: CloudPartnerClient
}

/**
 * The real app listening on a free loopback port, over a fresh store (SQLite in memory, or
 * PostgreSQL under CLOUDPARTNER_TEST_STORE), with its publishing worker running on real time,
 * publisher contoso with the sample offers, and a principal that owns it. Tests reach it only
 * through the SDK.
 */
const CLOCK_TICK_MS = 10

export async function startSdkServer(
  t: TestContext,
  settings: Record<string, string> = {},
): Promise<SdkServer> {
  const ctx = await startTestApp(t, { settings })
  await ctx.createPublisher('contoso')
  const owner = await ctx.createPrincipal({ displayName: 'owner' })
  await ctx.grant(owner, 'contoso', 'Owner')
  await seedSampleOffers({
    stores: ctx.stores,
    clock: ctx.clock,
    audit: createAuditRecorder(ctx),
    caller: { tenantId: owner.tenantId, clientId: owner.clientId, principalId: owner.id },
  })
  await ctx.app.listen({ host: '127.0.0.1', port: 0 })
  // The worker runs by itself, as in a server process, so the test clock follows real time from here:
  // a step of the quick profile (the default) is due half a second after it starts.
  const origin = Date.now()
  const start = ctx.clock.now().getTime()
  const follow = setInterval(() => ctx.clock.set(new Date(start + Date.now() - origin)), CLOCK_TICK_MS)
  t.after(() => clearInterval(follow))
  ctx.app.publishingWorker.start()
  const { port } = ctx.app.server.address() as AddressInfo
  const url = `http://127.0.0.1:${port}`
  const clientFor = (principal: TestPrincipal, options: Partial<CloudPartnerClientOptions> = {}) =>
    new CloudPartnerClient({
      endpoint: url,
      credential: {
        authority: url,
        tenantId: principal.tenantId,
        clientId: principal.clientId,
        clientSecret: principal.secret,
      },
      ...options,
    })
  return { url, ctx, owner, clientFor, client: clientFor(owner) }
}
