import assert from 'node:assert/strict'
import { writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { test } from 'node:test'
import { runCli, tempDir } from '../helpers/cli-process.ts'
import { cliCommand, hasTmux, inTerminal, startOffersServer } from './offers-helpers.ts'

/*
 * `--wait` on a terminal, as a person sees it: each command runs in a pseudo-terminal of its own
 * (tmux), and the test reads the screen and presses keys.
 */
const skip = hasTmux() ? false : 'tmux is not installed (apt-get install tmux)'
const REALISTIC = ['--publish-profile', 'realistic', '--publish-time-scale', '0.00001']
/** A colour or style escape sequence (ESC [ … m). */
const SGR = new RegExp(`${'\u001b'}\\[[\\d;]*m`)

test('publish --wait on a terminal: a live line with the step, a bar, its percentage and the time', {
  skip,
}, async (t) => {
  const { server, dir } = await startOffersServer(t, REALISTIC)
  const terminal = await inTerminal(
    t,
    cliCommand('offers', 'publish', 'contoso', 'contosovirtualmachine', '--wait', '--poll-interval', '0.2'),
    { cwd: dir, env: { CLOUDPARTNER_ENDPOINT: server.url } },
  )
  // Certification takes most of the time: the bar is caught moving.
  const during = await terminal.waitFor(/Certification \(2\/6\) \[█+░*\] +\d+% +0:0\d/)
  assert.match(during, /^✔ Validate Pre-Requisites$/m)
  // One live line: the steps done stay above it, nothing else piles up.
  assert.equal(during.match(/\(\d\/6\) \[/g)?.length, 1)
  const coloured = await terminal.screen({ escapes: true })
  assert.match(coloured, SGR)

  assert.equal(await terminal.exitStatus(), 0)
  const after = await terminal.screen()
  for (const step of [
    'Validate Pre-Requisites',
    'Certification',
    'Provisioning',
    'Packaging and Lead Generation Registration',
  ]) {
    assert.match(after, new RegExp(`^✔ ${step}$`, 'm'))
  }
  assert.match(after, /^✔ contoso\/contosovirtualmachine version 1 is in Preview, waiting for go-live\.$/m)
  // The live line was cleared, not left behind.
  assert.doesNotMatch(after, /\(\d\/6\) \[/)
})

test('NO_COLOR keeps the terminal display but drops the colour', { skip }, async (t) => {
  const { server, dir } = await startOffersServer(t, REALISTIC)
  const terminal = await inTerminal(
    t,
    cliCommand('offers', 'publish', 'contoso', 'contosovirtualmachine', '--wait', '--poll-interval', '0.2'),
    { cwd: dir, env: { CLOUDPARTNER_ENDPOINT: server.url, NO_COLOR: '1' } },
  )
  await terminal.waitFor(/\(\d\/6\) \[/)
  assert.doesNotMatch(await terminal.screen({ escapes: true }), SGR)
  assert.equal(await terminal.exitStatus(), 0)
})

test('colour follows Node: on a terminal unless NO_COLOR or NODE_DISABLE_COLORS; FORCE_COLOR even in a pipe', {
  skip,
}, async (t) => {
  const dir = await tempDir(t)
  const file = join(dir, 'offer.json')
  await writeFile(file, JSON.stringify({ offerTypeId: 'microsoft-azure-virtualmachines' }))
  const validate = cliCommand('offers', 'validate', file)
  for (const [env, coloured] of [
    [{}, true],
    [{ NO_COLOR: '1' }, false],
    [{ NODE_DISABLE_COLORS: '1' }, false],
  ] as const) {
    const terminal = await inTerminal(t, validate, { cwd: dir, env })
    assert.equal(await terminal.exitStatus(), 1)
    assert.equal(SGR.test(await terminal.screen({ escapes: true })), coloured, JSON.stringify(env))
  }
  const piped = await runCli(t, ['offers', 'validate', file], { cwd: dir })
  assert.doesNotMatch(piped.stdout, SGR)
  const forced = await runCli(t, ['offers', 'validate', file], { cwd: dir, env: { FORCE_COLOR: '1' } })
  assert.match(forced.stdout, SGR)
  assert.match(forced.stdout, /definition/)
})

test('Ctrl-C asks whether to cancel: y cancels (exit 3); Ctrl-C again leaves it running (exit 130)', {
  skip,
}, async (t) => {
  const { server, dir, cli } = await startOffersServer(t, ['--publish-profile', 'manual'])
  const env = { CLOUDPARTNER_ENDPOINT: server.url }
  const publish = cliCommand(
    'offers',
    'publish',
    'contoso',
    'contosovirtualmachine',
    '--wait',
    '--poll-interval',
    '0.2',
  )

  const first = await inTerminal(t, publish, { cwd: dir, env })
  await first.waitFor(/Validate Pre-Requisites \(1\/6\) \[/)
  await first.keys('C-c')
  await first.waitFor(/Cancel the operation\? \[y\/N\] $/m)
  // No: back to waiting.
  await first.keys('n', 'Enter')
  await first.waitFor(/\[y\/N\] n\n.*Validate Pre-Requisites \(1\/6\) \[/)
  await first.keys('C-c')
  await first.waitFor(/\[y\/N\] $/m)
  await first.keys('y', 'Enter')
  assert.equal(await first.exitStatus(), 3)
  assert.match(await first.screen(), /Canceling the operation…\n✖ Publishing was canceled\./)
  const canceled = await cli(['offers', 'status', 'contoso', 'contosovirtualmachine', '--json'])
  assert.equal(JSON.parse(canceled.stdout).status, 'canceled')

  const second = await inTerminal(t, publish, { cwd: dir, env })
  await second.waitFor(/\(1\/6\) \[/)
  await second.keys('C-c')
  await second.waitFor(/Cancel the operation\? \[y\/N\] $/m)
  await second.keys('C-c')
  assert.equal(await second.exitStatus(), 130)
  assert.match(
    await second.screen(),
    /\[y\/N\] \^C\nStopped waiting; the operation goes on\. Follow it with: cloudpartner offers status contoso contosovirtualmachine/,
  )
  const running = await cli(['offers', 'status', 'contoso', 'contosovirtualmachine', '--json'])
  assert.equal(JSON.parse(running.stdout).status, 'running')
})

test('a step that ends while Ctrl-C asks does not write over the question; it shows after the answer', {
  skip,
}, async (t) => {
  const { server, dir, cli, dataDir } = await startOffersServer(t, ['--publish-profile', 'manual'])
  const terminal = await inTerminal(
    t,
    cliCommand('offers', 'publish', 'contoso', 'contosovirtualmachine', '--wait', '--poll-interval', '0.2'),
    { cwd: dir, env: { CLOUDPARTNER_ENDPOINT: server.url } },
  )
  await terminal.waitFor(/Validate Pre-Requisites \(1\/6\) \[/)
  await terminal.keys('C-c')
  await terminal.waitFor(/Cancel the operation\? \[y\/N\] $/m)
  const [operation] = JSON.parse(
    (await cli(['offers', 'operations', 'contoso', 'contosovirtualmachine', '--json'])).stdout,
  ) as { id: string }[]
  const advanced = await cli(['operations', 'advance', operation?.id as string, '--data-dir', dataDir])
  assert.equal(advanced.code, 0, advanced.stderr)
  // Several polls (every 0.2 s) see the step done while the question waits; it stays the last line.
  await new Promise((resolve) => setTimeout(resolve, 1500))
  const asking = await terminal.screen()
  assert.match(asking, /Cancel the operation\? \[y\/N\] \n*$/)
  assert.doesNotMatch(asking, /✔ Validate Pre-Requisites/)
  await terminal.keys('n', 'Enter')
  const after = await terminal.waitFor(/\[y\/N\] n\n✔ Validate Pre-Requisites\n.*Certification \(2\/6\) \[/)
  assert.equal(after.match(/✔ Validate Pre-Requisites/g)?.length, 1)
  await terminal.keys('C-c')
  await terminal.waitFor(/\[y\/N\] $/m)
  await terminal.keys('y', 'Enter')
  assert.equal(await terminal.exitStatus(), 3)
})

test('a go-live cannot be canceled: Ctrl-C offers to stop waiting instead', { skip }, async (t) => {
  const { server, dir, cli, dataDir } = await startOffersServer(t, ['--publish-profile', 'manual'])
  const env = { CLOUDPARTNER_ENDPOINT: server.url }
  assert.equal((await cli(['offers', 'publish', 'contoso', 'contosovirtualmachine'])).code, 0)
  const [operation] = JSON.parse(
    (await cli(['offers', 'operations', 'contoso', 'contosovirtualmachine', '--json'])).stdout,
  ) as {
    id: string
  }[]
  // The manual profile: four steps to sign-off, each completed by hand.
  for (let step = 0; step < 4; step += 1) {
    const advanced = await cli(['operations', 'advance', operation?.id as string, '--data-dir', dataDir])
    assert.equal(advanced.code, 0, advanced.stderr)
  }
  const terminal = await inTerminal(
    t,
    cliCommand('offers', 'golive', 'contoso', 'contosovirtualmachine', '--wait', '--poll-interval', '0.2'),
    { cwd: join(dir), env },
  )
  await terminal.waitFor(/Live \(6\/6\) \[/)
  await terminal.keys('C-c')
  await terminal.waitFor(/This operation cannot be canceled\. Stop waiting \(it goes on\)\? \[y\/N\] $/m)
  await terminal.keys('y', 'Enter')
  assert.equal(await terminal.exitStatus(), 130)
  const status = await cli(['offers', 'status', 'contoso', 'contosovirtualmachine', '--json'])
  assert.equal(JSON.parse(status.stdout).status, 'running')
})
