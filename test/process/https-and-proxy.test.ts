import assert from 'node:assert/strict'
import { readFile } from 'node:fs/promises'
import { request as httpRequest } from 'node:http'
import { Agent, request as httpsRequest } from 'node:https'
import { join } from 'node:path'
import { test } from 'node:test'
import { connect as tlsConnect } from 'node:tls'
import { DEVELOPMENT_CREDENTIALS } from '../../src/auth/development-credentials.ts'
import { runCli, type ServerProcess, startServe, tempDir } from '../helpers/cli-process.ts'

/**
 * HTTPS beside HTTP, and proxy mode, on a real server process. Every connection goes to the server
 * on loopback: the proxy's tunnels are opened by hand here, and the server never connects anywhere.
 * test/e2e-clients drives the same through real clients in a network namespace.
 */

interface Answer {
  readonly status: number
  readonly headers: Record<string, string | string[] | undefined>
  readonly body: string
}

async function serveSecure(
  t: Parameters<typeof tempDir>[0],
  args: readonly string[],
): Promise<{ server: ServerProcess; ca: Buffer; httpsUrl: string | undefined; dir: string }> {
  const dir = await tempDir(t)
  const cert = await runCli(t, ['cert', '--ca-dir', join(dir, 'ca')], { cwd: dir })
  assert.equal(cert.code, 0, cert.stderr)
  const server = await startServe(t, {
    cwd: dir,
    dataDir: join(dir, 'data'),
    args: ['--ca-dir', join(dir, 'ca'), ...args],
  })
  const ca = await readFile(join(dir, 'ca', 'ca.pem'))
  const httpsUrl = /HTTPS listening on (https:\/\/\S+)/.exec(server.stderr())?.[1]
  return { server, ca, httpsUrl, dir }
}

/** An HTTPS request to the server's port, with the SNI and Host of the name given. */
function httpsCall(
  url: string,
  options: { ca: Buffer; name: string; path: string; method?: string; body?: string; agent?: Agent },
): Promise<Answer> {
  const { port } = new URL(url)
  return new Promise((resolve, reject) => {
    const request = httpsRequest(
      {
        host: '127.0.0.1',
        port,
        servername: options.name,
        path: options.path,
        method: options.method ?? 'GET',
        ca: options.ca,
        headers: {
          host: options.name,
          ...(options.body === undefined ? {} : { 'content-type': 'application/x-www-form-urlencoded' }),
        },
        ...(options.agent === undefined ? { agent: false } : { agent: options.agent }),
      },
      (response) => {
        let body = ''
        response.on('data', (chunk: Buffer) => {
          body += chunk.toString('utf8')
        })
        response.on('end', () =>
          resolve({ status: response.statusCode ?? 0, headers: response.headers, body }),
        )
      },
    )
    request.on('error', reject)
    request.end(options.body)
  })
}

/** CONNECT through the proxy, then one HTTPS request inside the tunnel, verified against our CA. */
function throughProxy(proxyUrl: string, target: string, ca: Buffer, path: string): Promise<Answer> {
  const { port } = new URL(proxyUrl)
  const [host = ''] = target.split(':')
  return new Promise((resolve, reject) => {
    const connect = httpRequest({ host: '127.0.0.1', port, method: 'CONNECT', path: target })
    connect.on('error', reject)
    connect.on('connect', (response, socket, head) => {
      if (response.statusCode !== 200) {
        let body = head.toString('utf8')
        socket.on('data', (chunk: Buffer) => {
          body += chunk.toString('utf8')
        })
        socket.on('end', () => resolve({ status: response.statusCode ?? 0, headers: response.headers, body }))
        return
      }
      const tls = tlsConnect({ socket, servername: host, ca }, () => {
        tls.write(`GET ${path} HTTP/1.1\r\nHost: ${host}\r\nConnection: close\r\n\r\n`)
      })
      let raw = ''
      tls.on('data', (chunk: Buffer) => {
        raw += chunk.toString('utf8')
      })
      tls.on('error', reject)
      tls.on('end', () => {
        const [head = '', ...rest] = raw.split('\r\n\r\n')
        resolve({ status: Number(head.split(' ')[1]), headers: {}, body: rest.join('\r\n\r\n') })
      })
    })
    connect.end()
  })
}

/** A plain-HTTP request in absolute form, as a client sends it to a proxy. */
function absoluteForm(proxyUrl: string, target: string): Promise<Answer> {
  const { port } = new URL(proxyUrl)
  return new Promise((resolve, reject) => {
    const request = httpRequest({
      host: '127.0.0.1',
      port,
      path: target,
      headers: { host: new URL(target).host },
    })
    request.on('error', reject)
    request.on('response', (response) => {
      let body = ''
      response.on('data', (chunk: Buffer) => {
        body += chunk.toString('utf8')
      })
      response.on('end', () => resolve({ status: response.statusCode ?? 0, headers: response.headers, body }))
    })
    request.end()
  })
}

test('HTTP and HTTPS at once; one listener answers the API and the token service whatever the Host', async (t) => {
  const { server, ca, httpsUrl } = await serveSecure(t, ['--https-port', '0'])
  assert.ok(httpsUrl, server.stderr())
  assert.match(server.stderr(), /Certificate: .*server\.pem, valid until \d{4}-\d\d-\d\d/)

  const plain = await fetch(`${server.url}/health/ready`)
  assert.equal(plain.status, 200)
  const ready = await httpsCall(httpsUrl, { ca, name: 'localhost', path: '/health/ready' })
  assert.equal(ready.status, 200)

  const { tenantId, clientId, clientSecret } = DEVELOPMENT_CREDENTIALS
  for (const name of ['login.microsoftonline.com', 'login.microsoft.com', 'cloudpartner.azure.com']) {
    const discovery = await httpsCall(httpsUrl, {
      ca,
      name,
      path: `/${tenantId}/v2.0/.well-known/openid-configuration`,
    })
    assert.equal(discovery.status, 200, discovery.body)
    const document = JSON.parse(discovery.body) as { token_endpoint: string; issuer: string }
    assert.equal(document.token_endpoint, `https://${name}/${tenantId}/oauth2/v2.0/token`)
    assert.equal(document.issuer, `https://${name}/${tenantId}/v2.0`)
  }

  const token = await httpsCall(httpsUrl, {
    ca,
    name: 'login.microsoftonline.com',
    path: `/${tenantId}/oauth2/token`,
    method: 'POST',
    body: new URLSearchParams({
      grant_type: 'client_credentials',
      client_id: clientId,
      client_secret: clientSecret,
      resource: 'https://cloudpartner.azure.com',
    }).toString(),
  })
  assert.equal(token.status, 200, token.body)
  const accessToken = (JSON.parse(token.body) as { access_token: string }).access_token
  // The same token on the plain-HTTP port: one app behind both.
  const offers = await fetch(`${server.url}/api/publishers/contoso/offers?api-version=2017-10-31`, {
    headers: { authorization: `Bearer ${accessToken}` },
  })
  assert.equal(offers.status, 200)
  assert.equal(((await offers.json()) as unknown[]).length, 4)
  assert.deepEqual(await server.stop(), { code: 0, signal: null })
})

test('SIGTERM with idle keep-alive connections (HTTPS and a proxy tunnel) still closes at once, exit code 0', async (t) => {
  const { server, ca, httpsUrl } = await serveSecure(t, ['--https-port', '0', '--proxy'])
  assert.ok(httpsUrl)
  const agent = new Agent({ keepAlive: true })
  t.after(() => agent.destroy())
  const answer = await httpsCall(httpsUrl, { ca, name: 'localhost', path: '/health/live', agent })
  assert.equal(answer.status, 200)
  const tunnel = await idleTunnel(server.url, ca)
  t.after(() => tunnel.destroy())
  const started = Date.now()
  assert.deepEqual(await server.stop(), { code: 0, signal: null })
  assert.ok(Date.now() - started < 5000, `took ${Date.now() - started} ms`)
})

/** A proxy tunnel that has answered one keep-alive request and stays open, idle. */
function idleTunnel(proxyUrl: string, ca: Buffer): Promise<{ destroy(): void }> {
  const { port } = new URL(proxyUrl)
  return new Promise((resolve, reject) => {
    const connect = httpRequest({
      host: '127.0.0.1',
      port,
      method: 'CONNECT',
      path: 'cloudpartner.azure.com:443',
    })
    connect.on('error', reject)
    connect.on('connect', (_response, socket) => {
      const tls = tlsConnect({ socket, servername: 'cloudpartner.azure.com', ca }, () => {
        tls.write('GET /health/live HTTP/1.1\r\nHost: cloudpartner.azure.com\r\n\r\n')
      })
      tls.on('error', () => {})
      tls.once('data', (chunk: Buffer) => {
        if (chunk.toString('utf8').startsWith('HTTP/1.1 200')) resolve(tls)
        else reject(new Error(chunk.toString('utf8')))
      })
    })
    connect.end()
  })
}

test('proxy mode answers CONNECT for the Microsoft host names itself and refuses every other destination', async (t) => {
  const { server, ca } = await serveSecure(t, ['--proxy'])
  assert.match(server.stderr(), new RegExp(`Proxy mode: HTTPS_PROXY=${server.url} `))

  const { tenantId } = DEVELOPMENT_CREDENTIALS
  const discovery = await throughProxy(
    server.url,
    'login.microsoftonline.com:443',
    ca,
    `/${tenantId}/v2.0/.well-known/openid-configuration`,
  )
  assert.equal(discovery.status, 200, discovery.body)
  assert.equal(
    (JSON.parse(discovery.body) as { token_endpoint: string }).token_endpoint,
    `https://login.microsoftonline.com/${tenantId}/oauth2/v2.0/token`,
  )
  const ready = await throughProxy(server.url, 'cloudpartner.azure.com:443', ca, '/health/ready')
  assert.equal(ready.status, 200)
  assert.equal((await throughProxy(server.url, 'LOGIN.MICROSOFT.COM:443', ca, '/health/live')).status, 200)

  for (const target of [
    'example.com:443',
    'cloudpartner.azure.com:8443',
    '127.0.0.1:22',
    'sts.windows.net:443',
  ]) {
    const refused = await throughProxy(server.url, target, ca, '/')
    assert.equal(refused.status, 403, target)
    assert.match(
      refused.body,
      new RegExp(`^cloudpartner proxy: refused ${target.replaceAll('.', '\\.')}\\. .*never forwards`),
    )
  }
  const other = await absoluteForm(server.url, 'http://example.com/')
  assert.equal(other.status, 403)
  assert.match(other.body, /^cloudpartner proxy: refused http:\/\/example\.com\/\./)
  // Plain HTTP for a Microsoft host name is answered here, as the path.
  const live = await absoluteForm(server.url, 'http://cloudpartner.azure.com/health/live')
  assert.equal(live.status, 200)
  // The server itself still answers ordinary requests on the same port.
  assert.equal((await fetch(`${server.url}/health/ready`)).status, 200)
  assert.deepEqual(await server.stop(), { code: 0, signal: null })
})

test('HTTPS or the proxy without a certificate stops start-up (exit code 2), saying how to make one', async (t) => {
  const dir = await tempDir(t)
  const result = await runCli(t, ['serve', '--https-port', '0', '--data-dir', join(dir, 'data')], {
    cwd: dir,
  })
  assert.equal(result.code, 2)
  assert.match(
    result.stderr,
    /^cloudpartner: Invalid setting --ca-dir \/ CLOUDPARTNER_CA_DIR: no server certificate in .*data\/tls .*npx cloudpartner cert/,
  )
  assert.equal(result.stderr.trim().split('\n').length, 1, result.stderr)

  const keyless = await runCli(
    t,
    ['serve', '--proxy', '--tls-cert', 'server.pem', '--data-dir', join(dir, 'data')],
    {
      cwd: dir,
    },
  )
  assert.equal(keyless.code, 2)
  assert.match(
    keyless.stderr,
    /^cloudpartner: Invalid setting --tls-key \/ CLOUDPARTNER_TLS_KEY: is required with --tls-cert/,
  )
})
