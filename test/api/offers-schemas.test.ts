import assert from 'node:assert/strict'
import { test } from 'node:test'
import { Value } from 'typebox/value'
import { sampleOffers } from '../../src/bootstrap/samples/sample-data.ts'
import { DEFINITION_SCHEMAS } from '../../src/offer-types/offer-type-rules.ts'
import { OfferDocumentSchema, OfferSchema } from '../../src/offers/offers.schema.ts'
import { formatTimestamp } from '../../src/timestamps.ts'
import { offersClient } from './fixtures/offers-client.ts'

/** Every property, at any depth (unions, items and pattern properties included), has a description. */
function undescribed(schema: unknown, path: string): string[] {
  if (typeof schema !== 'object' || schema === null) return []
  const node = schema as Record<string, unknown>
  const problems: string[] = []
  for (const [name, property] of Object.entries((node.properties ?? {}) as Record<string, unknown>)) {
    if (typeof (property as { description?: unknown }).description !== 'string')
      problems.push(`${path}.${name}`)
    problems.push(...undescribed(property, `${path}.${name}`))
  }
  for (const [pattern, property] of Object.entries(
    (node.patternProperties ?? {}) as Record<string, unknown>,
  )) {
    problems.push(...undescribed(property, `${path}[/${pattern}/]`))
  }
  for (const member of (node.anyOf ?? []) as unknown[]) problems.push(...undescribed(member, `${path}|`))
  problems.push(...undescribed(node.items, `${path}[]`))
  return problems
}

test('the offer schemas have an $id, a type and a description on every property, all the way down', () => {
  const schemas: Record<string, { $id?: unknown; type?: unknown; description?: unknown }> = {
    OfferSchema,
    OfferDocumentSchema,
  }
  for (const [name, schema] of Object.entries(schemas)) {
    assert.equal(typeof schema.$id, 'string', `${name} has no $id`)
    assert.equal(schema.type, 'object')
    assert.equal(typeof schema.description, 'string')
    assert.deepEqual(undescribed(schema, name), [])
  }
  for (const [type, schema] of Object.entries(DEFINITION_SCHEMAS)) {
    assert.equal(typeof (schema as { description?: unknown }).description, 'string', type)
    assert.deepEqual(undescribed(schema, type), [])
  }
})

/**
 * GET answers an offer from bytes it rendered itself rather than through the response schema
 * (docs/adr/0004): the schema must still describe every answer, or the OpenAPI document and the
 * SDK's types would lie.
 */
test('every answer of Retrieve a specific offer is one the OfferSchema describes', async (t) => {
  const client = await offersClient(t)
  await client.ctx.importOffers(sampleOffers(formatTimestamp(client.ctx.clock.now())))
  const ids = ['contosovirtualmachine', 'contoso-devops-vm', 'contoso-hardened-linux', 'contoso-web-platform']
  for (const id of ids) {
    const response = await client.get(`/${id}`)
    assert.equal(response.statusCode, 200, id)
    const body = response.json()
    assert.deepEqual([...Value.Errors(OfferSchema, body)], [], id)
  }
})
