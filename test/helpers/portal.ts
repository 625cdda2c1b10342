import type { TestContext } from 'node:test'
import type { FastifyInstance } from 'fastify'
import type { Page } from 'playwright-core'
import { createAuditRecorder } from '../../src/audit/record-change.ts'
import { seedSampleOffers } from '../../src/bootstrap/samples/sample-history.ts'
import { startTestApp, type TestApp, type TestAppOptions, type TestPrincipal } from './test-app.ts'

/** The real app listening on a loopback port, for a browser: its base URL beside the test app. */
export async function startPortal(
  t: TestContext,
  options: TestAppOptions = {},
): Promise<TestApp & { readonly baseUrl: string }> {
  const testApp = await startTestApp(t, options)
  const address = await testApp.app.listen({ host: '127.0.0.1', port: 0 })
  return { ...testApp, baseUrl: address }
}

/** Signs in through the sign-in form as a person would. */
export async function signInInBrowser(page: Page, baseUrl: string, principal: TestPrincipal): Promise<void> {
  await page.goto(`${baseUrl}/portal/sign-in`)
  await page.getByLabel('Tenant id').fill(principal.tenantId)
  await page.getByLabel('Client id').fill(principal.clientId)
  await page.getByLabel('Client secret').fill(principal.secret)
  await page.getByRole('button', { name: 'Sign in' }).click()
  await page.waitForLoadState('load')
}

/** Cookies a browser would keep, as one Cookie header, from Set-Cookie answers. */
export class CookieJar {
  readonly #cookies = new Map<string, string>()

  take(setCookie: string | string[] | undefined): void {
    for (const line of [setCookie ?? []].flat()) {
      const [pair = ''] = line.split(';')
      const equals = pair.indexOf('=')
      const name = pair.slice(0, equals).trim()
      const value = pair.slice(equals + 1).trim()
      if (/expires=Thu, 01 Jan 1970/i.test(line) || value === '') this.#cookies.delete(name)
      else this.#cookies.set(name, value)
    }
  }

  get header(): string {
    return [...this.#cookies].map(([name, value]) => `${name}=${value}`).join('; ')
  }

  get(name: string): string | undefined {
    return this.#cookies.get(name)
  }
}

/** The CSRF token of a page's first form. */
export function csrfTokenOf(body: string): string {
  const token = /name="_csrf" value="([^"]+)"/.exec(body)?.[1]
  if (token === undefined) throw new Error('the page has no form with a CSRF token')
  return token
}

/** Through app.inject, as a browser without scripts: GET the sign-in page, then POST the form. */
export async function signInByForm(
  app: FastifyInstance,
  principal: Pick<TestPrincipal, 'tenantId' | 'clientId' | 'secret'>,
  jar: CookieJar = new CookieJar(),
): Promise<{ jar: CookieJar; response: Awaited<ReturnType<FastifyInstance['inject']>> }> {
  return postSignInForm(app, jar, '', undefined, {
    tenantId: principal.tenantId,
    clientId: principal.clientId,
    clientSecret: principal.secret,
  })
}

/**
 * The Host the assertion form is sent with: the token service checks an assertion's `aud` against
 * it, and app.inject's own (`localhost:80`, a default port no browser writes) would not match the
 * URL it normalises.
 */
export const INJECT_HOST = '127.0.0.1:8080'

/** The same, with the certificate form: a client assertion (for INJECT_HOST) instead of the secret. */
export async function signInWithAssertion(
  app: FastifyInstance,
  principal: Pick<TestPrincipal, 'tenantId' | 'clientId'>,
  assertion: string,
  jar: CookieJar = new CookieJar(),
): Promise<{ jar: CookieJar; response: Awaited<ReturnType<FastifyInstance['inject']>> }> {
  return postSignInForm(app, jar, '?with=certificate', INJECT_HOST, {
    tenantId: principal.tenantId,
    clientId: principal.clientId,
    clientAssertion: assertion,
    with: 'certificate',
  })
}

async function postSignInForm(
  app: FastifyInstance,
  jar: CookieJar,
  query: string,
  host: string | undefined,
  fields: Record<string, string>,
): Promise<{ jar: CookieJar; response: Awaited<ReturnType<FastifyInstance['inject']>> }> {
  const hostHeader = host === undefined ? {} : { host }
  const page = await app.inject({
    url: `/portal/sign-in${query}`,
    headers: { cookie: jar.header, ...hostHeader },
  })
  jar.take(page.headers['set-cookie'])
  const response = await app.inject({
    method: 'POST',
    url: '/portal/sign-in',
    headers: { cookie: jar.header, 'content-type': 'application/x-www-form-urlencoded', ...hostHeader },
    payload: new URLSearchParams({
      _csrf: csrfTokenOf(page.body),
      ...fields,
      next: '/portal/publishers',
    }).toString(),
  })
  jar.take(response.headers['set-cookie'])
  return { jar, response }
}

/**
 * A production-mode portal over a fresh store with the sample offers of contoso (as the
 * development bootstrap publishes them) and a principal that owns contoso.
 */
export async function startPortalWithSamples(t: TestContext): Promise<{
  portal: TestApp & { readonly baseUrl: string }
  owner: TestPrincipal
}> {
  const portal = await startPortal(t, { settings: { production: true } })
  await portal.createPublisher('contoso', 'Contoso')
  const owner = await portal.createPrincipal({ displayName: 'Contoso release manager' })
  await portal.grant(owner, 'contoso', 'Owner')
  await seedSampleOffers({
    stores: portal.stores,
    clock: portal.clock,
    audit: createAuditRecorder(portal),
    caller: { tenantId: owner.tenantId, clientId: owner.clientId, principalId: owner.id },
  })
  return { portal, owner }
}
