import assert from 'node:assert/strict'
import { test } from 'node:test'
import { ConfigError, describeSettings, loadConfig } from '../../src/config.ts'

test('defaults: loopback, port 8080, ./data, development mode', () => {
  const config = loadConfig({})
  assert.equal(config.host, '127.0.0.1')
  assert.equal(config.port, 8080)
  assert.equal(config.dataDir, './data')
  assert.equal(config.inMemory, false)
  assert.equal(config.production, false)
  assert.equal(config.skipApiVersionCheck, false)
  assert.deepEqual(config.externalIssuers, [])
  assert.ok(Object.isFrozen(config))
})

test('every setting comes from a flag or an environment variable; flags win', () => {
  const config = loadConfig(
    {
      CLOUDPARTNER_PORT: '9000',
      CLOUDPARTNER_LOG_LEVEL: 'debug',
      CLOUDPARTNER_SKIP_API_VERSION_CHECK: 'true',
      CLOUDPARTNER_EXTERNAL_ISSUERS:
        '[{"issuer":"https://sts.windows.net/t/","jwksUri":"https://login.microsoftonline.com/t/discovery/keys"}]',
    },
    { port: '9100', 'in-memory': true },
  )
  assert.equal(config.port, 9100)
  assert.equal(config.logLevel, 'debug')
  assert.equal(config.inMemory, true)
  assert.equal(config.skipApiVersionCheck, true)
  assert.equal(config.externalIssuers[0]?.issuer, 'https://sts.windows.net/t/')
})

test('binding a non-loopback address implies production mode', () => {
  assert.equal(loadConfig({}, { host: '0.0.0.0' }).production, true)
  assert.equal(loadConfig({}, { host: '::1' }).production, false)
  assert.equal(loadConfig({}, { host: 'localhost' }).production, false)
  assert.equal(loadConfig({ CLOUDPARTNER_PRODUCTION: '1' }).production, true)
})

test('a bad setting stops start-up with a message naming it', () => {
  const cases: [NodeJS.ProcessEnv, Record<string, string>, RegExp][] = [
    [{}, { port: '99999' }, /--port \/ CLOUDPARTNER_PORT/],
    [{}, { port: 'eighty' }, /--port/],
    [{ CLOUDPARTNER_LOG_LEVEL: 'loud' }, {}, /--log-level \/ CLOUDPARTNER_LOG_LEVEL/],
    [{ CLOUDPARTNER_EXTERNAL_ISSUERS: '{not json' }, {}, /CLOUDPARTNER_EXTERNAL_ISSUERS: not valid JSON/],
    [{ CLOUDPARTNER_EXTERNAL_ISSUERS: '[{"issuer":"x"}]' }, {}, /--external-issuers/],
    [{ CLOUDPARTNER_TOKEN_LIFETIME: '5' }, {}, /--token-lifetime/],
    [{ CLOUDPARTNER_MASTER_KEY: 'c2hvcnQ=' }, {}, /CLOUDPARTNER_MASTER_KEY: must be 32 bytes/],
  ]
  for (const [env, flags, message] of cases) {
    assert.throws(
      () => loadConfig(env, flags),
      (error: unknown) => error instanceof ConfigError && message.test(error.message),
    )
  }
})

test('a bad master key is never echoed in the message', () => {
  const secretish = Buffer.alloc(31, 7).toString('base64')
  assert.throws(
    () => loadConfig({ CLOUDPARTNER_MASTER_KEY: secretish }),
    (error: unknown) => error instanceof ConfigError && !error.message.includes(secretish),
  )
})

test('the offer answer cache: 16 MB by default, any size from 0 (none) to 4096, nothing else', () => {
  assert.equal(loadConfig({}).offerCacheMb, 16)
  assert.equal(loadConfig({ CLOUDPARTNER_OFFER_CACHE_MB: '0' }).offerCacheMb, 0)
  assert.equal(loadConfig({}, { 'offer-cache-mb': '64' }).offerCacheMb, 64)
  for (const bad of ['-1', '5000', 'lots']) {
    assert.throws(() => loadConfig({ CLOUDPARTNER_OFFER_CACHE_MB: bad }), ConfigError, bad)
  }
})

test('the settings logged at start-up mask the master key and the database password', () => {
  const config = loadConfig({
    CLOUDPARTNER_MASTER_KEY: Buffer.alloc(32, 7).toString('base64'),
    CLOUDPARTNER_DATABASE_URL: 'postgres://cp:s3cret@db.internal:5432/cp?sslpassword=also',
  })
  const described = describeSettings(config)
  assert.equal(described.masterKey, '(set)')
  assert.equal(described.databaseUrl, 'postgres://cp:***@db.internal:5432/cp?sslpassword=***')
  assert.doesNotMatch(JSON.stringify(described), /s3cret|also|BwcH/)
})

test('tracing is on only with an OTLP endpoint, and only over HTTP', () => {
  assert.equal(loadConfig({}).tracing, undefined)
  assert.deepEqual(loadConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318/' }).tracing, {
    endpoint: 'http://collector:4318/v1/traces',
    protocol: 'http/protobuf',
    serviceName: 'cloudpartner',
    sampler: 'parentbased_always_on',
    samplerRatio: 1,
  })
  const disabled = { OTEL_EXPORTER_OTLP_ENDPOINT: 'http://c:4318', OTEL_SDK_DISABLED: 'true' }
  assert.equal(loadConfig(disabled).tracing, undefined)
  assert.equal(
    loadConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://c:4318', OTEL_TRACES_EXPORTER: 'none' }).tracing,
    undefined,
  )
  assert.throws(
    () => loadConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://c:4317', OTEL_EXPORTER_OTLP_PROTOCOL: 'grpc' }),
    /OTEL_EXPORTER_OTLP_PROTOCOL: 'grpc' is not supported/,
  )
})
