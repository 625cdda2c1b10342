import assert from 'node:assert/strict'
import { chmod, copyFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { test } from 'node:test'
import { ConfigError, loadConfig } from '../../src/config.ts'
import { caFiles, writeCertificates } from '../../src/tls/ca-directory.ts'
import { createCertificateAuthority, issueServerCertificate } from '../../src/tls/certificate-authority.ts'
import { loadTlsCredentials } from '../../src/tls/tls-credentials.ts'
import { tempDir } from '../helpers/cli-process.ts'

const NOW = new Date()

test('TLS settings come from flags or the environment; the CA directory defaults to tls in the data directory', () => {
  const config = loadConfig(
    { CLOUDPARTNER_HTTPS_PORT: '8443', CLOUDPARTNER_PROXY: 'true' },
    { 'data-dir': '/srv/cpp', 'tls-cert': 'c.pem', 'tls-key': 'k.pem' },
  )
  assert.equal(config.httpsPort, 8443)
  assert.equal(config.proxy, true)
  assert.equal(config.tlsCert, 'c.pem')
  assert.equal(config.caDir, join('/srv/cpp', 'tls'))
  assert.equal(loadConfig({ CLOUDPARTNER_CA_DIR: '/etc/cpp-ca' }).caDir, '/etc/cpp-ca')
  const plain = loadConfig({})
  assert.equal(plain.httpsPort, undefined)
  assert.equal(plain.proxy, false)
})

test('TLS settings that cannot work together stop start-up with a message naming the setting', () => {
  const cases: [NodeJS.ProcessEnv, Record<string, string | boolean>, RegExp][] = [
    [
      {},
      { 'https-port': '443', 'tls-cert': 'c.pem' },
      /--tls-key \/ CLOUDPARTNER_TLS_KEY: is required with --tls-cert/,
    ],
    [
      {},
      { proxy: true, 'tls-key': 'k.pem' },
      /--tls-cert \/ CLOUDPARTNER_TLS_CERT: is required with --tls-key/,
    ],
    [
      {},
      { 'tls-cert': 'c.pem', 'tls-key': 'k.pem' },
      /--tls-cert .*has no effect without --https-port or --proxy/,
    ],
    [
      {},
      { port: '8443', 'https-port': '8443' },
      /--https-port \/ CLOUDPARTNER_HTTPS_PORT: must differ from --port/,
    ],
    [{ CLOUDPARTNER_HTTPS_PORT: '70000' }, {}, /--https-port/],
  ]
  for (const [env, flags, message] of cases) {
    assert.throws(
      () => loadConfig(env, flags),
      (error: unknown) => error instanceof ConfigError && message.test(error.message),
      String(message),
    )
  }
})

test('without HTTPS or the proxy, no certificate is read', () => {
  assert.equal(loadTlsCredentials(loadConfig({}, { 'ca-dir': '/nonexistent' }), NOW), undefined)
})

test('the certificate of the CA directory is used by default; a missing one says to run cloudpartner cert', async (t) => {
  const dir = await tempDir(t)
  const config = loadConfig({}, { 'https-port': '0', 'ca-dir': dir })
  assert.throws(
    () => loadTlsCredentials(config, NOW),
    (error: unknown) =>
      error instanceof ConfigError &&
      /^Invalid setting --ca-dir \/ CLOUDPARTNER_CA_DIR: no server certificate in .*npx cloudpartner cert/.test(
        error.message,
      ),
  )
  await writeCertificates(dir, { now: NOW })
  const credentials = loadTlsCredentials(config, NOW)
  assert.equal(credentials?.certPath, caFiles(dir).serverCertificate)
  assert.match(credentials?.names ?? '', /DNS:cloudpartner\.azure\.com/)
})

test('unreadable, malformed, mismatched or expired certificates are refused at start-up, naming the setting', async (t) => {
  const dir = await tempDir(t)
  const { files } = await writeCertificates(join(dir, 'ca'), { now: NOW })
  const other = issueServerCertificate(createCertificateAuthority(NOW), ['elsewhere.test'], NOW)
  await writeFile(join(dir, 'other-key.pem'), other.privateKey)
  await writeFile(join(dir, 'other.pem'), other.certificate)
  await writeFile(join(dir, 'garbage.pem'), 'not a certificate')
  const ca = createCertificateAuthority(new Date(NOW.getTime() - 1000 * 86_400_000))
  const old = issueServerCertificate(
    ca,
    ['cloudpartner.azure.com'],
    new Date(NOW.getTime() - 900 * 86_400_000),
  )
  await writeFile(join(dir, 'old.pem'), old.certificate)
  await writeFile(join(dir, 'old-key.pem'), old.privateKey)
  await copyFile(files.serverKey, join(dir, 'locked-key.pem'))
  await chmod(join(dir, 'locked-key.pem'), 0o000)

  const cases: [Record<string, string | boolean>, RegExp][] = [
    [
      { 'tls-cert': join(dir, 'missing.pem'), 'tls-key': files.serverKey },
      /--tls-cert .*cannot read .*missing\.pem \(ENOENT\)/,
    ],
    [
      { 'tls-cert': join(dir, 'garbage.pem'), 'tls-key': files.serverKey },
      /--tls-cert .*is not a PEM certificate/,
    ],
    [
      { 'tls-cert': files.serverCertificate, 'tls-key': join(dir, 'garbage.pem') },
      /--tls-key .*is not a PEM private key/,
    ],
    [
      { 'tls-cert': files.serverCertificate, 'tls-key': join(dir, 'other-key.pem') },
      /--tls-key .*is not the private key of/,
    ],
    [{ 'tls-cert': join(dir, 'old.pem'), 'tls-key': join(dir, 'old-key.pem') }, /--tls-cert .*expired on/],
    [
      { 'tls-cert': join(dir, 'other.pem'), 'tls-key': join(dir, 'other-key.pem'), proxy: true },
      /--tls-cert .*does not name cloudpartner\.azure\.com, login\.microsoftonline\.com, login\.microsoft\.com; proxy mode/,
    ],
  ]
  // Root reads any file whatever its mode: that case only means something for other users.
  if (process.getuid?.() !== 0)
    cases.push([
      { 'tls-cert': files.serverCertificate, 'tls-key': join(dir, 'locked-key.pem') },
      /--tls-key .*EACCES/,
    ])
  for (const [flags, message] of cases) {
    const config = loadConfig({}, { 'https-port': '0', ...flags })
    assert.throws(
      () => loadTlsCredentials(config, NOW),
      (error: unknown) => error instanceof ConfigError && message.test(error.message),
      String(message),
    )
  }
  // A certificate for other names is fine for HTTPS alone: DNS or a hosts file may point them here.
  const https = loadConfig(
    {},
    { 'https-port': '0', 'tls-cert': join(dir, 'other.pem'), 'tls-key': join(dir, 'other-key.pem') },
  )
  assert.match(loadTlsCredentials(https, NOW)?.names ?? '', /elsewhere\.test/)
})
