import assert from 'node:assert/strict'
import { readFile, stat } from 'node:fs/promises'
import { join } from 'node:path'
import { test } from 'node:test'
import { runCliHere, tempDir } from '../helpers/cli-process.ts'

/** The CLI in this process (the profiles commands touch no store), with its own profiles file. */
function cliWith(path: string) {
  return (...args: string[]) => runCliHere(args, { CLOUDPARTNER_PROFILES: path })
}

test('profiles add, list, use and remove write the file the API commands read', async (t) => {
  const path = join(await tempDir(t), 'config', 'profiles.json')
  const cli = cliWith(path)
  assert.match((await cli('profiles', 'list')).stdout, /^No profiles in /)

  const added = await cli('profiles', 'add', 'local', '--endpoint', 'http://127.0.0.1:6000/')
  assert.deepEqual([added.code, added.stdout], [0, `Added profile 'local' in ${path}; it is the default.\n`])
  const azure = await cli(
    'profiles',
    'add',
    'azure',
    '--endpoint',
    'https://cloudpartner.azure.com',
    '--tenant',
    'contoso.onmicrosoft.com',
    '--client-id',
    'app',
    '--client-secret-env',
    'CPP_SECRET',
  )
  assert.equal(azure.code, 0, azure.stderr)
  // Owner-only, as a file that may hold a secret must be; the directory too.
  assert.equal((await stat(path)).mode & 0o777, 0o600)
  assert.equal((await stat(join(path, '..'))).mode & 0o777, 0o700)
  assert.deepEqual(JSON.parse(await readFile(path, 'utf8')), {
    default: 'local',
    profiles: {
      local: { endpoint: 'http://127.0.0.1:6000' },
      azure: {
        endpoint: 'https://cloudpartner.azure.com',
        tenantId: 'contoso.onmicrosoft.com',
        clientId: 'app',
        clientSecretEnv: 'CPP_SECRET',
      },
    },
  })

  // The default profile is what an API command uses (6000 is a port fetch refuses: no server needed).
  const viaDefault = await cli('offers', 'list', 'contoso', '--verbose')
  assert.match(
    viaDefault.stderr,
    /^Calling http:\/\/127\.0\.0\.1:6000 \(api-version 2017-10-31, profile 'local'\)/,
  )
  const named = await cli('offers', 'list', 'contoso', '--profile', 'azure', '--verbose')
  assert.match(named.stderr, /incomplete client credentials: missing --client-secret/)

  const listed = await cli('profiles', 'list')
  assert.match(listed.stdout, /^\* +local +http:\/\/127\.0\.0\.1:6000\s*$/m)
  assert.match(
    listed.stdout,
    /^ +azure +https:\/\/cloudpartner\.azure\.com +contoso\.onmicrosoft\.com +app +\$CPP_SECRET$/m,
  )

  assert.equal((await cli('profiles', 'use', 'azure')).code, 0)
  assert.equal(JSON.parse((await cli('profiles', 'list', '--json')).stdout).default, 'azure')
  const removed = await cli('profiles', 'remove', 'azure')
  assert.deepEqual(
    [removed.code, removed.stdout],
    [0, "Removed profile 'azure'; there is no default profile now.\n"],
  )
  assert.deepEqual(JSON.parse(await readFile(path, 'utf8')), {
    profiles: { local: { endpoint: 'http://127.0.0.1:6000' } },
  })
})

test('profiles: a name taken, a missing profile, a bad URL or name are usage errors that change nothing', async (t) => {
  const path = join(await tempDir(t), 'profiles.json')
  const cli = cliWith(path)
  assert.equal((await cli('profiles', 'add', 'local', '--endpoint', 'http://127.0.0.1:8080')).code, 0)
  const before = await readFile(path, 'utf8')
  const cases: [string[], RegExp][] = [
    [['profiles', 'add', 'local'], /there is a profile 'local' in .*; --force replaces it/],
    [['profiles', 'add', 'other', '--endpoint', 'localhost:8080'], /--endpoint must be an http\(s\) URL/],
    [['profiles', 'add', 'a b'], /a profile name is 1 to 64 letters/],
    [['profiles', 'add', 'x', '--token-endpoint-version', 'v3'], /must be v1 or v2, not 'v3'/],
    [['profiles', 'use', 'nope'], /no profile 'nope' in .* \(profiles: local\)/],
    [['profiles', 'remove', 'nope'], /no profile 'nope'/],
    [
      ['profiles', 'add', 'x', '--client-secret', 's'],
      /unknown option --client-secret; did you mean '--client-secret-env'\?/,
    ],
  ]
  for (const [args, message] of cases) {
    const result = await cli(...args)
    assert.equal(result.code, 2, args.join(' '))
    assert.match(result.stderr, message)
  }
  assert.equal(await readFile(path, 'utf8'), before)
  const replaced = await cli('profiles', 'add', 'local', '--endpoint', 'http://127.0.0.1:9090', '--force')
  assert.match(replaced.stdout, /^Replaced profile 'local'/)
})
