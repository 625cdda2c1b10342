import assert from 'node:assert/strict'
import { Agent, request } from 'node:http'
import { test } from 'node:test'
import { CLOUD_PARTNER_RESOURCE } from '../../src/auth/cloud-partner.ts'
import { DEVELOPMENT_CREDENTIALS } from '../../src/auth/development-credentials.ts'
import { startServe, tempDir } from '../helpers/cli-process.ts'

test('SIGTERM lets a request in flight finish, then the server exits 0', async (t) => {
  const dir = await tempDir(t)
  // At debug level the server logs each request as it arrives, which tells when it is in flight.
  const server = await startServe(t, { cwd: dir, dataDir: `${dir}/data`, args: ['--log-level', 'debug'] })
  const { tenantId, clientId, clientSecret } = DEVELOPMENT_CREDENTIALS
  const form = new URLSearchParams({
    grant_type: 'client_credentials',
    client_id: clientId,
    client_secret: clientSecret,
    resource: CLOUD_PARTNER_RESOURCE,
  }).toString()
  const half = Math.floor(form.length / 2)

  // A keep-alive client, the kind that could hold the server open after its answer.
  const agent = new Agent({ keepAlive: true })
  t.after(() => agent.destroy())
  const { hostname, port } = new URL(server.url)
  const pending = request({
    host: hostname,
    port,
    method: 'POST',
    path: `/${tenantId}/oauth2/token`,
    agent,
    headers: { 'content-type': 'application/x-www-form-urlencoded', 'content-length': form.length },
  })
  const answered = new Promise<{ status: number; connection: string | undefined; body: string }>(
    (resolve, reject) => {
      pending.on('error', reject)
      pending.on('response', (response) => {
        let body = ''
        response.on('data', (chunk: Buffer) => {
          body += chunk.toString('utf8')
        })
        response.on('end', () =>
          resolve({ status: response.statusCode ?? 0, connection: response.headers.connection, body }),
        )
      })
    },
  )
  pending.write(form.slice(0, half))
  // The server has the request once it logs it; only then is it "in flight".
  await server.waitFor('stdout', /"msg":"incoming request"/)

  server.child.kill('SIGTERM')
  await server.waitFor('stderr', /SIGTERM received: finishing in-flight requests/)
  pending.end(form.slice(half))

  const response = await answered
  assert.equal(response.status, 200, response.body)
  assert.match(response.body, /"access_token":"ey/)
  assert.equal(response.connection, 'close')
  assert.deepEqual(await server.exited, { code: 0, signal: null })
  assert.match(server.stderr(), /Closed\.\n$/)
})

test('SIGINT (Ctrl-C) closes the server cleanly too', async (t) => {
  const dir = await tempDir(t)
  const server = await startServe(t, { cwd: dir, dataDir: `${dir}/data` })
  assert.deepEqual(await server.stop('SIGINT'), { code: 0, signal: null })
  assert.match(server.stderr(), /SIGINT received/)
})
