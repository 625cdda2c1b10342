import fastifyCookie from '@fastify/cookie'
import fastifyCsrfProtection from '@fastify/csrf-protection'
import fastifyFormbody from '@fastify/formbody'
import type { FastifyInstance } from 'fastify'
import { installChangeContext } from '../audit/request-change-context.ts'
import type { Clock } from '../clock.ts'
import type { Config } from '../config.ts'
import type { OfferReadModel } from '../offers/offer-read-model.ts'
import type { OfferService } from '../offers/offers.service.ts'
import type { PrincipalAdministration } from '../principals/principal-administration.ts'
import type { PublisherAccess } from '../principals/publisher-access.ts'
import type { PublisherService } from '../publishers/publishers.service.ts'
import type { ApiThrottle } from '../throttling/api-throttle.ts'
import { administrationPages } from './admin/administration.routes.ts'
import { assetRoutes, loadAssets } from './assets.ts'
import { installErrorPages } from './error-page.ts'
import { createLayout } from './layout.ts'
import { offerPage } from './offer.page.ts'
import { offerDiffPage } from './offer-diff.page.ts'
import { offerEditorPage } from './offer-editor.page.ts'
import { offersPage } from './offers.page.ts'
import { publishersPage } from './publishers.page.ts'
import { type PublishingPortalOptions, publishingPages } from './publishing/publishing.routes.ts'
import { installSecurityHeaders } from './security-headers.ts'
import type { PortalSessionService } from './sessions/portal-sessions.service.ts'
import { signInRoutes } from './sign-in.routes.ts'
import { installViewer, requireViewer, viewerOf } from './viewer.ts'

/**
 * The portal: server-rendered pages at /portal over the same services as the API, with the same
 * access checks (a page calls `services.x.method(viewer.caller, …)` exactly as a route calls it
 * with the token's caller; no HTTP calls to ourselves). docs/portal.md describes it for users,
 * docs/adr/0008 says why it is built this way.
 *
 * How to add a page
 * -----------------
 * 1. Write `src/portal/<name>.page.ts` exporting `function <name>Page(app, options)` that adds its
 *    routes (paths relative to the prefix: `app.get('/publishers/:publisherId/things', …)`). Take
 *    the services it needs, the `layout` and the `prefix` in `options`; add the services to
 *    `PortalOptions` below and pass them from src/app.ts (the composition root builds them).
 * 2. In a handler: `const { caller } = viewerOf(request)`, call the service with that caller (it
 *    throws the API's own ApiErrors: 403 without a grant, 404, 412 …), build the content with the
 *    `html` tagged template (html.ts: every value is escaped; nest fragments freely; times through
 *    `timeOf` in time.ts), and answer `layout.send(request, reply, { title, section, breadcrumbs,
 *    main })`. Throwing is fine: error-page.ts turns any error into a readable page (or, for an
 *    htmx request, a message in #portal-messages).
 * 3. Register it in the signed-in scope at the bottom of this file. A new section of the
 *    navigation is an entry in `NAVIGATION` (layout.ts), with `visible(viewer)` when only some see it.
 * 4. Forms: `method="post"` with `${layout.csrfField(reply)}` inside. Every POST (and htmx's
 *    hx-post, hx-put, hx-delete, which send the token from the body's hx-headers) is refused
 *    without a valid token. Answer a successful POST with a 303 redirect (post/redirect/get).
 * 5. Progressive enhancement: the page must work without scripts; then add htmx attributes
 *    (`hx-get`, `hx-target`, `hx-push-url`; `sse-connect`/`sse-swap` from the SSE extension) to
 *    update parts of it. A handler can tell an htmx request by `request.headers['hx-request']`
 *    and answer just the fragment. No inline script or style: the CSP refuses them; styles go to
 *    assets/portal.css, behaviour to assets/portal.js.
 * 6. Test it in a browser (test/portal/, test/helpers/browser.ts): `checkPage` runs axe-core
 *    (zero violations) and keeps screenshots at 390 and 1440 px under .artifacts/portal/.
 */
export interface PortalOptions {
  readonly config: Pick<Config, 'production' | 'maxBodyBytes'> & PublishingPortalOptions['config']
  readonly sessions: PortalSessionService
  readonly publishers: PublisherService
  readonly access: PublisherAccess
  /** What GET answers about offers (the answer cache included), and pages of offers. */
  readonly offerReads: OfferReadModel
  /** The write path of offers (PUT, with If-Match). */
  readonly offers: OfferService
  /** The API's rate limit per principal: a page counts as a request, as an API call does. */
  readonly apiThrottle: ApiThrottle
  readonly clock: Clock
  /** Principals, grants and signing keys (admin/administration.routes.ts). */
  readonly administration: PrincipalAdministration
  /** An offer's publishing (publishing/publishing.routes.ts). */
  readonly publishing: Omit<
    PublishingPortalOptions,
    'layout' | 'portalPrefix' | 'config' | 'access' | 'sessions'
  >
}

/** Where the portal is served; its pages and cookies live under it. */
export const PORTAL_PREFIX = '/portal'

export async function portalRoutes(app: FastifyInstance, options: PortalOptions): Promise<void> {
  const prefix = PORTAL_PREFIX
  const { config } = options
  const assets = loadAssets(prefix)
  const layout = createLayout({ prefix, assets, production: config.production })

  // Pages, not API: kept out of the OpenAPI document.
  app.addHook('onRoute', (route) => {
    route.schema = { ...route.schema, hide: true }
  })
  await app.register(fastifyCookie)
  await app.register(fastifyFormbody, { bodyLimit: config.maxBodyBytes })
  await app.register(fastifyCsrfProtection, {
    cookieKey: 'cloudpartner_portal_csrf',
    cookieOpts: { path: prefix, sameSite: 'strict', httpOnly: true, secure: 'auto' },
  })
  installSecurityHeaders(app)
  installErrorPages(app, {
    layout,
    prefix,
    bodyLimit: config.maxBodyBytes,
  })
  installViewer(app, { sessions: options.sessions, prefix })
  // Changes made through a page are recorded as the portal's, with the viewer as the actor.
  installChangeContext(app, 'portal')
  // Every request that could change something needs the form's (or htmx's header's) token.
  app.addHook('preHandler', (request, reply, done) => {
    if (request.method === 'GET' || request.method === 'HEAD') return done()
    app.csrfProtection(request, reply, done)
  })

  assetRoutes(app, assets)
  signInRoutes(app, { layout, sessions: options.sessions, prefix })

  // The pages of a signed-in viewer.
  await app.register(async (pages) => {
    requireViewer(pages, prefix)
    pages.addHook('preHandler', async (request) => {
      options.apiThrottle.check(viewerOf(request).caller, options.clock.now().getTime())
    })
    pages.get('/', async (_request, reply) => reply.redirect(`${prefix}/publishers`, 303))
    const { access, offerReads } = options
    publishersPage(pages, { layout, publishers: options.publishers, access, prefix })
    offersPage(pages, { layout, offerReads, access, prefix })
    offerPage(pages, { layout, offerReads, access, prefix })
    offerDiffPage(pages, { layout, offerReads, access, prefix })
    offerEditorPage(pages, { layout, offers: options.offers, offerReads, access, prefix })
    await pages.register(publishingPages, {
      ...options.publishing,
      layout,
      portalPrefix: prefix,
      config,
      access,
      sessions: options.sessions,
    })
    await pages.register(administrationPages, {
      administration: options.administration,
      audit: options.publishing.audit,
      layout,
      portalPrefix: prefix,
    })
  })
}
