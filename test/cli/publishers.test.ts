import assert from 'node:assert/strict'
import { join } from 'node:path'
import { test } from 'node:test'
import { runCli, tempDir } from '../helpers/cli-process.ts'

test('publishers create and list, in human form and as the API shows them', async (t) => {
  const dir = await tempDir(t)
  const cli = (...args: string[]) => runCli(t, [...args, '--data-dir', join(dir, 'data')], { cwd: dir })

  const empty = await cli('publishers', 'list')
  assert.equal(empty.code, 0, empty.stderr)
  assert.match(empty.stderr, /Note: no store in .* yet; creating a new one/)
  assert.match(empty.stdout, /^No publishers/)

  const created = await cli(
    'publishers',
    'create',
    'fabrikam',
    '--display-name',
    'Fabrikam, Inc.',
    '--seller-id',
    '42',
  )
  assert.equal(created.code, 0, created.stderr)
  assert.equal(created.stdout, "Created publisher 'fabrikam' (Fabrikam, Inc.).\n")
  assert.equal(created.stderr, '')
  const json = await cli('publishers', 'create', 'adatum', '--json')
  assert.deepEqual(JSON.parse(json.stdout), {
    id: 'adatum',
    version: 1,
    definition: {
      displayText: 'adatum',
      offerTypeCategories: [
        'microsoft-azure-virtualmachines',
        'microsoft-azure-corevm',
        'microsoft-azure-applications',
      ],
    },
  })

  const listed = await cli('publishers', 'list')
  assert.equal(
    listed.stdout,
    'ID        DISPLAY NAME    SELLER ID\nadatum    adatum\nfabrikam  Fabrikam, Inc.  42\n',
  )
  const listedJson = JSON.parse((await cli('publishers', 'list', '--json')).stdout) as { id: string }[]
  assert.deepEqual(
    listedJson.map((publisher) => publisher.id),
    ['adatum', 'fabrikam'],
  )

  const duplicate = await cli('publishers', 'create', 'fabrikam')
  assert.equal(duplicate.code, 1)
  assert.equal(duplicate.stderr, "cloudpartner: Publisher 'fabrikam' already exists.\n")
})

test('publishers create rejects a bad id or seller id with exit code 2', async (t) => {
  const dir = await tempDir(t)
  const cli = (...args: string[]) => runCli(t, [...args, '--data-dir', join(dir, 'data')], { cwd: dir })
  const badId = await cli('publishers', 'create', 'Fabrikam!')
  assert.equal(badId.code, 2)
  assert.match(badId.stderr, /^cloudpartner: publishers create: 'Fabrikam!' is not a valid publisher id/)
  const badSeller = await cli('publishers', 'create', 'fabrikam', '--seller-id', '4x')
  assert.equal(badSeller.code, 2)
  assert.match(badSeller.stderr, /--seller-id must be a positive integer, not '4x'/)
  const missing = await cli('publishers', 'create')
  assert.equal(missing.code, 2)
  assert.equal(missing.stderr, 'cloudpartner: publishers create: missing the publisher id\n')
})
