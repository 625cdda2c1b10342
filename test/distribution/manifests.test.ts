import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { test } from 'node:test'
import { ROOT } from '../helpers/import-graph.ts'

/** The two manifests stay in step (ADR 0006): what one promises, the other must not contradict. */
const read = (path: string) => JSON.parse(readFileSync(join(ROOT, path), 'utf8'))
const server = read('package.json')
const sdk = read('packages/sdk/package.json')

test('cloudpartner-sdk: the version of cloudpartner, the typebox range it builds with, Node 20', () => {
  assert.equal(sdk.version, server.version)
  assert.deepEqual(sdk.dependencies, { typebox: server.dependencies.typebox })
  assert.equal(sdk.engines.node, '>=20')
  assert.equal(sdk.license, server.license)
})

test('cloudpartner: publishable, Node 24 as pinned, a bin, exports with types first for consumers', () => {
  assert.equal(server.private, undefined)
  assert.equal(server.engines.node, `>=${server.devDependencies.node.split('.')[0]}`)
  assert.equal(server.bin.cloudpartner, 'bin/cloudpartner.js')
  for (const entry of ['.', './sdk']) {
    const conditions = Object.keys(server.exports[entry])
    // TypeScript takes the first condition it knows: `types` before `default`.
    assert.deepEqual(conditions, ['cloudpartner-source', 'types', 'default'], entry)
  }
})
