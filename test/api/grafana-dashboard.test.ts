import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { test } from 'node:test'
import { ROOT } from '../helpers/import-graph.ts'
import { declaredFamilies, scrape } from '../helpers/metrics-text.ts'
import { startTestApp } from '../helpers/test-app.ts'

/**
 * The dashboard in the repository and the operations guide describe the metrics a running server
 * really exposes: a renamed or removed metric fails here, not on an operator's empty panel.
 */
const HISTOGRAM_SUFFIXES = /_(bucket|sum|count)$/

interface Panel {
  readonly title: string
  readonly panels?: Panel[]
  readonly targets?: { expr: string }[]
}

function expressions(panels: readonly Panel[]): { title: string; expr: string }[] {
  return panels.flatMap((panel) => [
    ...(panel.targets ?? []).map((target) => ({ title: panel.title, expr: target.expr })),
    ...expressions(panel.panels ?? []),
  ])
}

test('every metric the Grafana dashboard queries exists on a running server', async (t) => {
  const dashboard = JSON.parse(readFileSync(`${ROOT}/docs/grafana/cloudpartner-dashboard.json`, 'utf8')) as {
    panels: Panel[]
  }
  const ctx = await startTestApp(t)
  const families = declaredFamilies((await scrape(ctx.app)).text)
  const queried = expressions(dashboard.panels)
  assert.ok(queried.length > 20)
  const missing: string[] = []
  for (const { title, expr } of queried) {
    for (const [name] of expr.matchAll(/\b(?:cloudpartner|process|nodejs)_[a-z0-9_]+\b/g)) {
      const family = families.has(name) ? name : name.replace(HISTOGRAM_SUFFIXES, '')
      const type = families.get(family)
      const fits = type !== undefined && (family === name || type === 'histogram')
      if (!fits) missing.push(`${title}: ${name}`)
    }
  }
  assert.deepEqual(missing, [])
})

test('docs/operations.md lists every metric of the server, and no other', async (t) => {
  const guide = readFileSync(`${ROOT}/docs/operations.md`, 'utf8')
  const documented = new Set(
    [...guide.matchAll(/^\| `(cloudpartner_[a-z0-9_]+)` \|/gm)].map((match) => match[1]),
  )
  const ctx = await startTestApp(t)
  const exposed = [...declaredFamilies((await scrape(ctx.app)).text).keys()].filter((name) =>
    name.startsWith('cloudpartner_'),
  )
  assert.deepEqual([...documented].sort(), exposed.sort())
})
