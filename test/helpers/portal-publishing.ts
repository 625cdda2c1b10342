import type { TestContext } from 'node:test'
import { createAuditRecorder } from '../../src/audit/record-change.ts'
import { STORE_ADMINISTRATOR } from '../../src/auth/caller.ts'
import { seedSampleOffers } from '../../src/bootstrap/samples/sample-history.ts'
import { type CookieJar, signInByForm, startPortal } from './portal.ts'
import type { TestApp, TestPrincipal } from './test-app.ts'

export { VM_OFFER } from './publishing.ts'

export interface PublishingPortal {
  readonly portal: TestApp & { readonly baseUrl: string }
  /** Holds Owner on contoso, whose sample offers are seeded. */
  readonly owner: TestPrincipal
  /** A signed-in browser's cookies, without a browser (app.inject through the sign-in form). */
  signIn(principal: TestPrincipal): Promise<CookieJar>
  /** The publishing page's URL of a contoso offer, under the portal. */
  publishingUrl(offerId: string): string
}

/**
 * The portal of a production server with the /admin controls (--admin-api), listening on loopback,
 * in the manual profile (steps wait for the test to advance them), with the live stream's poll and
 * heartbeat short so that a test sees them soon. Publisher contoso holds the sample offers.
 */
export async function startPublishingPortal(
  t: TestContext,
  settings: Readonly<Record<string, string | boolean>> = {},
): Promise<PublishingPortal> {
  const portal = await startPortal(t, {
    settings: {
      production: true,
      'admin-api': true,
      'publish-profile': 'manual',
      'live-update-interval': '50',
      'live-heartbeat': '1',
      ...settings,
    },
  })
  await portal.createPublisher('contoso', 'Contoso')
  const owner = await portal.createPrincipal({ displayName: 'Owner of contoso' })
  await portal.grant(owner, 'contoso', 'Owner')
  await seedSampleOffers({
    stores: portal.stores,
    clock: portal.clock,
    audit: createAuditRecorder(portal),
    caller: STORE_ADMINISTRATOR,
  })
  return {
    portal,
    owner,
    signIn: async (principal) => (await signInByForm(portal.app, principal)).jar,
    publishingUrl: (offerId) => `${portal.baseUrl}/portal/publishers/contoso/offers/${offerId}/publishing`,
  }
}
