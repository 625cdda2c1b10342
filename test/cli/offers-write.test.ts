import assert from 'node:assert/strict'
import { writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { test } from 'node:test'
import { vmDocument } from '../api/fixtures/offer-documents.ts'
import { runCli, tempDir } from '../helpers/cli-process.ts'
import { runCliWithInput, startOffersServer } from './offers-helpers.ts'

type Document = { definition: { offer: Record<string, unknown>; plans: Record<string, unknown>[] } }

test('offers validate checks a document without a server and names every problem by its field', async (t) => {
  const dir = await tempDir(t)
  const cli = (...args: string[]) => runCli(t, args, { cwd: dir })
  const good = join(dir, 'good.json')
  await writeFile(good, JSON.stringify(vmDocument('good')))
  const valid = await cli('offers', 'validate', good)
  assert.deepEqual([valid.code, valid.stdout, valid.stderr], [0, `✔ ${good}: valid, and publishable.\n`, ''])

  const broken = vmDocument('broken') as Document
  broken.definition.offer['microsoft-azure-marketplace.privacyURL'] = 'not a url'
  delete broken.definition.offer['microsoft-azure-marketplace.title']
  ;(broken.definition.plans[0] as Record<string, unknown>)[
    'microsoft-azure-virtualmachines.operatingSystemFamily'
  ] = 'Plan9'
  const bad = join(dir, 'bad.json')
  await writeFile(bad, JSON.stringify(broken))
  const invalid = await cli('offers', 'validate', bad)
  assert.equal(invalid.code, 1)
  assert.equal(
    invalid.stdout,
    [
      `✖ ${bad}: 2 problem(s)`,
      "  definition.offer['microsoft-azure-marketplace.privacyURL']: must be an http(s) URL or empty (refused by PUT)",
      "  definition.plans[0]['microsoft-azure-virtualmachines.operatingSystemFamily']: must be one of Windows, Linux (refused by PUT)",
      '',
    ].join('\n'),
  )
  const asJson = JSON.parse((await cli('offers', 'validate', bad, '--json')).stdout) as {
    valid: boolean
    problems: { kind: string; field: string; path: unknown[] }[]
  }
  assert.equal(asJson.valid, false)
  assert.deepEqual(asJson.problems[1]?.path, [
    'definition',
    'plans',
    0,
    'microsoft-azure-virtualmachines.operatingSystemFamily',
  ])

  // Malformed first; once well-formed, what publishing would refuse or block on.
  const incomplete = vmDocument('incomplete') as Document
  delete incomplete.definition.offer['microsoft-azure-marketplace.title']
  delete incomplete.definition.plans[0]?.['microsoft-azure-virtualmachines.vmImages']
  const draft = join(dir, 'draft.json')
  await writeFile(draft, JSON.stringify(incomplete))
  const unpublishable = await cli('offers', 'validate', draft)
  assert.equal(unpublishable.code, 1)
  assert.equal(
    unpublishable.stdout,
    [
      `✖ ${draft}: 2 problem(s)`,
      "  definition.offer['microsoft-azure-marketplace.title']: is required to publish (refused by publish)",
      "  definition.plans[0]['microsoft-azure-virtualmachines.vmImages']: holds no virtual machine image (blocks certification)",
      '',
    ].join('\n'),
  )
  const asDraft = await cli('offers', 'validate', draft, '--draft-only')
  assert.deepEqual([asDraft.code, asDraft.stdout], [0, `✔ ${draft}: valid as a draft.\n`])

  const missing = await cli('offers', 'validate', join(dir, 'missing.json'))
  assert.deepEqual(
    [missing.code, missing.stderr],
    [1, `cloudpartner: cannot read ${join(dir, 'missing.json')}: no such file\n`],
  )
  const notJson = join(dir, 'not.json')
  await writeFile(notJson, '{ nope')
  const parse = await cli('offers', 'validate', notJson)
  assert.equal(parse.code, 1)
  assert.match(parse.stderr, /^cloudpartner: .*not\.json is not JSON: /)
  const noFile = await cli('offers', 'validate')
  assert.deepEqual(
    [noFile.code, noFile.stderr],
    [2, 'cloudpartner: offers validate: missing the offer file\n'],
  )
})

test('offers put: create, the 409 and its hint, If-Match, a stale ETag, --force, stdin, an invalid offer', async (t) => {
  const { cli, dir, server } = await startOffersServer(t)
  const file = join(dir, 'offer.json')
  await writeFile(file, JSON.stringify(vmDocument('cli-offer')))

  const created = await cli(['offers', 'put', 'contoso', 'cli-offer', file])
  assert.equal(created.code, 0, created.stderr)
  assert.match(
    created.stdout,
    /^Saved contoso\/cli-offer: draft version 1, neverPublished\.\nETag: W\/"datetime'[^']+'"\n$/,
  )
  const firstEtag = /ETag: (.+)\n/.exec(created.stdout)?.[1] as string

  const exists = await cli(['offers', 'put', 'contoso', 'cli-offer', file])
  assert.equal(exists.code, 1)
  assert.match(exists.stderr, /^cloudpartner: InvalidResourceId: Offer ID already exists\./)
  assert.match(
    exists.stderr,
    /\nhint: the offer exists: to replace it, pass --if-match <etag> .* or --force /,
  )

  const guarded = await cli(['offers', 'put', 'contoso', 'cli-offer', file, '--if-match', firstEtag])
  assert.equal(guarded.code, 0, guarded.stderr)
  const stale = await cli(['offers', 'put', 'contoso', 'cli-offer', file, '--if-match', firstEtag])
  assert.equal(stale.code, 1)
  assert.match(stale.stderr, /^cloudpartner: PreconditionFailed: /)
  assert.match(stale.stderr, /\nhint: the offer changed since that ETag was read/)
  const both = await cli(['offers', 'put', 'contoso', 'cli-offer', file, '--if-match', firstEtag, '--force'])
  assert.equal(both.code, 2)

  // GET, edit, PUT back: through stdin.
  const shown = JSON.parse(
    (await cli(['offers', 'show', 'contoso', 'cli-offer', '--json'])).stdout,
  ) as Document
  shown.definition.offer['microsoft-azure-marketplace.summary'] = 'Edited through stdin'
  const piped = runCliWithInput(
    ['offers', 'put', 'contoso', 'cli-offer', '-', '--force', '--json'],
    JSON.stringify(shown),
    {
      cwd: dir,
      env: { CLOUDPARTNER_ENDPOINT: server.url },
    },
  )
  assert.equal(piped.code, 0, piped.stderr)
  assert.equal(
    (JSON.parse(piped.stdout) as Document).definition.offer['microsoft-azure-marketplace.summary'],
    'Edited through stdin',
  )

  const broken = vmDocument('cli-broken') as Document
  broken.definition.offer['microsoft-azure-marketplace.privacyURL'] = 'not a url'
  await writeFile(file, JSON.stringify(broken))
  const invalid = await cli(['offers', 'put', 'contoso', 'cli-broken', file])
  assert.equal(invalid.code, 1)
  assert.match(
    invalid.stderr,
    /^cloudpartner: BadRequest: The offer is invalid: definition\.offer\['microsoft-azure-marketplace\.privacyURL'\]: must be an http\(s\) URL or empty\.\n/,
  )
  assert.match(invalid.stderr, /\nhint: `cloudpartner offers validate <file>` lists each problem/)
})

test('offers diff: what changed between the live version and the draft, for people and for scripts', async (t) => {
  const { cli, dir } = await startOffersServer(t)
  const file = join(dir, 'offer.json')
  const offer = vmDocument('diffed') as Document
  await writeFile(file, JSON.stringify(offer))
  assert.equal((await cli(['offers', 'put', 'contoso', 'diffed', file])).code, 0)
  const published = await cli(['offers', 'publish', 'contoso', 'diffed', '--wait', '--poll-interval', '0.1'])
  assert.equal(published.code, 0, published.stderr)
  assert.equal(
    (await cli(['offers', 'golive', 'contoso', 'diffed', '--wait', '--poll-interval', '0.1'])).code,
    0,
  )

  offer.definition.offer['microsoft-azure-marketplace.summary'] = 'Now faster'
  delete offer.definition.offer['microsoft-azure-marketplace.videos']
  offer.definition.plans.push({ ...offer.definition.plans[0], planId: 'gold' })
  await writeFile(file, JSON.stringify(offer))
  assert.equal((await cli(['offers', 'put', 'contoso', 'diffed', file, '--force'])).code, 0)

  const diff = await cli(['offers', 'diff', 'contoso', 'diffed', 'production', 'draft'])
  assert.equal(diff.code, 0, diff.stderr)
  assert.equal(
    diff.stdout,
    [
      'contoso/diffed: production (version 1) → draft (version 2)',
      "~ $.definition.offer['microsoft-azure-marketplace.summary']",
      '    - "Contoso App makes dev ops a breeze"',
      '    + "Now faster"',
      "- $.definition.offer['microsoft-azure-marketplace.videos']",
      '    - []',
      "+ $.definition.plans[?(@.planId=='gold')]",
      `    + ${JSON.stringify(offer.definition.plans[1]).slice(0, 99)}…`,
      '3 change(s): 1 added, 1 removed, 1 changed.',
      '',
    ].join('\n'),
  )
  const json = JSON.parse((await cli(['offers', 'diff', 'contoso', 'diffed', '1', 'draft', '--json'])).stdout)
  assert.deepEqual(json.from, { ref: '1', version: 1 })
  assert.deepEqual(json.changes[0], {
    kind: 'changed',
    path: "$.definition.offer['microsoft-azure-marketplace.summary']",
    before: 'Contoso App makes dev ops a breeze',
    after: 'Now faster',
  })
  const same = await cli(['offers', 'diff', 'contoso', 'diffed', 'preview', 'production'])
  assert.equal(same.stdout, 'contoso/diffed: preview (version 1) → production (version 1)\nNo differences.\n')
  const bad = await cli(['offers', 'diff', 'contoso', 'diffed', 'staging', 'draft'])
  assert.equal(bad.code, 2)
  assert.match(bad.stderr, /'staging' is not draft, preview, production or a version number/)
})
