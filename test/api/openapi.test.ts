import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { test } from 'node:test'
import { generateOpenApiDocument } from '../../scripts/openapi-document.ts'
import { startTestApp } from '../helpers/test-app.ts'

test('the committed openapi.json is what the route schemas generate (run `npm run openapi`)', async () => {
  const committed = readFileSync(new URL('../../openapi.json', import.meta.url), 'utf8')
  assert.equal(
    committed,
    await generateOpenApiDocument(),
    'openapi.json is stale: run `npm run openapi` and commit it',
  )
})

test('the server serves its OpenAPI 3.1 document at /openapi.json, without a token', async (t) => {
  const ctx = await startTestApp(t)
  const response = await ctx.app.inject({ url: '/openapi.json' })
  assert.equal(response.statusCode, 200)
  const document = response.json()
  assert.equal(document.openapi, '3.1.0')
  assert.ok(document.paths['/api/publishers/{publisherId}/offers'].get)
  assert.ok(document.paths['/api/publishers'].get)
  assert.ok(document.paths['/api/offerTypes'].get)
})
