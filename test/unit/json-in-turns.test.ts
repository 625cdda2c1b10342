import assert from 'node:assert/strict'
import { test } from 'node:test'
import fc from 'fast-check'
import { stringifyInTurns, Turns } from '../../src/json-in-turns.ts'
import { definitionText, serializeDefinition } from '../../src/offers/definition-json.ts'
import type { OfferDefinition } from '../../src/offers/offer.ts'
import { renderOffer } from '../../src/offers/offer-response.ts'

/**
 * A large definition is serialized in pieces across turns of the event loop, and stored and
 * answered from them: byte for byte what JSON.stringify gave, whatever the document.
 */

/** Each string repeated `times`: documents of every shape, large enough to be walked, not stringified whole. */
function inflated(value: unknown, times: number): unknown {
  if (typeof value === 'string') return value.repeat(times)
  if (Array.isArray(value)) return value.map((item) => inflated(item, times))
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([key, member]) => [key, inflated(member, times)]))
  }
  return value
}

const documents = fc
  .tuple(fc.array(fc.jsonValue({ maxDepth: 4 }), { maxLength: 30 }), fc.integer({ min: 1, max: 2_000 }))
  .map(([items, times]) => inflated(items, times))

test('stringifyInTurns: the pieces are exactly JSON.stringify, for any JSON document', async () => {
  await fc.assert(
    fc.asyncProperty(fc.oneof(documents, fc.jsonValue()), async (value) => {
      const pieces = await stringifyInTurns(value, new Turns())
      assert.equal(pieces.join(''), JSON.stringify(value))
    }),
    { numRuns: 150 },
  )
  // What JSON has no text for: left out of objects, null in arrays, nothing at the top.
  const odd = { a: undefined, b: [undefined, () => 1], c: 'x'.repeat(70_000), d: () => 1 }
  assert.equal((await stringifyInTurns(odd, new Turns())).join(''), JSON.stringify(odd))
  assert.deepEqual(await stringifyInTurns(undefined, new Turns()), [])
})

const definitions = fc
  .record(
    {
      displayText: fc.string(),
      offer: fc.oneof(fc.constant(null), fc.dictionary(fc.string(), fc.jsonValue({ maxDepth: 2 }))),
      plans: fc.array(fc.dictionary(fc.string(), fc.jsonValue({ maxDepth: 2 })), { maxLength: 20 }),
      // Keys objects order first (integers), and keys of any name.
      rest: fc.dictionary(fc.oneof(fc.string(), fc.nat(99).map(String)), fc.jsonValue({ maxDepth: 2 })),
      times: fc.integer({ min: 1, max: 500 }),
    },
    { requiredKeys: ['displayText', 'rest', 'times'] },
  )
  .map(({ rest, times, ...named }) => inflated({ ...rest, ...named }, times) as OfferDefinition)

test('a serialized definition is stored and answered byte for byte as JSON.stringify gave it', async () => {
  await fc.assert(
    fc.asyncProperty(
      definitions,
      fc.dictionary(fc.string(), fc.jsonValue({ maxDepth: 2 })),
      async (definition, extras) => {
        const snapshot = {
          offerTypeId: 'microsoft-azure-virtualmachines',
          publisherId: 'contoso',
          status: 'neverPublished' as const,
          id: 'offer',
          version: 1,
          extras,
          definition,
          changedTime: '2026-11-21T10:00:00.0000000Z',
        }
        const whole = renderOffer(snapshot, snapshot.changedTime).body.toString()
        const copy = structuredClone(definition)
        await serializeDefinition(copy, new Turns())
        assert.equal(definitionText(copy), JSON.stringify(definition))
        assert.equal(
          renderOffer({ ...snapshot, definition: copy }, snapshot.changedTime).body.toString(),
          whole,
        )
      },
    ),
    { numRuns: 150 },
  )
})
