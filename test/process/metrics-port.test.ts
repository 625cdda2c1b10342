import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import { test } from 'node:test'
import { startServe, tempDir } from '../helpers/cli-process.ts'

/**
 * A production server as an operator runs it: /metrics only on --metrics-port, the API port answers
 * 404 for it; the start-up log states the settings in effect, the master key masked.
 */
test('a production server serves /metrics on --metrics-port only, and logs its settings with secrets masked', async (t) => {
  const dir = await tempDir(t)
  const masterKey = randomBytes(32).toString('base64')
  const server = await startServe(t, {
    cwd: dir,
    dataDir: `${dir}/data`,
    args: ['--production', '--metrics-port', '0'],
    env: { CLOUDPARTNER_MASTER_KEY: masterKey },
  })
  const [, metricsUrl] = await server.waitFor('stderr', /Metrics for Prometheus: (http:\/\/\S+)/)
  const metrics = await fetch(String(metricsUrl))
  assert.equal(metrics.status, 200)
  assert.match(await metrics.text(), /^# HELP cloudpartner_http_request_duration_seconds /m)
  const open = await fetch(String(metricsUrl), { headers: { accept: 'application/openmetrics-text' } })
  assert.match(String(open.headers.get('content-type')), /^application\/openmetrics-text/)
  assert.equal((await fetch(String(metricsUrl).replace('/metrics', '/api/publishers'))).status, 404)
  assert.equal((await fetch(`${server.url}/metrics`)).status, 404, 'not on the API port')

  const [line] = await server.waitFor('stdout', /^.*"effective settings".*$/m)
  const settings = (JSON.parse(line) as { settings: Record<string, unknown> }).settings
  assert.equal(settings.production, true)
  assert.equal(settings.metricsPort, 0)
  assert.equal(settings.masterKey, '(set)')
  assert.ok(!server.stdout().includes(masterKey), 'the master key is never logged')
  assert.deepEqual(await server.stop(), { code: 0, signal: null })
})
