import assert from 'node:assert/strict'
import { spawn } from 'node:child_process'
import { writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { test } from 'node:test'
import { vmDocument } from '../api/fixtures/offer-documents.ts'
import { CLI_MAIN, cleanEnv } from '../helpers/cli-process.ts'
import { startOffersServer } from './offers-helpers.ts'

/*
 * publish, golive, cancel and --wait when output is not a terminal: plain progress lines on
 * stderr, the outcome on stdout, exit codes a script can branch on. The realistic profile, scaled
 * so that a publish reaches sign-off in about three seconds (certification takes most of it).
 */
const REALISTIC = ['--publish-profile', 'realistic', '--publish-time-scale', '0.00001']
const ESC = '\u001b'

test('publish --wait and golive --wait: plain progress lines, then the outcome; exit 0', async (t) => {
  const { cli } = await startOffersServer(t, REALISTIC)

  const published = await cli([
    'offers',
    'publish',
    'contoso',
    'contosovirtualmachine',
    '--wait',
    '--poll-interval',
    '0.1',
  ])
  assert.equal(published.code, 0, published.stderr)
  assert.equal(
    published.stdout,
    '✔ contoso/contosovirtualmachine version 1 is in Preview, waiting for go-live.\n' +
      'Go live with: cloudpartner offers golive contoso contosovirtualmachine --wait\n',
  )
  const lines = published.stderr.trimEnd().split('\n')
  assert.equal(
    lines[0],
    'Publishing contoso/contosovirtualmachine: /api/operations/contoso$contosovirtualmachine$1$preview?api-version=2017-10-31',
  )
  assert.ok(
    lines.slice(1).every((line) => /^\[\d+:\d\d\] .+ \(\d\/6\): .+, \d+%$/.test(line)),
    published.stderr,
  )
  assert.match(
    published.stderr,
    /\n\[\d:\d\d\] (Certification \(2|Provisioning \(3)\/6\): in progress, \d+%\n/,
  )
  assert.match(lines.at(-1) ?? '', /Publisher signoff \(5\/6\): waiting for go-live, 0%$/)
  // No terminal: no carriage returns, no colour.
  assert.ok(!(published.stderr + published.stdout).includes('\r'))
  assert.ok(!(published.stderr + published.stdout).includes(ESC))

  const status = await cli(['offers', 'status', 'contoso', 'contosovirtualmachine'])
  assert.match(status.stdout, /^contoso\/contosovirtualmachine: waitingForPublisherReview\n/)
  assert.match(status.stdout, /\n {2}5 {2}Publisher signoff +waitingForPublisherReview +0% +< 1 hour\n/)

  const live = await cli([
    'offers',
    'golive',
    'contoso',
    'contosovirtualmachine',
    '--wait',
    '--poll-interval',
    '0.1',
    '--json',
  ])
  assert.equal(live.code, 0, live.stderr)
  const detail = JSON.parse(live.stdout) as { status: string; steps: { id: string; status: string }[] }
  assert.equal(detail.status, 'succeeded')
  assert.ok(detail.steps.every((step) => step.status === 'complete'))
  assert.match(live.stderr, /\[\d:\d\d\] Live \(6\/6\): complete, 100%\n$/)

  const operations = await cli(['offers', 'operations', 'contoso', 'contosovirtualmachine', '--json'])
  const submissions = JSON.parse(operations.stdout) as {
    id: string
    submissionType: string
    version: number
  }[]
  assert.deepEqual(
    submissions.map((submission) => submission.submissionType),
    ['goLive', 'publish'],
  )
  // The 64-bit version, written with all its digits.
  assert.match(operations.stdout, /"version": \d{18},/)
  const one = await cli([
    'offers',
    'operations',
    'contoso',
    'contosovirtualmachine',
    submissions[0]?.id as string,
  ])
  assert.match(
    one.stdout,
    /^Operation [0-9a-f-]+: succeeded \(offer version 1, publishing version 1, cannotCancel\)\n/,
  )
})

test('a publish that fails exits 3 with the reason; cancel; Ctrl-C without a terminal stops waiting (130)', async (t) => {
  const { cli, dir, server } = await startOffersServer(t, ['--publish-profile', 'manual'])
  const file = join(dir, 'imageless.json')
  const document = vmDocument('imageless') as { definition: { plans: Record<string, unknown>[] } }
  delete document.definition.plans[0]?.['microsoft-azure-virtualmachines.vmImages']
  await writeFile(file, JSON.stringify(document))
  assert.equal((await cli(['offers', 'put', 'contoso', 'imageless', file])).code, 0)
  const waiting = cli(['offers', 'publish', 'contoso', 'imageless', '--wait', '--poll-interval', '0.1'])
  let operations: { id: string }[] = []
  for (let tries = 0; operations.length === 0 && tries < 50; tries += 1) {
    operations = JSON.parse((await cli(['offers', 'operations', 'contoso', 'imageless', '--json'])).stdout)
  }
  // The manual profile: validation completes when told to; certification then blocks.
  const advanced = await cli([
    'operations',
    'advance',
    operations[0]?.id as string,
    '--data-dir',
    join(dir, 'data'),
  ])
  assert.equal(advanced.code, 0, advanced.stderr)
  const failed = await waiting
  assert.equal(failed.code, 3, failed.stderr)
  assert.equal(failed.stdout, '')
  assert.match(
    failed.stderr,
    /\n✖ Publishing failed: No virtual machine image was found for the plan contososkuidentifier\.\n$/,
  )

  const started = await cli(['offers', 'publish', 'contoso', 'contosovirtualmachine'])
  assert.equal(started.code, 0, started.stderr)
  assert.equal(
    started.stdout,
    'Publishing contoso/contosovirtualmachine: operation /api/operations/contoso$contosovirtualmachine$1$preview?api-version=2017-10-31\n' +
      'Follow it with: cloudpartner offers status contoso contosovirtualmachine\n',
  )
  assert.deepEqual(
    JSON.parse((await cli(['offers', 'publish', 'contoso', 'contosovirtualmachine', '--json'])).stdout),
    {
      location: '/api/operations/contoso$contosovirtualmachine$1$preview?api-version=2017-10-31',
      url: `${server.url}/api/operations/contoso$contosovirtualmachine$1$preview?api-version=2017-10-31`,
    },
  )

  // --timeout: stop waiting, the operation goes on.
  const timedOut = await cli([
    'offers',
    'publish',
    'contoso',
    'contosovirtualmachine',
    '--wait',
    '--poll-interval',
    '0.1',
    '--timeout',
    '0.5',
  ])
  assert.equal(timedOut.code, 1)
  assert.match(
    timedOut.stderr,
    /cloudpartner: stopped waiting after 0\.5 s; the operation goes on\. Follow it with: cloudpartner offers status contoso contosovirtualmachine\n$/,
  )

  // SIGINT while waiting, output to pipes: nothing is canceled without asking.
  const child = spawn(
    process.execPath,
    [CLI_MAIN, 'offers', 'publish', 'contoso', 'contosovirtualmachine', '--wait', '--poll-interval', '0.1'],
    {
      cwd: dir,
      env: cleanEnv({ CLOUDPARTNER_ENDPOINT: server.url }),
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  )
  let stderr = ''
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)))
  await new Promise<void>((resolve) => {
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString('utf8')
      if (/\[\d:\d\d\] Validate Pre-Requisites/.test(stderr)) resolve()
    })
  })
  child.kill('SIGINT')
  assert.equal(await exited, 130)
  assert.match(
    stderr,
    /Stopped waiting; the operation goes on\. Follow it with: cloudpartner offers status contoso contosovirtualmachine\n$/,
  )
  const status = await cli(['offers', 'status', 'contoso', 'contosovirtualmachine', '--json'])
  assert.equal(JSON.parse(status.stdout).status, 'running')

  const canceled = await cli(['offers', 'cancel', 'contoso', 'contosovirtualmachine'])
  assert.equal(canceled.code, 0, canceled.stderr)
  assert.equal(
    canceled.stdout,
    'Canceled the operation of contoso/contosovirtualmachine: /api/operations/contoso$contosovirtualmachine$1$preview?api-version=2017-10-31.\n',
  )
  const nothing = await cli(['offers', 'cancel', 'contoso', 'contosovirtualmachine'])
  assert.equal(nothing.code, 1)
  assert.equal(
    nothing.stderr,
    'cloudpartner: nothing of contoso/contosovirtualmachine could be canceled (its latest operation, unchanged: /api/operations/contoso$contosovirtualmachine$1$preview?api-version=2017-10-31).\n',
  )
  const goLive = await cli(['offers', 'golive', 'contoso', 'contosovirtualmachine'])
  assert.equal(goLive.code, 1)
  assert.match(
    goLive.stderr,
    /^cloudpartner: InvalidOfferStatus: .*\nhint: publish first and wait for it: `cloudpartner offers publish contoso contosovirtualmachine --wait`/,
  )
  const badFlag = await cli([
    'offers',
    'publish',
    'contoso',
    'contosovirtualmachine',
    '--wait',
    '--poll-interval',
    'soon',
  ])
  assert.equal(badFlag.code, 2)
  assert.match(badFlag.stderr, /--poll-interval must be a positive number of seconds, not 'soon'/)
})
