import { createHash } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import type { FastifyInstance } from 'fastify'

/**
 * Every file a portal page loads, served by the server itself: no CDN, no request leaves the
 * machine, and the CSP can say `'self'`. Read once at start-up (about 60 KB in all) and answered
 * from memory. htmx and its server-sent-events extension come from their npm packages, so that
 * `npm update` updates them; our own files sit in ./assets (copied beside the compiled code by
 * `npm run build`).
 *
 * Each URL carries the content's hash (`/portal/assets/<hash>/htmx.min.js`): a page always names
 * the bytes it was written with, so they can be cached for a year as immutable. A request with
 * another hash (a page rendered by a replica of another version) still gets the file, uncached.
 */
export interface Asset {
  readonly name: string
  readonly type: string
  readonly body: Buffer
  readonly hash: string
}

const require = createRequire(import.meta.url)
const own = (file: string) => new URL(`./assets/${file}`, import.meta.url)

const SOURCES: readonly { name: string; type: string; path: string | URL }[] = [
  { name: 'htmx.min.js', type: 'text/javascript', path: require.resolve('htmx.org/dist/htmx.min.js') },
  { name: 'sse.min.js', type: 'text/javascript', path: require.resolve('htmx-ext-sse/dist/sse.min.js') },
  { name: 'portal.js', type: 'text/javascript', path: own('portal.js') },
  { name: 'portal.css', type: 'text/css', path: own('portal.css') },
]

export type AssetName = 'htmx.min.js' | 'sse.min.js' | 'portal.js' | 'portal.css'

export interface Assets {
  /** The URL a page writes for the asset. */
  url(name: AssetName): string
  find(name: string): Asset | undefined
}

export function loadAssets(prefix: string): Assets {
  const byName = new Map<string, Asset>()
  for (const source of SOURCES) {
    const body = readFileSync(source.path)
    const hash = createHash('sha256').update(body).digest('base64url').slice(0, 16)
    byName.set(source.name, { name: source.name, type: source.type, body, hash })
  }
  return {
    url(name) {
      return `${prefix}/assets/${(byName.get(name) as Asset).hash}/${name}`
    },
    find: (name) => byName.get(name),
  }
}

const YEAR_SECONDS = 365 * 24 * 60 * 60

export function assetRoutes(app: FastifyInstance, assets: Assets): void {
  app.get<{ Params: { hash: string; name: string } }>('/assets/:hash/:name', async (request, reply) => {
    const asset = assets.find(request.params.name)
    if (!asset) return reply.callNotFound()
    const current = request.params.hash === asset.hash
    const etag = `"${asset.hash}"`
    reply
      .header('content-type', `${asset.type}; charset=utf-8`)
      .header('cache-control', current ? `public, max-age=${YEAR_SECONDS}, immutable` : 'no-cache')
      .header('etag', etag)
      .header('x-content-type-options', 'nosniff')
    if (request.headers['if-none-match'] === etag) return reply.code(304).send()
    return reply.send(asset.body)
  })
}
