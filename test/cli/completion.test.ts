import assert from 'node:assert/strict'
import { spawnSync } from 'node:child_process'
import { chmod, mkdir, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { test } from 'node:test'
import { runCli } from '../../src/cli/run-cli.ts'
import { CLI_MAIN, cleanEnv, tempDir } from '../helpers/cli-process.ts'
import { hasTmux, inTerminal } from './offers-helpers.ts'

/*
 * Shell completion: what `cloudpartner __complete` answers (from the command specs), and the
 * scripts of `cloudpartner completion`, sourced into a real bash, zsh and fish.
 */

async function completeInProcess(words: string[], env: Record<string, string> = {}): Promise<string[]> {
  let stdout = ''
  const io = {
    out: (text: string) => {
      stdout += text
    },
    err: () => undefined,
    env: cleanEnv(env),
  }
  assert.equal(await runCli(['__complete', ...words], io), 0)
  return stdout.split('\n').filter(Boolean)
}

test('__complete answers from the command specs: commands, flags, values, profiles, paths', async (t) => {
  const commands = await completeInProcess([''])
  for (const name of ['serve', 'principals', 'offers', 'profiles', 'completion', '--help']) {
    assert.ok(commands.includes(name), name)
  }
  assert.ok(!commands.includes('__complete'))
  assert.deepEqual(await completeInProcess(['pr']), ['principals', 'profiles'])
  assert.deepEqual(await completeInProcess(['principals', 'ro']), ['rotate-secret'])
  assert.deepEqual(await completeInProcess(['offers', 'publish', 'contoso', 'vm', '--w']), ['--wait'])
  assert.deepEqual(await completeInProcess(['offers', 'get-slot', 'contoso', 'vm', '']), [
    'draft',
    'preview',
    'production',
  ])
  assert.deepEqual(await completeInProcess(['serve', '--log-level', 'd']), ['debug'])
  assert.deepEqual(await completeInProcess(['serve', '--data-dir', '']), [':directory'])
  assert.deepEqual(await completeInProcess(['offers', 'put', 'contoso', 'vm', '']), [':file'])
  assert.deepEqual(await completeInProcess(['import', 'a.json', '--data-dir', 'd', '']), [':file'])
  assert.deepEqual(await completeInProcess(['principals', 'assertion', '--key', '']), [':file'])
  assert.deepEqual(await completeInProcess(['principals', 'add-certificate', 'app', '']), [':file'])
  assert.deepEqual(await completeInProcess(['principals', 'create', '--certificate', '']), [':file'])
  // Ids are not guessed: nothing rather than file names.
  assert.deepEqual(await completeInProcess(['offers', 'show', '']), [])
  assert.deepEqual(await completeInProcess(['offers', 'show', 'a', 'b', '']), [])
  assert.deepEqual(await completeInProcess(['nosuch', '']), [])

  const profiles = join(await tempDir(t), 'profiles.json')
  await writeFile(profiles, JSON.stringify({ profiles: { local: {}, azure: {} } }))
  const env = { CLOUDPARTNER_PROFILES: profiles }
  assert.deepEqual(await completeInProcess(['offers', 'list', 'contoso', '--profile', ''], env), [
    'local',
    'azure',
  ])
  assert.deepEqual(await completeInProcess(['profiles', 'use', 'a'], env), ['azure'])
})

/** A directory with `cloudpartner` on it (this checkout's CLI), a file to complete, and a profile. */
async function shellHome(dir: string): Promise<Record<string, string>> {
  const bin = join(dir, 'bin')
  await mkdir(bin)
  await writeFile(join(bin, 'cloudpartner'), `#!/bin/sh\nexec "${process.execPath}" "${CLI_MAIN}" "$@"\n`)
  await chmod(join(bin, 'cloudpartner'), 0o755)
  await writeFile(join(dir, 'offer-draft.json'), '{}')
  await writeFile(join(dir, 'profiles.json'), JSON.stringify({ profiles: { staging: {} } }))
  return {
    PATH: `${bin}:${process.env.PATH}`,
    HOME: dir,
    XDG_CONFIG_HOME: join(dir, '.config'),
    XDG_DATA_HOME: join(dir, '.local'),
    CLOUDPARTNER_PROFILES: join(dir, 'profiles.json'),
  }
}

test('bash: the script, sourced, completes commands, values, profiles and file names', async (t) => {
  const dir = await tempDir(t)
  const env = await shellHome(dir)
  // Completion as bash calls it: the words, the index of the one under the cursor.
  const script = `
    source <(cloudpartner completion bash)
    at() { COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1)); COMPREPLY=(); _cloudpartner_complete; echo "$*|\${COMPREPLY[*]}"; }
    at cloudpartner offers get-sl
    at cloudpartner offers get-slot contoso vm pr
    at cloudpartner offers list contoso --profile st
    at cloudpartner offers validate offer-
    at cloudpartner principals gr
    complete -p cloudpartner
  `
  const result = spawnSync('bash', ['--norc', '-c', script], {
    cwd: dir,
    env: cleanEnv(env),
    encoding: 'utf8',
  })
  assert.equal(result.status, 0, result.stderr)
  assert.deepEqual(result.stdout.trim().split('\n'), [
    'cloudpartner offers get-sl|get-slot',
    'cloudpartner offers get-slot contoso vm pr|preview production',
    'cloudpartner offers list contoso --profile st|staging',
    'cloudpartner offers validate offer-|offer-draft.json',
    'cloudpartner principals gr|grant',
    'complete -F _cloudpartner_complete cloudpartner',
  ])
})

const hasShell = (shell: string) => spawnSync(shell, ['-c', 'exit 0']).status === 0

/** Types a line into an interactive shell in a terminal, presses Tab, and waits for the completed line. */
async function tabCompletes(
  t: Parameters<typeof inTerminal>[0],
  command: string[],
  env: Record<string, string>,
  cwd: string,
  cases: [typed: string, completed: RegExp][],
): Promise<void> {
  const terminal = await inTerminal(t, command, { cwd, env })
  await terminal.waitFor(/READY/)
  for (const [typed, completed] of cases) {
    await terminal.keys('-l', typed)
    await terminal.keys('Tab')
    await terminal.waitFor(completed)
    // A fresh line for the next case.
    await terminal.keys('C-c')
  }
}

test('zsh: the script, sourced after compinit, completes on Tab', {
  skip: !hasTmux() || !hasShell('zsh') ? 'needs tmux and zsh (apt-get install tmux zsh)' : false,
}, async (t) => {
  const dir = await tempDir(t)
  const env = await shellHome(dir)
  await writeFile(
    join(dir, '.zshrc'),
    'autoload -Uz compinit && compinit -u\neval "$(cloudpartner completion zsh)"\nPROMPT="READY> "\n',
  )
  await tabCompletes(t, ['zsh', '-i'], { ...env, ZDOTDIR: dir }, dir, [
    ['cloudpartner offers get-sl', /READY> cloudpartner offers get-slot $/m],
    ['cloudpartner completion f', /READY> cloudpartner completion fish $/m],
    ['cloudpartner offers validate offer-', /READY> cloudpartner offers validate offer-draft\.json $/m],
  ])
})

test('fish: the script, sourced, completes on Tab', {
  skip: !hasTmux() || !hasShell('fish') ? 'needs tmux and fish (apt-get install tmux fish)' : false,
}, async (t) => {
  const dir = await tempDir(t)
  const env = await shellHome(dir)
  const init = [
    'set -g fish_greeting',
    'function fish_prompt; echo -n "READY> "; end',
    'cloudpartner completion fish | source',
  ].join('; ')
  await tabCompletes(t, ['fish', '--no-config', '--init-command', init], env, dir, [
    ['cloudpartner offers get-sl', /READY> cloudpartner offers get-slot $/m],
    [
      'cloudpartner offers list contoso --profile st',
      /READY> cloudpartner offers list contoso --profile staging $/m,
    ],
    ['cloudpartner offers validate offer-', /READY> cloudpartner offers validate offer-draft\.json $/m],
  ])
})
