import { isIP } from 'node:net'
import { join } from 'node:path'
import { type Static, Type } from 'typebox'
import { Value } from 'typebox/value'
import { PUBLISH_PROFILES, SUCCESS_WORDS } from './operations/operation.ts'

/**
 * Every setting of the server and the CLI: one schema, one loader, called once at start-up.
 * Each setting can be given as a command-line flag or an environment variable; flags win.
 */
export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const
/** What a PUT that creates an offer answers: real clients need 200, the reference documents 201. */
export const PUT_CREATE_STATUSES = [200, 201] as const

export const ExternalIssuerSchema = Type.Object(
  {
    issuer: Type.String({
      minLength: 1,
      description: "The token's exact `iss`, e.g. https://sts.windows.net/{tenant}/",
    }),
    jwksUri: Type.String({
      minLength: 1,
      description: 'Where the issuer publishes its signing keys (JWKS).',
    }),
  },
  { additionalProperties: false },
)

export const ConfigSchema = Type.Object({
  host: Type.String({ minLength: 1, default: '127.0.0.1', description: 'Address to listen on.' }),
  port: Type.Integer({
    minimum: 0,
    maximum: 65535,
    default: 8080,
    description: 'Port to listen on (0: any free port).',
  }),
  dataDir: Type.String({
    minLength: 1,
    default: './data',
    description: 'Directory of the embedded SQLite store.',
  }),
  inMemory: Type.Boolean({
    default: false,
    description: 'Keep everything in memory; nothing survives a restart.',
  }),
  logLevel: Type.Enum(LOG_LEVELS, { default: 'info', description: 'Log level.' }),
  production: Type.Boolean({
    default: false,
    description: 'Production mode: never create or accept the well-known development credentials.',
  }),
  skipApiVersionCheck: Type.Boolean({ default: false, description: 'Accept any or no api-version.' }),
  tokenLifetimeSeconds: Type.Integer({
    minimum: 60,
    maximum: 86_400,
    default: 3599,
    description: 'Lifetime of the access tokens the token service issues.',
  }),
  externalIssuers: Type.Array(ExternalIssuerSchema, {
    default: [],
    description: 'Azure AD tenants whose tokens are also accepted, as a JSON array of {issuer, jwksUri}.',
  }),
  masterKey: Type.Optional(
    Type.String({ minLength: 1, description: 'Base64 key (32 bytes) that encrypts signing keys at rest.' }),
  ),
  httpsPort: Type.Optional(
    Type.Integer({
      minimum: 0,
      maximum: 65535,
      description:
        'Also serve HTTPS on this port (0: any free port), with --tls-cert or the certificate of --ca-dir.',
    }),
  ),
  tlsCert: Type.Optional(
    Type.String({
      minLength: 1,
      description: 'PEM server certificate (chain) for HTTPS and the proxy. Default: server.pem in --ca-dir.',
    }),
  ),
  tlsKey: Type.Optional(
    Type.String({
      minLength: 1,
      description: 'PEM private key of --tls-cert. Default: server-key.pem in --ca-dir.',
    }),
  ),
  caDir: Type.Optional(
    Type.String({
      minLength: 1,
      description:
        'Where `cloudpartner cert` keeps the local CA and the server certificate. Default: tls in --data-dir.',
    }),
  ),
  proxy: Type.Boolean({
    default: false,
    description:
      'Proxy mode: --port also answers CONNECT (HTTPS_PROXY) for the Microsoft host names, itself; every other destination is refused.',
  }),
  databaseUrl: Type.Optional(
    Type.String({
      pattern: '^postgres(ql)?://',
      description:
        'PostgreSQL connection URL (postgres://user:password@host:5432/db); unset: the embedded SQLite store.',
    }),
  ),
  databasePoolSize: Type.Integer({
    minimum: 1,
    maximum: 200,
    default: 10,
    description: 'PostgreSQL connections per server process.',
  }),
  databaseStatementTimeoutMs: Type.Integer({
    minimum: 100,
    maximum: 600_000,
    default: 10_000,
    description: 'PostgreSQL statement timeout in milliseconds.',
  }),
  putCreateStatus: Type.Enum(PUT_CREATE_STATUSES, {
    default: 200,
    description:
      'Status of a PUT that creates an offer: 200 (what real clients require) or 201 (what the reference documents).',
  }),
  looseIfMatch: Type.Boolean({
    default: true,
    description:
      'A PUT of an existing offer without If-Match is last-one-wins (what az-partner-center-cli, Chef and ansible need); --no-loose-if-match answers 409 InvalidResourceId, as seen once in 2020.',
  }),
  offerCacheMb: Type.Integer({
    minimum: 0,
    maximum: 4096,
    default: 16,
    description:
      'Megabytes of rendered Retrieve-an-offer answers kept per process, checked against the offer on every request; 0 keeps none.',
  }),
  publishProfile: Type.Enum(PUBLISH_PROFILES, {
    default: 'quick',
    description:
      'How publishing steps run: quick (0.5 s per step: a client sees the operation running, a VM offer is live in under 3 s), instant (a phase settles in the request that starts it), realistic (the documented durations times --publish-time-scale) or manual (advanced with `cloudpartner operations advance`).',
  }),
  publishTimeScale: Type.Number({
    exclusiveMinimum: 0,
    maximum: 1000,
    default: 0.001,
    description:
      'Factor on the documented step durations in the realistic profile (0.001: a 3-day step takes ~4 min).',
  }),
  operationSuccessStatus: Type.Enum(SUCCESS_WORDS, {
    default: 'succeeded',
    description:
      "The `status` of an operation that has done its work: succeeded (Garden Linux glci, 2023-24), complete (what SUSE mash waited for) or completed (the reference's table).",
  }),
  submissionSuccessState: Type.Enum(SUCCESS_WORDS, {
    default: 'succeeded',
    description:
      'The `submissionState` of such an operation in the submissions list (glci accepts completed or succeeded).',
  }),
  strictContentType: Type.Boolean({
    default: false,
    description:
      'Answer 415 to an API request body not labelled JSON, instead of reading it as JSON when it is JSON (what `curl -d @offer.json` sends).',
  }),
  strictCancel: Type.Boolean({
    default: false,
    description:
      'Answer 409 OperationNotCancelable to a cancel with nothing to cancel, instead of 202 naming the latest operation unchanged (what the real service did).',
  }),
  stepNameAsId: Type.Boolean({
    default: false,
    description:
      "Give every step the stepName of its id (publisher-signoff, …): SUSE's client looks the sign-off step up by stepName == 'publisher-signoff'.",
  }),
  adminApi: Type.Boolean({
    default: false,
    description:
      'Serve the /admin endpoints (step control, failure injection, outbox) in production mode too; development mode always serves them.',
  }),
})

export type Config = Readonly<Omit<Static<typeof ConfigSchema>, 'externalIssuers' | 'caDir'>> & {
  readonly externalIssuers: readonly Static<typeof ExternalIssuerSchema>[]
  /** Always set: --ca-dir, or tls in the data directory. */
  readonly caDir: string
}
export type ConfigKey = keyof Static<typeof ConfigSchema>

/** How each setting is spelled on the command line and in the environment. */
export const SETTINGS: Readonly<
  Record<ConfigKey, { flag?: string; env: string; kind: 'string' | 'boolean' | 'json' }>
> = {
  host: { flag: 'host', env: 'CLOUDPARTNER_HOST', kind: 'string' },
  port: { flag: 'port', env: 'CLOUDPARTNER_PORT', kind: 'string' },
  dataDir: { flag: 'data-dir', env: 'CLOUDPARTNER_DATA_DIR', kind: 'string' },
  inMemory: { flag: 'in-memory', env: 'CLOUDPARTNER_IN_MEMORY', kind: 'boolean' },
  logLevel: { flag: 'log-level', env: 'CLOUDPARTNER_LOG_LEVEL', kind: 'string' },
  production: { flag: 'production', env: 'CLOUDPARTNER_PRODUCTION', kind: 'boolean' },
  skipApiVersionCheck: {
    flag: 'skip-api-version-check',
    env: 'CLOUDPARTNER_SKIP_API_VERSION_CHECK',
    kind: 'boolean',
  },
  tokenLifetimeSeconds: { flag: 'token-lifetime', env: 'CLOUDPARTNER_TOKEN_LIFETIME', kind: 'string' },
  externalIssuers: { flag: 'external-issuers', env: 'CLOUDPARTNER_EXTERNAL_ISSUERS', kind: 'json' },
  // A secret: never a flag, so that it does not show in `ps` or shell history.
  masterKey: { env: 'CLOUDPARTNER_MASTER_KEY', kind: 'string' },
  httpsPort: { flag: 'https-port', env: 'CLOUDPARTNER_HTTPS_PORT', kind: 'string' },
  tlsCert: { flag: 'tls-cert', env: 'CLOUDPARTNER_TLS_CERT', kind: 'string' },
  tlsKey: { flag: 'tls-key', env: 'CLOUDPARTNER_TLS_KEY', kind: 'string' },
  caDir: { flag: 'ca-dir', env: 'CLOUDPARTNER_CA_DIR', kind: 'string' },
  proxy: { flag: 'proxy', env: 'CLOUDPARTNER_PROXY', kind: 'boolean' },
  databaseUrl: { flag: 'database-url', env: 'CLOUDPARTNER_DATABASE_URL', kind: 'string' },
  databasePoolSize: { flag: 'database-pool-size', env: 'CLOUDPARTNER_DATABASE_POOL_SIZE', kind: 'string' },
  databaseStatementTimeoutMs: {
    flag: 'database-statement-timeout',
    env: 'CLOUDPARTNER_DATABASE_STATEMENT_TIMEOUT',
    kind: 'string',
  },
  putCreateStatus: { flag: 'put-create-status', env: 'CLOUDPARTNER_PUT_CREATE_STATUS', kind: 'string' },
  looseIfMatch: { flag: 'loose-if-match', env: 'CLOUDPARTNER_LOOSE_IF_MATCH', kind: 'boolean' },
  offerCacheMb: { flag: 'offer-cache-mb', env: 'CLOUDPARTNER_OFFER_CACHE_MB', kind: 'string' },
  publishProfile: { flag: 'publish-profile', env: 'CLOUDPARTNER_PUBLISH_PROFILE', kind: 'string' },
  publishTimeScale: { flag: 'publish-time-scale', env: 'CLOUDPARTNER_PUBLISH_TIME_SCALE', kind: 'string' },
  operationSuccessStatus: {
    flag: 'operation-success-status',
    env: 'CLOUDPARTNER_OPERATION_SUCCESS_STATUS',
    kind: 'string',
  },
  submissionSuccessState: {
    flag: 'submission-success-state',
    env: 'CLOUDPARTNER_SUBMISSION_SUCCESS_STATE',
    kind: 'string',
  },
  strictContentType: {
    flag: 'strict-content-type',
    env: 'CLOUDPARTNER_STRICT_CONTENT_TYPE',
    kind: 'boolean',
  },
  strictCancel: { flag: 'strict-cancel', env: 'CLOUDPARTNER_STRICT_CANCEL', kind: 'boolean' },
  adminApi: { flag: 'admin-api', env: 'CLOUDPARTNER_ADMIN_API', kind: 'boolean' },
  stepNameAsId: { flag: 'step-name-as-id', env: 'CLOUDPARTNER_STEP_NAME_AS_ID', kind: 'boolean' },
}

/** Settings whose values must never appear in a message (they are, or may contain, secrets). */
const SECRET_SETTINGS: readonly ConfigKey[] = ['masterKey', 'databaseUrl']

export class ConfigError extends Error {
  readonly setting: ConfigKey
  constructor(setting: ConfigKey, problem: string) {
    const spelling = SETTINGS[setting]
    const names = [spelling.flag ? `--${spelling.flag}` : undefined, spelling.env].filter(Boolean).join(' / ')
    super(`Invalid setting ${names}: ${problem}`)
    this.name = 'ConfigError'
    this.setting = setting
  }
}

export type Flags = Readonly<Record<string, string | boolean | undefined>>

export function loadConfig(env: NodeJS.ProcessEnv, flags: Flags = {}): Config {
  const raw: Record<string, unknown> = {}
  for (const [key, spelling] of Object.entries(SETTINGS) as [ConfigKey, (typeof SETTINGS)[ConfigKey]][]) {
    const fromFlag = spelling.flag === undefined ? undefined : flags[spelling.flag]
    const value = fromFlag ?? env[spelling.env]
    if (value === undefined || value === '') continue
    raw[key] = spelling.kind === 'json' && typeof value === 'string' ? parseJson(key, value) : value
  }
  const config = Value.Default(ConfigSchema, Value.Convert(ConfigSchema, raw)) as Static<typeof ConfigSchema>
  const [first] = Value.Errors(ConfigSchema, config)
  if (first) {
    const key = first.instancePath.split('/')[1] as ConfigKey | undefined
    if (key === undefined) throw new Error(`Invalid configuration: ${first.message}`)
    const shown = SECRET_SETTINGS.includes(key) ? '(hidden)' : JSON.stringify(raw[key])
    throw new ConfigError(
      key,
      `${shown} ${first.message}${first.instancePath.split('/').length > 2 ? ` at ${first.instancePath}` : ''}`,
    )
  }
  checkMasterKey(config.masterKey)
  if (config.databaseUrl !== undefined && config.masterKey === undefined) {
    // Every replica must open the signing keys the others sealed; a key file per machine cannot do that.
    throw new ConfigError(
      'masterKey',
      'is required with --database-url / CLOUDPARTNER_DATABASE_URL (the same on every replica)',
    )
  }
  // Binding beyond loopback means other machines can reach us: never with well-known credentials.
  const production = config.production || !isLoopback(config.host)
  checkTlsSettings(config)
  return Object.freeze({
    ...config,
    production,
    externalIssuers: Object.freeze(config.externalIssuers),
    caDir: config.caDir ?? join(config.dataDir, 'tls'),
  })
}

function parseJson(key: ConfigKey, value: string): unknown {
  try {
    return JSON.parse(value)
  } catch (error) {
    throw new ConfigError(key, `not valid JSON (${(error as Error).message})`)
  }
}

/** What the schema cannot say: pairs of settings. Whether the files can be read is checked at start-up. */
function checkTlsSettings(config: Static<typeof ConfigSchema>): void {
  if (config.tlsCert !== undefined && config.tlsKey === undefined)
    throw new ConfigError('tlsKey', 'is required with --tls-cert / CLOUDPARTNER_TLS_CERT')
  if (config.tlsKey !== undefined && config.tlsCert === undefined)
    throw new ConfigError('tlsCert', 'is required with --tls-key / CLOUDPARTNER_TLS_KEY')
  if (config.tlsCert !== undefined && config.httpsPort === undefined && !config.proxy)
    throw new ConfigError(
      'tlsCert',
      'has no effect without --https-port or --proxy (--port always serves plain HTTP)',
    )
  if (config.httpsPort !== undefined && config.httpsPort !== 0 && config.httpsPort === config.port)
    throw new ConfigError('httpsPort', `must differ from --port (${config.port}), which serves plain HTTP`)
}

function checkMasterKey(masterKey: string | undefined): void {
  if (masterKey === undefined) return
  if (Buffer.from(masterKey, 'base64').length !== 32) {
    throw new ConfigError('masterKey', 'must be 32 bytes encoded in base64 (e.g. `openssl rand -base64 32`)')
  }
}

export function isLoopback(host: string): boolean {
  if (host === 'localhost') return true
  if (isIP(host) === 4) return host.startsWith('127.')
  if (isIP(host) === 6) return host === '::1'
  return false
}
