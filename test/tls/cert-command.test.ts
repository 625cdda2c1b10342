import assert from 'node:assert/strict'
import { X509Certificate } from 'node:crypto'
import { readFile, rm, stat } from 'node:fs/promises'
import { join } from 'node:path'
import { test } from 'node:test'
import { runCli, tempDir } from '../helpers/cli-process.ts'

interface CertJson {
  dir: string
  caCertificate: string
  caKey: string
  serverCertificate: string
  serverKey: string
  createdCa: boolean
  names: string[]
}

test('cert creates a CA and a server certificate for the Microsoft host names and loopback; keys are 0600', async (t) => {
  const dir = await tempDir(t)
  const result = await runCli(t, ['cert'], { cwd: dir })
  assert.equal(result.code, 0, result.stderr)
  assert.match(result.stdout, /^Created a local certificate authority in .*data\/tls\./)
  for (const variable of ['CURL_CA_BUNDLE', 'REQUESTS_CA_BUNDLE', 'SSL_CERT_FILE', 'NODE_EXTRA_CA_CERTS']) {
    assert.match(result.stdout, new RegExp(`export ${variable}=${dir}/data/tls/ca\\.pem`))
  }
  assert.match(result.stdout, /update-ca-certificates/)
  assert.match(result.stdout, /npx cloudpartner serve --https-port 8443 +#/)

  const tls = join(dir, 'data', 'tls')
  for (const [file, mode] of [
    ['ca-key.pem', 0o600],
    ['server-key.pem', 0o600],
    ['ca.pem', 0o644],
    ['server.pem', 0o644],
  ] as const) {
    assert.equal((await stat(join(tls, file))).mode & 0o777, mode, file)
  }
  assert.equal((await stat(tls)).mode & 0o777, 0o700)

  const ca = new X509Certificate(await readFile(join(tls, 'ca.pem')))
  const server = new X509Certificate(await readFile(join(tls, 'server.pem')))
  assert.equal(ca.ca, true)
  assert.equal(server.ca, false)
  assert.ok(server.checkIssued(ca))
  assert.ok(server.verify(ca.publicKey))
  for (const host of [
    'cloudpartner.azure.com',
    'login.microsoftonline.com',
    'login.microsoft.com',
    'localhost',
  ])
    assert.equal(server.checkHost(host), host)
  assert.equal(server.checkIP('127.0.0.1'), '127.0.0.1')
  assert.equal(server.checkHost('example.com'), undefined)
  assert.deepEqual(server.keyUsage, ['1.3.6.1.5.5.7.3.1'])
})

test('a second run keeps the CA, so clients that trust it need nothing new, and adds --name names', async (t) => {
  const dir = await tempDir(t)
  const caDir = join(dir, 'ca')
  const first = await runCli(t, ['cert', '--ca-dir', caDir, '--json'], { cwd: dir })
  const firstJson = JSON.parse(first.stdout) as CertJson
  assert.equal(firstJson.createdCa, true)
  const caBefore = await readFile(firstJson.caCertificate, 'utf8')

  const second = await runCli(t, ['cert', '--json', '--name', 'cpp.internal', '--name', '10.0.0.5'], {
    cwd: dir,
    env: { CLOUDPARTNER_CA_DIR: caDir },
  })
  assert.equal(second.code, 0, second.stderr)
  const secondJson = JSON.parse(second.stdout) as CertJson
  assert.equal(secondJson.createdCa, false)
  assert.equal(await readFile(secondJson.caCertificate, 'utf8'), caBefore)
  assert.deepEqual(secondJson.names.slice(-2), ['cpp.internal', '10.0.0.5'])
  const server = new X509Certificate(await readFile(secondJson.serverCertificate))
  assert.ok(server.checkIssued(new X509Certificate(caBefore)))
  assert.equal(server.checkHost('cpp.internal'), 'cpp.internal')

  const human = await runCli(t, ['cert', '--ca-dir', caDir], { cwd: dir })
  assert.match(human.stdout, /^Kept the certificate authority in /)
  assert.match(human.stdout, new RegExp(`serve --https-port 8443 --ca-dir ${caDir}`))
})

test('cert refuses a bad --name and a CA directory with half a CA', async (t) => {
  const dir = await tempDir(t)
  const bad = await runCli(t, ['cert', '--name', 'not a host'], { cwd: dir })
  assert.equal(bad.code, 2)
  assert.equal(bad.stderr, "cloudpartner: cert: 'not a host' is neither a DNS name nor an IP address\n")

  const caDir = join(dir, 'ca')
  assert.equal((await runCli(t, ['cert', '--ca-dir', caDir], { cwd: dir })).code, 0)
  await rm(join(caDir, 'ca-key.pem'))
  const half = await runCli(t, ['cert', '--ca-dir', caDir], { cwd: dir })
  assert.equal(half.code, 1)
  assert.match(half.stderr, /ca\.pem exists but .*ca-key\.pem does not/)
})
