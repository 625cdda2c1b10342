import assert from 'node:assert/strict'
import type { TestContext } from 'node:test'
import type { Locator, Page } from 'playwright-core'
import { createAuditRecorder } from '../../src/audit/record-change.ts'
import { STORE_ADMINISTRATOR } from '../../src/auth/caller.ts'
import { seedSampleOffers } from '../../src/bootstrap/samples/sample-history.ts'
import { type CookieJar, signInByForm, startPortal } from './portal.ts'
import { VM_OFFER } from './publishing.ts'
import type { TestApp, TestPrincipal } from './test-app.ts'

export { VM_OFFER }

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

/** Set on the page's window: a reload (or any navigation) would lose it. */
export async function markWindow(page: Page): Promise<void> {
  await page.evaluate('window.__cloudpartnerMark = "not reloaded"')
}

export async function stillSamePage(page: Page): Promise<boolean> {
  return (await page.evaluate('window.__cloudpartnerMark')) === 'not reloaded'
}

/** A step of the timeline on the publishing page. */
export function step(page: Page, stepId: string): Locator {
  return page.locator(`#publishing-panel [data-step="${stepId}"]`)
}

/** POST /admin/operations/{id}/{action} for the latest operation of VM_OFFER, as a tester's script would. */
export async function adminStep(
  p: PublishingPortal,
  token: string,
  action: 'advance' | 'fail',
  body?: unknown,
): Promise<void> {
  const [operation] = await p.portal.stores.operations.listOperations('contoso', VM_OFFER)
  const response = await fetch(`${p.portal.baseUrl}/admin/operations/${operation?.id}/${action}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify(body ?? {}),
  })
  assert.equal(response.status, 200, await response.text())
}
