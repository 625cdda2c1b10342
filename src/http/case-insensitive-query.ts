import { parse } from 'node:querystring'
import type { RouteOptions } from 'fastify'

/**
 * Query parameter names in any case, as on the real service: it ran on ASP.NET, whose model binding
 * matches query names case-insensitively, so `?API-VERSION=2017-10-31` and `?Status=running` were
 * as good as the documented spellings. Every name a route's querystring schema declares is learnt
 * when the route is added; a parameter that matches one of them in another case is renamed to it.
 * Values are left alone; unknown names are kept as sent (docs/compatibility.md C17).
 */
export function caseInsensitiveQuery(): {
  /** For Fastify's `routerOptions.querystringParser`. */
  readonly parse: (text: string) => Record<string, string | string[]>
  /** For an `onRoute` hook: learns the route's query names. */
  readonly learn: (route: RouteOptions) => void
} {
  const spellings = new Map<string, string>()
  return {
    parse(text) {
      // No prototype: a parameter named __proto__ is just a name, as with Fastify's own parser.
      const query: Record<string, string | string[]> = Object.create(null)
      for (const [name, value] of Object.entries(parse(text))) {
        if (value === undefined) continue
        const known = spellings.get(name.toLowerCase()) ?? name
        const previous = query[known]
        query[known] = previous === undefined ? value : [previous, value].flat()
      }
      return query
    },
    learn(route) {
      const properties = (route.schema?.querystring as { properties?: Record<string, unknown> } | undefined)
        ?.properties
      for (const name of Object.keys(properties ?? {})) spellings.set(name.toLowerCase(), name)
    },
  }
}
