import assert from 'node:assert/strict'
import { cp, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { test } from 'node:test'
import { fileURLToPath } from 'node:url'
import { DEVELOPMENT_CREDENTIALS } from '../../src/auth/development-credentials.ts'
import { runCli, startServe, tempDir } from '../helpers/cli-process.ts'
import { apiGet, tokenFor } from '../helpers/dev-credentials-http.ts'

const FIXTURES = fileURLToPath(new URL('./fixtures/', import.meta.url))

test('import checks every file first and writes all or nothing', async (t) => {
  const dir = await tempDir(t)
  const dataDir = join(dir, 'data')
  const cli = (...args: string[]) => runCli(t, [...args, '--data-dir', dataDir], { cwd: dir })
  const server = await startServe(t, { cwd: dir, dataDir })
  const token = await tokenFor(server.url, DEVELOPMENT_CREDENTIALS)
  // Every publisher in the store, and those the development principal may see through the API.
  const stored = async () =>
    (JSON.parse((await cli('publishers', 'list', '--json')).stdout) as { id: string }[]).map((p) => p.id)
  const publishers = async () =>
    ((await (await apiGet(server.url, '/api/publishers', token)).json()) as { id: string }[]).map((p) => p.id)
  // A grant needs the publisher to exist: the import creates it first.
  const grant = async (publisher: string) =>
    assert.equal((await cli('principals', 'grant', DEVELOPMENT_CREDENTIALS.clientId, publisher)).code, 0)
  const offers = async (publisherId: string) => {
    const response = await apiGet(server.url, `/api/publishers/${publisherId}/offers`, token)
    return response.status === 200 ? ((await response.json()) as Record<string, unknown>[]) : response.status
  }

  // A directory with one good file among bad ones: nothing at all is written.
  const bad = join(dir, 'bad-offers')
  await cp(join(FIXTURES, 'bad-offers'), bad, { recursive: true })
  await writeFile(join(bad, 'c-truncated.json'), '{ "offerTypeId": "microsoft-azure-virtualmachines",\n')
  const refused = await cli('import', bad)
  assert.equal(refused.code, 1)
  const truncated = /c-truncated\.json: not valid JSON: (.*)\n/.exec(refused.stderr)?.[1]
  assert.ok(truncated, refused.stderr)
  assert.equal(
    refused.stderr,
    [
      'cloudpartner: Nothing imported: 6 problem(s) in the input.',
      `  ${join(bad, 'b-published.json')}: /status: "published" is not one of neverPublished, notStarted, waitingForPublisherReview, running, succeeded, canceled, failed`,
      `  ${join(bad, 'c-truncated.json')}: not valid JSON: ${truncated}`,
      `  ${join(bad, 'd-list.json')}[0]: /id: "saas-" is not a valid offer id (lowercase letters, digits, - and _; at most 50; not ending in -)`,
      `  ${join(bad, 'd-list.json')}[0]: /publisherId: "Fabrikam" is not a valid publisher id (lowercase letters, digits, - and _; at most 50)`,
      `  ${join(bad, 'd-list.json')}[0]: /offerTypeId: "microsoft-azure-saas" is not one of microsoft-azure-virtualmachines, microsoft-azure-corevm, microsoft-azure-applications`,
      `  ${join(bad, 'd-list.json')}[0]: /definition: must have required properties displayText`,
      '',
    ].join('\n'),
  )
  assert.deepEqual(await stored(), ['contoso'])

  const missing = await cli('import', join(dir, 'nowhere.json'))
  assert.equal(missing.code, 1)
  assert.match(missing.stderr, /nowhere\.json: no such file or directory/)

  const dryRun = await cli('import', join(FIXTURES, 'offers'), '--dry-run')
  assert.equal(dryRun.code, 0, dryRun.stderr)
  assert.equal(
    dryRun.stdout,
    'Would import 3 offer(s) from 2 file(s): 3 new, 0 replaced; new publisher(s): fabrikam, adatum.\n',
  )
  assert.deepEqual(await stored(), ['contoso'])

  const single = await cli('import', join(FIXTURES, 'offers', 'fabrikam-vm.json'))
  assert.equal(single.code, 0, single.stderr)
  assert.equal(
    single.stdout,
    'Imported 1 offer(s) from 1 file(s): 1 new, 0 replaced; new publisher(s): fabrikam.\n',
  )
  await grant('fabrikam')
  assert.deepEqual(await offers('fabrikam'), [
    {
      offerTypeId: 'microsoft-azure-virtualmachines',
      publisherId: 'fabrikam',
      status: 'succeeded',
      id: 'fabrikam-linux',
      version: 3,
      definition: { displayText: 'Fabrikam Linux' },
      changedTime: '2019-01-01T00:00:00.0000000Z',
    },
  ])

  const directory = await cli('import', join(FIXTURES, 'offers'), '--json')
  assert.equal(directory.code, 0, directory.stderr)
  assert.deepEqual(JSON.parse(directory.stdout), {
    dryRun: false,
    files: 2,
    offers: 3,
    replaced: 1,
    publishersCreated: ['adatum'],
  })
  await grant('adatum')
  assert.deepEqual(await publishers(), ['adatum', 'contoso', 'fabrikam'])
  assert.deepEqual(await offers('adatum'), [
    {
      offerTypeId: 'microsoft-azure-applications',
      publisherId: 'adatum',
      status: 'neverPublished',
      id: 'adatum-portal',
      version: 1,
      definition: { displayText: 'Adatum Portal' },
      changedTime: '2020-02-02T02:02:02.2222222Z',
    },
  ])

  // The same offer twice in one import is a conflict: reported, and nothing written.
  const renamed = join(dir, 'renamed.json')
  await writeFile(
    renamed,
    JSON.stringify({
      offerTypeId: 'microsoft-azure-virtualmachines',
      publisherId: 'fabrikam',
      id: 'fabrikam-linux',
      definition: { displayText: 'Fabrikam Linux, renamed', offer: {}, plans: [] },
    }),
  )
  const conflict = await cli('import', join(FIXTURES, 'offers', 'fabrikam-vm.json'), renamed)
  assert.equal(conflict.code, 1)
  assert.match(
    conflict.stderr,
    /renamed\.json: offer fabrikam\/fabrikam-linux is also defined by .*fabrikam-vm\.json\n/,
  )

  const replaced = await cli('import', renamed)
  assert.equal(replaced.stdout, 'Imported 1 offer(s) from 1 file(s): 0 new, 1 replaced.\n')
  const fabrikam = (await offers('fabrikam')) as {
    id: string
    definition: unknown
    status: string
    version: number
  }[]
  assert.deepEqual(
    fabrikam.map(({ id, definition, status, version }) => ({ id, definition, status, version })),
    [
      { id: 'fabrikam-core', definition: { displayText: 'Fabrikam Core' }, status: 'succeeded', version: 7 },
      {
        id: 'fabrikam-linux',
        definition: { displayText: 'Fabrikam Linux, renamed' },
        status: 'neverPublished',
        version: 1,
      },
    ],
  )
  assert.deepEqual(await server.stop(), { code: 0, signal: null })
})
