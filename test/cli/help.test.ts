import assert from 'node:assert/strict'
import { spawnSync } from 'node:child_process'
import { readdir } from 'node:fs/promises'
import { test } from 'node:test'
import { fileURLToPath } from 'node:url'
import { COMMANDS } from '../../src/cli/commands/index.ts'
import { SETTINGS } from '../../src/config.ts'
import { PACKAGE_VERSION } from '../../src/version.ts'
import { cleanEnv, runCli, runCliHere, tempDir } from '../helpers/cli-process.ts'

test('--help lists every command and the exit codes; --version prints the version', async (t) => {
  const dir = await tempDir(t)
  const help = await runCli(t, ['--help'], { cwd: dir })
  assert.equal(help.code, 0)
  for (const command of COMMANDS) assert.match(help.stdout, new RegExp(`\\n  ${command.path.join(' ')} +\\S`))
  assert.match(help.stdout, /Exit codes: 0 success; 1 the operation failed; 2 usage or configuration error\./)

  const version = await runCli(t, ['--version'], { cwd: dir })
  assert.deepEqual([version.code, version.stdout], [0, `${PACKAGE_VERSION}\n`])
})

/** The CLI in this process, for what needs no store: help texts. */
const runInProcess = (args: string[]) => runCliHere(args)

test('every command answers --help with its usage and exit code 0, touching no store', async (t) => {
  const dir = await tempDir(t)
  for (const command of COMMANDS) {
    const result = await runInProcess([...command.path, '--help', '--data-dir', dir])
    assert.equal(result.code, 0, result.stderr)
    assert.ok(result.stdout.startsWith(`Usage: cloudpartner ${command.path.join(' ')}`), result.stdout)
  }
  const serve = await runInProcess(['serve', '--help'])
  for (const { flag, env } of Object.values(SETTINGS)) {
    if (flag !== undefined) assert.match(serve.stdout, new RegExp(`--${flag}\\b`))
    assert.match(serve.stdout, new RegExp(env))
  }
  assert.deepEqual(await readdir(dir), [])
})

test('unknown commands and a missing command are usage errors (exit code 2)', async (t) => {
  const dir = await tempDir(t)
  const unknown = await runCli(t, ['xyzzy'], { cwd: dir })
  assert.deepEqual(
    [unknown.code, unknown.stderr],
    [2, "cloudpartner: unknown command 'xyzzy'; see cloudpartner --help\n"],
  )
  const unknownSub = await runCli(t, ['keys', 'shred'], { cwd: dir })
  assert.deepEqual(
    [unknownSub.code, unknownSub.stderr],
    [2, "cloudpartner: unknown command 'keys shred'; see cloudpartner --help\n"],
  )
  const group = await runCli(t, ['principals'], { cwd: dir })
  assert.equal(group.code, 2)
  assert.match(group.stderr, /^Usage: cloudpartner principals <command>\n/)
  const nothing = await runCli(t, [], { cwd: dir })
  assert.equal(nothing.code, 2)
  assert.match(nothing.stderr, /Usage: cloudpartner <command>/)
})

test('a typo in a command or a flag gets "did you mean", and exit code 2', async () => {
  const cases: [string[], string][] = [
    [['publish'], "unknown command 'publish'; did you mean 'offers publish'?"],
    [['principal', 'list'], "unknown command 'principal'; did you mean 'principals'?"],
    [['principals', 'lsit'], "unknown command 'principals lsit'; did you mean 'principals list'?"],
    [['grnat'], "unknown command 'grnat'; did you mean 'principals grant'?"],
    [['serv'], "unknown command 'serv'; did you mean 'serve'?"],
    [
      ['offers', 'publish', 'contoso', 'vm', '--wiat'],
      "offers publish: unknown option --wiat; did you mean '--wait'?",
    ],
    [['keys', 'list', '--jsno'], "keys list: unknown option --jsno; did you mean '--json'?"],
    [
      ['principals', 'grant', 'a', 'b', '--rol=owner'],
      "principals grant: unknown option --rol; did you mean '--role'?",
    ],
    [
      ['publishers', 'list', '--data-dri', '.'],
      "publishers list: unknown option --data-dri; did you mean '--data-dir'?",
    ],
    [['offers', 'list', 'contoso', '--colour'], 'offers list: unknown option --colour'],
  ]
  for (const [args, message] of cases) {
    const result = await runInProcess(args)
    assert.deepEqual([result.code, result.stderr], [2, `cloudpartner: ${message}\n`], args.join(' '))
  }
})

test('store commands refuse an in-memory store, which only a server process holds', async (t) => {
  const dir = await tempDir(t)
  const result = await runCli(t, ['publishers', 'list'], {
    cwd: dir,
    env: { CLOUDPARTNER_IN_MEMORY: 'true' },
  })
  assert.equal(result.code, 2)
  assert.match(result.stderr, /^cloudpartner: The store is in memory \(CLOUDPARTNER_IN_MEMORY\)/)
})

test('store commands read the data directory from the environment like the server', async (t) => {
  const dir = await tempDir(t)
  const env = { CLOUDPARTNER_DATA_DIR: `${dir}/elsewhere` }
  assert.equal((await runCli(t, ['publishers', 'create', 'fabrikam'], { cwd: dir, env })).code, 0)
  const listed = await runCli(t, ['publishers', 'list', '--json', '--data-dir', `${dir}/elsewhere`], {
    cwd: dir,
  })
  assert.deepEqual(
    (JSON.parse(listed.stdout) as { id: string }[]).map((publisher) => publisher.id),
    ['fabrikam'],
  )
})

test('every command declares its options and arguments; those over the store take where it is', async () => {
  // Not over the store: the server, files of their own (certificates, profiles), the API commands.
  const notByStore = ['serve', 'cert', 'migrate-to-postgres', 'profiles', 'completion', 'offers']
  // A principal's assertion is signed with a key on the machine that holds it, away from any store.
  const notByStoreInGroup = ['principals assertion']
  for (const entry of COMMANDS) {
    const command = await entry.load()
    assert.ok(command.options !== undefined && command.positionals !== undefined, entry.path.join(' '))
    if (notByStore.includes(entry.path[0] as string) || notByStoreInGroup.includes(entry.path.join(' ')))
      continue
    for (const setting of [SETTINGS.dataDir, SETTINGS.databaseUrl]) {
      assert.equal(
        command.options[setting.flag as string]?.type,
        'string',
        `${entry.path.join(' ')} --${setting.flag}`,
      )
    }
  }
  const serve = await (
    COMMANDS.find((entry) => entry.path[0] === 'serve') as (typeof COMMANDS)[number]
  ).load()
  for (const { flag } of Object.values(SETTINGS)) {
    if (flag !== undefined) assert.ok(serve.options?.[flag], `serve --${flag}`)
  }
})

test('bin/cloudpartner.js runs the CLI on Node 24', () => {
  const bin = fileURLToPath(new URL('../../bin/cloudpartner.js', import.meta.url))
  const result = spawnSync(process.execPath, [bin, '--version'], {
    env: cleanEnv(),
    encoding: 'utf8',
    timeout: 30_000,
  })
  assert.deepEqual([result.status, result.stdout], [0, `${PACKAGE_VERSION}\n`])
})
