import type { FastifyInstance } from 'fastify'

/**
 * The portal's answers carry a strict Content-Security-Policy: scripts, styles, connections
 * (htmx's requests, server-sent events) and form targets from this server only, nothing inline,
 * no eval (htmx is configured not to need it), no framing. Together with the auto-escaping
 * templates (html.ts) an injected string can neither run nor restyle a page.
 *
 * Six headers in one hook rather than @fastify/helmet (docs/adr/0008): helmet's defaults
 * (`style-src 'unsafe-inline' https:`, and a dozen headers for cases we do not have) would all
 * have to be overridden to reach this policy.
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
  "base-uri 'none'",
  "object-src 'none'",
].join('; ')

export function installSecurityHeaders(app: FastifyInstance): void {
  app.addHook('onSend', (_request, reply, _payload, done) => {
    reply.header('content-security-policy', CONTENT_SECURITY_POLICY)
    reply.header('x-content-type-options', 'nosniff')
    reply.header('x-frame-options', 'DENY')
    reply.header('referrer-policy', 'same-origin')
    reply.header('cross-origin-opener-policy', 'same-origin')
    // Pages show what a principal may see: kept by no cache (the app's default is no-cache, which
    // still lets a cache store them). Assets set their own.
    if (String(reply.getHeader('content-type')).startsWith('text/html'))
      reply.header('cache-control', 'no-store')
    done()
  })
}
