import assert from 'node:assert/strict'
import { test } from 'node:test'
import Fastify from 'fastify'
import { lazySchemaCompilers } from '../../src/http/lazy-schema-compilers.ts'
import { typeBoxValidatorCompiler } from '../../src/http/typebox-validator-compiler.ts'

/** A bare Fastify with the app's compilers (src/app.ts), its routes compiled at their first call. */
function appWithLazySchemas() {
  const app = Fastify({
    ajv: { customOptions: { allErrors: true, coerceTypes: 'array', removeAdditional: false } },
    schemaController: { compilersFactory: lazySchemaCompilers() },
  })
  // As the API's routes have: an async hook before validation (src/app.ts, authentication).
  app.addHook('onRequest', async () => {})
  app.get(
    '/items',
    {
      schema: {
        querystring: {
          type: 'object',
          properties: { top: { type: 'integer', minimum: 1 } },
          additionalProperties: false,
        },
        response: { 200: { type: 'object', properties: { top: { type: 'integer' } } } },
      },
    },
    // The serializer keeps what the schema says and drops the rest.
    async (request) => ({ top: (request.query as { top?: number }).top ?? 10, secret: 'not answered' }),
  )
  // A schema no compiler accepts: its first call must be answered, not end the process.
  app.get('/broken', { schema: { querystring: { type: 'no-such-type' } } }, async () => ({ ok: true }))
  app.get(
    '/broken-typebox',
    {
      schema: { querystring: { type: 'object', properties: { q: { type: 'string', pattern: '(' } } } },
      validatorCompiler: typeBoxValidatorCompiler,
    },
    async () => ({ ok: true }),
  )
  return app
}

test('routes validate and serialize as Fastify compiles them, once called', async (t) => {
  const app = appWithLazySchemas()
  t.after(() => app.close())
  const ok = await app.inject({ url: '/items?top=3' })
  assert.equal(ok.statusCode, 200)
  assert.equal(ok.body, '{"top":3}')
  const invalid = await app.inject({ url: '/items?top=0' })
  assert.equal(invalid.statusCode, 400)
  assert.match(invalid.json().message, /querystring\/top must be >= 1/)
  const unknown = await app.inject({ url: '/items?color=red' })
  assert.equal(unknown.statusCode, 400)
})

test('a schema that does not compile answers 500 on every call, and the server goes on', async (t) => {
  const app = appWithLazySchemas()
  t.after(() => app.close())
  for (const url of ['/broken', '/broken', '/broken-typebox', '/broken-typebox']) {
    const response = await app.inject({ url })
    assert.equal(response.statusCode, 500, `${url}: ${response.body}`)
  }
  assert.equal((await app.inject({ url: '/items' })).statusCode, 200)
})
