import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { test } from 'node:test'
import {
  currentStep,
  diffOffers,
  type OperationDetail,
  outcomeOf,
  parseOperationLocation,
  validateOffer,
} from '../../src/sdk/index.ts'
import { coreVmDocument, vmDocument } from '../api/fixtures/offer-documents.ts'
import { importClosure, ROOT } from '../helpers/import-graph.ts'

test('the SDK imports the shared schemas and pure rules only: no server, no store, no Fastify', () => {
  const { files, packages } = importClosure('src/sdk/index.ts')
  const allowed = [
    /^src\/sdk\//,
    /\.schema\.ts$/,
    /^src\/offer-types\/(offer-type-rules|offer-types|problems|publishability|schema-kit|secret-fields)\.ts$/,
    /^src\/offers\/(offer|offer-input)\.ts$/,
    /^src\/operations\/operation\.ts$/,
    /^src\/errors\/(api-error|errors)\.ts$/,
    /^src\/http\/api-version\.ts$/,
    /^src\/auth\/development-credentials\.ts$/,
    /^src\/version\.ts$/,
  ]
  const outside = files.filter((file) => !allowed.some((pattern) => pattern.test(file)))
  assert.deepEqual(outside, [])
  const external = [...packages].filter((name) => !name.startsWith('node:') && !name.startsWith('typebox'))
  assert.deepEqual(external, [])
})

test("the package exports the SDK as 'cloudpartner/sdk'", async () => {
  const sdk = await import('cloudpartner/sdk')
  assert.equal(typeof sdk.CloudPartnerClient, 'function')
  assert.equal(typeof sdk.validateOffer, 'function')
  const manifest = JSON.parse(readFileSync(resolve(ROOT, 'package.json'), 'utf8')) as {
    exports: Record<string, Record<string, string>>
  }
  // The sources in this repository (the tests run with --conditions=cloudpartner-source), the
  // compiled JavaScript and its declarations once installed (test/distribution proves those).
  assert.deepEqual(manifest.exports['./sdk'], {
    'cloudpartner-source': './src/sdk/index.ts',
    types: './dist/sdk/index.d.ts',
    default: './dist/sdk/index.js',
  })
})

test('diffOffers: keys added, removed and changed with JSON paths; plans matched by planId', () => {
  const before = vmDocument('diffed') as {
    definition: { offer: Record<string, unknown>; plans: Record<string, unknown>[] }
  }
  const after = structuredClone(before)
  after.definition.offer['microsoft-azure-marketplace.title'] = 'New title'
  delete after.definition.offer['microsoft-azure-marketplace.videos']
  after.definition.offer['x-custom.key'] = 1
  const [plan] = after.definition.plans
  after.definition.plans.unshift({ ...plan, planId: 'gold' })
  ;(after.definition.plans[1] as Record<string, unknown>)['microsoft-azure-virtualmachines.skuTitle'] =
    'Renamed'
  assert.deepEqual(
    diffOffers(
      { ...before, version: 1, status: 'succeeded' },
      { ...after, version: 2, status: 'neverPublished' },
    ).map((change) => [change.kind, change.jsonPath]),
    [
      ['changed', "$.definition.offer['microsoft-azure-marketplace.title']"],
      ['removed', "$.definition.offer['microsoft-azure-marketplace.videos']"],
      ['added', "$.definition.offer['x-custom.key']"],
      [
        'changed',
        "$.definition.plans[?(@.planId=='contososkuidentifier')]['microsoft-azure-virtualmachines.skuTitle']",
      ],
      ['added', "$.definition.plans[?(@.planId=='gold')]"],
    ],
  )
  // With a limit: the first changes of the complete diff, in its order.
  assert.deepEqual(
    diffOffers(before, after, { limit: 2 }).map((change) => change.jsonPath),
    diffOffers(before, after)
      .slice(0, 2)
      .map((change) => change.jsonPath),
  )
  const [changed] = diffOffers(before, after)
  assert.deepEqual([changed?.before, changed?.after], ['Contoso App', 'New title'])
  assert.deepEqual(diffOffers(before, structuredClone(before)), [])
  // Lists of values compare whole; lists of other objects by position.
  assert.deepEqual(
    diffOffers(
      { regions: ['DZ', 'AR'], links: [{ a: 1 }] },
      { regions: ['AZ'], links: [{ a: 2 }, { a: 3 }] },
    ).map((change) => [change.kind, change.jsonPath]),
    [
      ['changed', '$.regions'],
      ['changed', '$.links[0].a'],
      ['added', '$.links[1]'],
    ],
  )
})

test('validateOffer: not an object, an unknown type, an update of a stored offer, a draft, the id rule', () => {
  assert.deepEqual(validateOffer([]).problems, [
    {
      kind: 'invalid',
      path: [],
      field: '(the document)',
      message: 'must be an offer: a JSON object with a definition',
    },
  ])
  assert.deepEqual(
    validateOffer({ offerTypeId: 'microsoft-azure-bogus', definition: { displayText: 'x' } }).problems.map(
      (problem) => problem.field,
    ),
    ['offerTypeId'],
  )
  const update = { definition: coreVmDocument().definition }
  assert.equal(validateOffer(update).valid, false)
  assert.equal(validateOffer(update, { offerTypeId: 'microsoft-azure-corevm' }).valid, true)
  const draft = { offerTypeId: 'microsoft-azure-virtualmachines', definition: { displayText: 'Draft' } }
  assert.equal(validateOffer(draft, { draftOnly: true }).valid, true)
  const publishable = validateOffer(draft)
  assert.equal(publishable.valid, false)
  assert.ok(publishable.problems.every((problem) => problem.kind === 'unpublishable'))
  assert.ok(publishable.problems.some((problem) => problem.field === 'definition.plans'))
  assert.deepEqual(
    validateOffer({ ...vmDocument(), id: 'Not_Valid!' }).problems.map((problem) => problem.field),
    ['id'],
  )
})

test('operation progress: the success words, terminal states and the current step', () => {
  assert.deepEqual(
    ['complete', 'completed', 'succeeded', 'failed', 'canceled', 'running', 'notStarted'].map(outcomeOf),
    ['succeeded', 'succeeded', 'succeeded', 'failed', 'canceled', 'running', 'running'],
  )
  const step = (id: string, status: string, progressPercentage = 0) => ({
    id,
    stepName: id.toUpperCase(),
    description: '',
    status,
    messages: [],
    progressPercentage,
  })
  const detail = (statuses: string[]) =>
    ({
      steps: statuses.map((status, index) => step(`s${index}`, status, status === 'complete' ? 100 : 40)),
    }) as Pick<OperationDetail, 'steps'>
  assert.deepEqual(currentStep(detail(['complete', 'inProgress', 'notStarted'])), {
    index: 1,
    count: 3,
    id: 's1',
    name: 'S1',
    status: 'inProgress',
    progressPercentage: 40,
    estimatedTimeFrame: undefined,
  })
  assert.equal(currentStep(detail(['complete', 'notStarted', 'notStarted']))?.index, 1)
  assert.equal(currentStep(detail(['complete', 'canceled', 'canceled']))?.index, 1)
  assert.equal(currentStep(detail(['complete', 'complete']))?.index, 1)
  assert.equal(currentStep(detail([])), undefined)
})

test('operation URLs name their publisher and offer, in both forms', () => {
  assert.deepEqual(
    parseOperationLocation('/api/operations/contoso$my-offer$2$preview?api-version=2017-10-31'),
    {
      publisherId: 'contoso',
      offerId: 'my-offer',
    },
  )
  assert.deepEqual(
    parseOperationLocation(
      'https://cloudpartner.azure.com/api/operations/contoso%24my-offer%242%24production',
    ),
    { publisherId: 'contoso', offerId: 'my-offer' },
  )
  assert.deepEqual(
    parseOperationLocation(
      '/api/publishers/contoso/offers/my-offer/operations/56615b67-2185-49fe-80d2-c4ddf77bb2e8/',
    ),
    { publisherId: 'contoso', offerId: 'my-offer' },
  )
  assert.throws(() => parseOperationLocation('/api/publishers/contoso/offers/my-offer'), TypeError)
})
