import assert from 'node:assert/strict'
import { chmod, writeFile } from 'node:fs/promises'
import { createServer } from 'node:net'
import { join } from 'node:path'
import { test } from 'node:test'
import { DEVELOPMENT_CREDENTIALS } from '../../src/auth/development-credentials.ts'
import type { CliResult } from '../helpers/cli-process.ts'
import { startOffersServer } from './offers-helpers.ts'

/** Errors are one line (and a hint), never a stack trace. */
function assertOneLineError(result: CliResult, code: number, pattern: RegExp): void {
  assert.equal(result.code, code, `exit code; stderr: ${result.stderr}`)
  assert.equal(result.stdout, '')
  const lines = result.stderr.trimEnd().split('\n')
  assert.match(lines[0] ?? '', pattern)
  assert.ok(lines.length <= 2, result.stderr)
  if (lines[1] !== undefined) assert.match(lines[1], /^hint: /)
  assert.doesNotMatch(result.stderr, /\n\s+at /)
}

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const probe = createServer().listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number }
      probe.close(() => resolve(port))
    })
  })
}

test('offers list, show, get-version, get-slot, status and operations, for people and for scripts', async (t) => {
  const { cli } = await startOffersServer(t)

  const list = await cli(['offers', 'list', 'contoso'])
  assert.equal(list.code, 0, list.stderr)
  assert.equal(list.stderr, '')
  assert.deepEqual(list.stdout.split('\n').slice(0, 2), [
    'ID                      TYPE                             STATUS          VERSION  NAME',
    'contoso-devops-vm       microsoft-azure-virtualmachines  succeeded       5        Contoso DevOps Virtual Machine',
  ])
  // Not a terminal: no colour.
  assert.ok(!list.stdout.includes('\u001b'))
  const json = JSON.parse((await cli(['offers', 'list', 'contoso', '--json'])).stdout) as { id: string }[]
  assert.equal(json.length, 4)
  const cores = await cli(['offers', 'list', 'contoso', '--type', 'microsoft-azure-corevm', '--json'])
  assert.deepEqual(
    (JSON.parse(cores.stdout) as { id: string }[]).map((offer) => offer.id),
    ['contoso-hardened-linux'],
  )
  const badStatus = await cli(['offers', 'list', 'contoso', '--status', 'published'])
  assert.equal(badStatus.code, 2)
  assert.match(badStatus.stderr, /--status must be one of neverPublished, /)

  const show = await cli(['offers', 'show', 'contoso', 'contosovirtualmachine'])
  assert.equal(show.code, 0, show.stderr)
  assert.match(show.stdout, /^contoso\/contosovirtualmachine\n {2}Name: +Contoso Virtual Machine Offer\n/)
  assert.match(show.stdout, /\n {2}ETag: +W\/"datetime'[^']+'"\n/)
  assert.match(show.stdout, /\n {4}contososkuidentifier +Contoso App\n/)
  const etag = await cli(['offers', 'show', 'contoso', 'contosovirtualmachine', '--etag'])
  assert.match(etag.stdout, /^W\/"datetime'[^']+'"\n$/)
  const shown = JSON.parse(
    (await cli(['offers', 'show', 'contoso', 'contosovirtualmachine', '--json'])).stdout,
  )
  assert.equal(shown.id, 'contosovirtualmachine')

  const version = await cli(['offers', 'get-version', 'contoso', 'contoso-devops-vm', '5', '--json'])
  assert.equal(JSON.parse(version.stdout).version, 5)
  const slot = await cli(['offers', 'get-slot', 'contoso', 'contoso-devops-vm', 'Draft', '--json'])
  assert.equal(JSON.parse(slot.stdout).id, 'contoso-devops-vm')
  const badSlot = await cli(['offers', 'get-slot', 'contoso', 'contoso-devops-vm', 'staging'])
  assert.equal(badSlot.code, 2)
  const badVersion = await cli(['offers', 'get-version', 'contoso', 'contoso-devops-vm', 'latest'])
  assert.equal(badVersion.code, 2)
  const neverPreviewed = await cli(['offers', 'get-slot', 'contoso', 'contosovirtualmachine', 'preview'])
  assertOneLineError(
    neverPreviewed,
    1,
    /^cloudpartner: NotFound: Offer 'contosovirtualmachine' of publisher 'contoso' has never reached the preview slot\.$/,
  )
  assert.match(neverPreviewed.stderr, /hint: publish it first/)
  const missing = await cli(['offers', 'show', 'contoso', 'nope'])
  assertOneLineError(
    missing,
    1,
    /^cloudpartner: NotFound: Offer 'nope' was not found in publisher 'contoso'\.$/,
  )
  assert.match(missing.stderr, /hint: check the ids: `cloudpartner offers list contoso`/)

  const status = await cli(['offers', 'status', 'contoso', 'contosovirtualmachine'])
  assert.equal(
    status.stdout,
    'contoso/contosovirtualmachine: neverPublished\n  No publishing operation yet.\n',
  )
  const statusJson = JSON.parse(
    (await cli(['offers', 'status', 'contoso', 'contosovirtualmachine', '--json'])).stdout,
  )
  assert.deepEqual(statusJson, {
    status: 'neverPublished',
    messages: [],
    steps: [],
    previewLinks: [],
    liveLinks: [],
  })
  const operations = await cli(['offers', 'operations', 'contoso', 'contosovirtualmachine'])
  assert.equal(operations.stdout, 'No operations for contoso/contosovirtualmachine.\n')
})

test('errors are one line with the code and a hint: api-version, credentials, access, a server that is down', async (t) => {
  const { cli, dir, dataDir, server } = await startOffersServer(t)

  const version = await cli(['offers', 'list', 'contoso', '--api-version', '2099-01-01'])
  assertOneLineError(
    version,
    1,
    /^cloudpartner: InvalidAPIVersion: Invalid api version\. Allowed values are \[/,
  )
  assert.match(version.stderr, /hint: the CPP API's api-version is 2017-10-31/)

  const credentials = {
    CLOUDPARTNER_TENANT_ID: DEVELOPMENT_CREDENTIALS.tenantId,
    CLOUDPARTNER_CLIENT_ID: DEVELOPMENT_CREDENTIALS.clientId,
  }
  const wrongSecret = await cli(['offers', 'list', 'contoso'], {
    ...credentials,
    CLOUDPARTNER_CLIENT_SECRET: 'not-the-secret',
  })
  assertOneLineError(
    wrongSecret,
    4,
    /^cloudpartner: no token from http:\/\/127\.0\.0\.1:\d+\/11111111-1111-1111-1111-111111111111\/oauth2\/v2\.0\/token: invalid_client: AADSTS7000215: /,
  )
  assert.match(wrongSecret.stderr, /hint: the client secret is wrong/)
  assert.doesNotMatch(wrongSecret.stderr, /not-the-secret/)

  const incomplete = await cli(['offers', 'list', 'contoso'], credentials)
  assert.equal(incomplete.code, 2)
  assert.match(
    incomplete.stderr,
    /incomplete client credentials: missing --client-secret \(CLOUDPARTNER_CLIENT_SECRET\)/,
  )

  const expired = await cli(['offers', 'list', 'contoso'], { CLOUDPARTNER_TOKEN: 'eyJ.expired.token' })
  assertOneLineError(expired, 4, /^cloudpartner: Unauthorized: /)
  assert.match(expired.stderr, /hint: the token from CLOUDPARTNER_TOKEN was refused: it may have expired/)

  // A principal without a grant on contoso.
  const created = await cli([
    'principals',
    'create',
    '--display-name',
    'outsider',
    '--json',
    '--data-dir',
    dataDir,
  ])
  const outsider = JSON.parse(created.stdout) as { tenantId: string; clientId: string; clientSecret: string }
  const forbidden = await cli(
    ['offers', 'list', 'contoso', '--tenant', outsider.tenantId, '--client-id', outsider.clientId],
    { CLOUDPARTNER_CLIENT_SECRET: outsider.clientSecret },
  )
  assertOneLineError(
    forbidden,
    4,
    /^cloudpartner: Forbidden: The client doesn't have access to the specified namespace 'contoso'\.$/,
  )
  assert.match(forbidden.stderr, new RegExp(`cloudpartner principals grant ${outsider.clientId} contoso`))

  // A token of our own, ready made.
  const token = (await cli(['token', '--data-dir', dataDir])).stdout.trim()
  const withToken = await cli(['offers', 'list', 'contoso', '--token', token, '--json'])
  assert.equal(withToken.code, 0, withToken.stderr)

  const down = await cli(['offers', 'list', 'contoso', '--endpoint', `http://127.0.0.1:${await freePort()}`])
  assertOneLineError(
    down,
    5,
    /^cloudpartner: cannot reach the service: POST http:\/\/127\.0\.0\.1:\d+\/.* failed after 4 attempt\(s\): ECONNREFUSED/,
  )
  assert.match(down.stderr, /hint: is the server running\? Start it with `npm start`/)

  // A port fetch never connects to: the endpoint is wrong, at once (no retries), exit 2.
  const badPort = await cli(['offers', 'list', 'contoso', '--endpoint', 'http://127.0.0.1:6000', '--verbose'])
  assert.equal(badPort.code, 2, badPort.stderr)
  assert.doesNotMatch(badPort.stderr, /Retrying/)
  assert.match(
    badPort.stderr,
    /\ncloudpartner: http:\/\/127\.0\.0\.1:6000\/\S+ cannot be fetched: bad port\n/,
  )
  assert.match(badPort.stderr, /\nhint: port 6000 is one that fetch refuses to connect to/)

  const remote = await cli(['offers', 'list', 'contoso', '--endpoint', 'https://cloudpartner.azure.com'])
  assert.equal(remote.code, 2)
  assert.match(
    remote.stderr,
    /^cloudpartner: no credentials for https:\/\/cloudpartner\.azure\.com: give --tenant/,
  )

  const badUrl = await cli(['offers', 'list', 'contoso', '--endpoint', 'localhost:8080'])
  assert.equal(badUrl.code, 2)
  assert.match(badUrl.stderr, /--endpoint must be an http\(s\) URL/)
  void dir
  void server
})

test('--verbose says where calls go and as whom, never the secret', async (t) => {
  const { cli } = await startOffersServer(t)
  const verbose = await cli(['offers', 'list', 'contoso', '--verbose'])
  assert.equal(verbose.code, 0, verbose.stderr)
  assert.match(
    verbose.stderr,
    /^Calling http:\/\/127\.0\.0\.1:\d+ \(api-version 2017-10-31\) as client 22222222-2222-2222-2222-222222222222 of tenant 11111111-1111-1111-1111-111111111111, tokens from http:\/\/127\.0\.0\.1:\d+ \(secret: the development credentials\)\.\n$/,
  )
  const withSecret = await cli(['offers', 'list', 'contoso', '--verbose'], {
    CLOUDPARTNER_TENANT_ID: DEVELOPMENT_CREDENTIALS.tenantId,
    CLOUDPARTNER_CLIENT_ID: DEVELOPMENT_CREDENTIALS.clientId,
    CLOUDPARTNER_CLIENT_SECRET: DEVELOPMENT_CREDENTIALS.clientSecret,
  })
  assert.equal(withSecret.code, 0, withSecret.stderr)
  assert.match(withSecret.stderr, /\(secret: CLOUDPARTNER_CLIENT_SECRET\)/)
  assert.doesNotMatch(withSecret.stderr + withSecret.stdout, new RegExp(DEVELOPMENT_CREDENTIALS.clientSecret))
})

test('profiles: named, default, a secret from the environment, a readable secret warned about', async (t) => {
  const { cli, dir, server } = await startOffersServer(t)
  const profiles = join(dir, 'profiles.json')
  await writeFile(
    profiles,
    JSON.stringify({
      default: 'local',
      profiles: {
        local: { endpoint: server.url },
        ci: {
          endpoint: server.url,
          tenantId: DEVELOPMENT_CREDENTIALS.tenantId,
          clientId: DEVELOPMENT_CREDENTIALS.clientId,
          clientSecretEnv: 'MY_CPP_SECRET',
        },
        inline: {
          endpoint: server.url,
          tenantId: DEVELOPMENT_CREDENTIALS.tenantId,
          clientId: DEVELOPMENT_CREDENTIALS.clientId,
          clientSecret: DEVELOPMENT_CREDENTIALS.clientSecret,
        },
        broken: { endpoint: 'http://127.0.0.1:1', apiVersion: '2099-01-01' },
      },
    }),
  )
  await chmod(profiles, 0o644)
  // The default profile, with no CLOUDPARTNER_ENDPOINT at all.
  const env = { CLOUDPARTNER_ENDPOINT: '', CLOUDPARTNER_PROFILES: profiles }
  const byDefault = await cli(['offers', 'list', 'contoso', '--json'], env)
  assert.equal(byDefault.code, 0, byDefault.stderr)

  const ci = await cli(['offers', 'list', 'contoso', '--profile', 'ci', '--verbose'], {
    ...env,
    MY_CPP_SECRET: DEVELOPMENT_CREDENTIALS.clientSecret,
  })
  assert.equal(ci.code, 0, ci.stderr)
  assert.match(ci.stderr, /profile 'ci'\) as client 22222222-.* \(secret: MY_CPP_SECRET\)/)

  const inline = await cli(['offers', 'list', 'contoso', '--json'], {
    ...env,
    CLOUDPARTNER_PROFILE: 'inline',
  })
  assert.equal(inline.code, 0, inline.stderr)
  assert.match(
    inline.stderr,
    /^Note: .*profiles\.json holds a client secret and others may read it: chmod 600 it/,
  )
  await chmod(profiles, 0o600)
  assert.equal(
    (await cli(['offers', 'list', 'contoso', '--json'], { ...env, CLOUDPARTNER_PROFILE: 'inline' })).stderr,
    '',
  )

  // Flags win over the profile.
  const flagWins = await cli(
    [
      'offers',
      'list',
      'contoso',
      '--profile',
      'broken',
      '--endpoint',
      server.url,
      '--api-version',
      '2017-10-31',
    ],
    env,
  )
  assert.equal(flagWins.code, 0, flagWins.stderr)

  const unknown = await cli(['offers', 'list', 'contoso', '--profile', 'nope'], env)
  assert.equal(unknown.code, 2)
  assert.match(
    unknown.stderr,
    /no profile 'nope' in .*profiles\.json \(profiles: local, ci, inline, broken\)/,
  )
  await writeFile(profiles, '{"profiles": {"x": {"endpont": "typo"}}}')
  const invalid = await cli(['offers', 'list', 'contoso', '--profile', 'x'], env)
  assert.equal(invalid.code, 2)
  assert.match(invalid.stderr, /the profiles file .* is invalid at \/profiles\/x/)
})
