import type { FastifyReply, FastifyRequest } from 'fastify'
import type { Assets } from './assets.ts'
import { type Html, html } from './html.ts'
import type { PortalViewer } from './sessions/portal-sessions.service.ts'

/** A link of the navigation bar. Add an entry here to put a new section in every page's header. */
export interface NavigationEntry {
  readonly section: string
  readonly label: string
  /** Under the portal's prefix. */
  readonly path: string
  /** Whether this viewer sees the entry at all (e.g. administration for Owners). */
  readonly visible?: (viewer: PortalViewer) => boolean
}

export const NAVIGATION: NavigationEntry[] = [
  { section: 'publishers', label: 'Publishers', path: '/publishers' },
  // Shown to everyone: who may administer what needs the store (admin/administration.page.ts says).
  { section: 'administration', label: 'Administration', path: '/admin' },
]

export interface Breadcrumb {
  readonly label: string
  readonly href?: string
}

/** What a page hands the layout. */
export interface Page {
  /** The document title and the page's heading. */
  readonly title: string
  /** The navigation entry to mark as current. */
  readonly section?: string
  readonly breadcrumbs?: readonly Breadcrumb[]
  /** The page's content, below its heading. */
  readonly main: Html
  /**
   * Seconds after which a browser without scripts reloads the page (a `<meta http-equiv=refresh>`
   * inside `<noscript>`, so that a browser running scripts, which the page updates live, ignores
   * it). Only ever at the viewer's request: an unasked reload moves a screen reader back to the top
   * of the page and takes a half-filled form away (WCAG 2.2.1; axe-core's `meta-refresh`).
   */
  readonly reloadWithoutScriptsEvery?: number
}

/**
 * htmx configured for the CSP (no eval, no inline indicator style, requests to this server only),
 * and to swap error answers too: the server answers an htmx request's error with a message
 * fragment aimed at #portal-messages (error-page.ts), so a failed partial update is never silent.
 */
const HTMX_CONFIG = JSON.stringify({
  allowEval: false,
  allowScriptTags: false,
  includeIndicatorStyles: false,
  selfRequestsOnly: true,
  // Not 'style': the CSP refuses inline styles, and settling copies a style attribute left on an
  // element (axe-core leaves style="" behind) onto its replacement, which the CSP then blocks.
  attributesToSettle: ['class', 'width', 'height'],
  historyCacheSize: 0,
  responseHandling: [
    { code: '204', swap: false },
    { code: '[23]..', swap: true },
    { code: '[45]..', swap: true, error: true },
  ],
})

export interface Layout {
  /** The whole document around a page's content. */
  render(request: FastifyRequest, reply: FastifyReply, page: Page): Html
  /** Sends a page as the answer, with its status. */
  send(request: FastifyRequest, reply: FastifyReply, page: Page, status?: number): FastifyReply
  /** The hidden field every form carries: the CSRF token checked on POST (portal.routes.ts). */
  csrfField(reply: FastifyReply): Html
}

export function createLayout(options: { prefix: string; assets: Assets; production: boolean }): Layout {
  const { prefix, assets } = options
  // One token per answer: on a first visit each generateCsrf() would make a new secret cookie,
  // and only the last would match its token.
  const tokens = new WeakMap<FastifyReply, string>()
  const csrfToken = (reply: FastifyReply) => {
    const token = tokens.get(reply) ?? reply.generateCsrf()
    tokens.set(reply, token)
    return token
  }
  const csrfField = (reply: FastifyReply) =>
    html`<input type="hidden" name="_csrf" value="${csrfToken(reply)}">`

  function header(reply: FastifyReply, viewer: PortalViewer | undefined, section: string | undefined): Html {
    const entries = viewer ? NAVIGATION.filter((entry) => entry.visible?.(viewer) ?? true) : []
    return html`<header class="site-header">
  <a class="brand" href="${prefix}">cloudpartner portal</a>
  ${
    entries.length > 0 &&
    html`<nav aria-label="Main"><ul>${entries.map(
      (entry) =>
        html`<li><a href="${prefix}${entry.path}"${entry.section === section ? html` aria-current="page"` : ''}>${entry.label}</a></li>`,
    )}</ul></nav>`
  }
  <div class="who">${viewer ? signedIn(reply, viewer) : html`<a href="${prefix}/sign-in">Sign in</a>`}</div>
</header>`
  }

  function signedIn(reply: FastifyReply, viewer: PortalViewer): Html {
    const name = html`<span>Signed in as <strong>${viewer.principal.displayName}</strong></span>`
    if (viewer.automatic) return html`${name} <a href="${prefix}/sign-in">Sign in as another principal</a>`
    return html`${name}
    <form method="post" action="${prefix}/sign-out">${csrfField(reply)}<button type="submit" class="secondary">Sign out</button></form>`
  }

  function banner(viewer: PortalViewer | undefined): Html | false {
    if (options.production) return false
    return html`<div class="banner" role="note" aria-label="Development mode"><p>${
      viewer?.automatic
        ? html`<strong>Development mode:</strong> you are signed in as the development principal
          (client id <code>${viewer.principal.clientId}</code>) without a password, because this
          server listens on loopback only. Production mode asks everyone to sign in.`
        : html`<strong>Development mode:</strong> this server listens on loopback only and signs
          visitors in as the development principal unless they sign in as another.`
    }</p></div>`
  }

  function breadcrumbs(items: readonly Breadcrumb[] | undefined): Html | false {
    if (!items || items.length === 0) return false
    return html`<nav class="breadcrumbs" aria-label="Breadcrumb"><ol>${items.map(
      (item, index) =>
        html`<li>${
          item.href && index < items.length - 1
            ? html`<a href="${item.href}">${item.label}</a>`
            : html`<span aria-current="page">${item.label}</span>`
        }</li>`,
    )}</ol></nav>`
  }

  const render: Layout['render'] = (request, reply, page) => {
    const viewer = request.viewer
    return html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="htmx-config" content="${HTMX_CONFIG}">
<title>${page.title} · cloudpartner portal</title>
<link rel="icon" href="data:,">
${page.reloadWithoutScriptsEvery !== undefined && html`<noscript><meta http-equiv="refresh" content="${page.reloadWithoutScriptsEvery}"></noscript>`}
<link rel="stylesheet" href="${assets.url('portal.css')}">
<script src="${assets.url('htmx.min.js')}" defer></script>
<script src="${assets.url('sse.min.js')}" defer></script>
<script src="${assets.url('portal.js')}" defer></script>
</head>
<body hx-headers="${JSON.stringify({ 'x-csrf-token': csrfToken(reply) })}">
<a class="skip-link" href="#main">Skip to content</a>
${banner(viewer)}
${header(reply, viewer, page.section)}
<main id="main" tabindex="-1">
${breadcrumbs(page.breadcrumbs)}
<h1>${page.title}</h1>
<div id="portal-messages" aria-live="polite"></div>
${page.main}
</main>
<footer class="site-footer"><p>cloudpartner: the Cloud Partner Portal API and its portal, self-hosted. Times are shown in your time zone.</p></footer>
</body>
</html>`
  }

  return {
    render,
    send(request, reply, page, status = 200) {
      return reply
        .code(status)
        .type('text/html; charset=utf-8')
        .send(render(request, reply, page).toString())
    },
    csrfField,
  }
}
