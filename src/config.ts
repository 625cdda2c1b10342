import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import type { Static } from 'typebox'
import { Value } from 'typebox/value'
import { ConfigSchema, type ExternalIssuerSchema } from './config.schema.ts'
import { isLoopbackHost } from './loopback.ts'
import { type TracingSettings, tracingSettingsFrom } from './tracing-settings.ts'

/**
 * The loader of every setting of the server and the CLI (the settings themselves are in
 * config.schema.ts): flags, then the environment, then the defaults; called once at start-up.
 */

export type Config = Readonly<
  Omit<Static<typeof ConfigSchema>, 'externalIssuers' | 'caDir' | 'apiRateLimit'>
> & {
  /** Always set: --api-rate-limit, or the default of the mode. */
  readonly apiRateLimit: number
  readonly externalIssuers: readonly Static<typeof ExternalIssuerSchema>[]
  /** Always set: --ca-dir, or tls in the data directory. */
  readonly caDir: string
  /** OpenTelemetry export, from the standard OTEL_* variables; undefined: tracing off. */
  readonly tracing?: TracingSettings
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
  maxBodyBytes: { flag: 'max-body-bytes', env: 'CLOUDPARTNER_MAX_BODY_BYTES', kind: 'string' },
  maxTokenBodyBytes: {
    flag: 'max-token-body-bytes',
    env: 'CLOUDPARTNER_MAX_TOKEN_BODY_BYTES',
    kind: 'string',
  },
  maxJsonDepth: { flag: 'max-json-depth', env: 'CLOUDPARTNER_MAX_JSON_DEPTH', kind: 'string' },
  maxJsonValues: { flag: 'max-json-values', env: 'CLOUDPARTNER_MAX_JSON_VALUES', kind: 'string' },
  maxArrayItems: { flag: 'max-array-items', env: 'CLOUDPARTNER_MAX_ARRAY_ITEMS', kind: 'string' },
  maxObjectKeys: { flag: 'max-object-keys', env: 'CLOUDPARTNER_MAX_OBJECT_KEYS', kind: 'string' },
  maxStringLength: { flag: 'max-string-length', env: 'CLOUDPARTNER_MAX_STRING_LENGTH', kind: 'string' },
  maxPlans: { flag: 'max-plans', env: 'CLOUDPARTNER_MAX_PLANS', kind: 'string' },
  requestTimeoutMs: { flag: 'request-timeout', env: 'CLOUDPARTNER_REQUEST_TIMEOUT', kind: 'string' },
  headersTimeoutMs: { flag: 'headers-timeout', env: 'CLOUDPARTNER_HEADERS_TIMEOUT', kind: 'string' },
  keepAliveTimeoutMs: { flag: 'keep-alive-timeout', env: 'CLOUDPARTNER_KEEP_ALIVE_TIMEOUT', kind: 'string' },
  handlerTimeoutMs: { flag: 'handler-timeout', env: 'CLOUDPARTNER_HANDLER_TIMEOUT', kind: 'string' },
  putCreateStatus: { flag: 'put-create-status', env: 'CLOUDPARTNER_PUT_CREATE_STATUS', kind: 'string' },
  looseIfMatch: { flag: 'loose-if-match', env: 'CLOUDPARTNER_LOOSE_IF_MATCH', kind: 'boolean' },
  offerCacheMb: { flag: 'offer-cache-mb', env: 'CLOUDPARTNER_OFFER_CACHE_MB', kind: 'string' },
  auditRetentionDays: {
    flag: 'audit-retention-days',
    env: 'CLOUDPARTNER_AUDIT_RETENTION_DAYS',
    kind: 'string',
  },
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
  liveUpdateIntervalMs: {
    flag: 'live-update-interval',
    env: 'CLOUDPARTNER_LIVE_UPDATE_INTERVAL',
    kind: 'string',
  },
  liveHeartbeatSeconds: { flag: 'live-heartbeat', env: 'CLOUDPARTNER_LIVE_HEARTBEAT', kind: 'string' },
  adminApi: { flag: 'admin-api', env: 'CLOUDPARTNER_ADMIN_API', kind: 'boolean' },
  stepNameAsId: { flag: 'step-name-as-id', env: 'CLOUDPARTNER_STEP_NAME_AS_ID', kind: 'boolean' },
  tokenRateLimit: { flag: 'token-rate-limit', env: 'CLOUDPARTNER_TOKEN_RATE_LIMIT', kind: 'string' },
  apiRateLimit: { flag: 'api-rate-limit', env: 'CLOUDPARTNER_API_RATE_LIMIT', kind: 'string' },
  metrics: { flag: 'metrics', env: 'CLOUDPARTNER_METRICS', kind: 'boolean' },
  metricsPort: { flag: 'metrics-port', env: 'CLOUDPARTNER_METRICS_PORT', kind: 'string' },
  metricsHost: { flag: 'metrics-host', env: 'CLOUDPARTNER_METRICS_HOST', kind: 'string' },
}

/** Requests a minute per principal in production mode unless set: generous for a CI pipeline, not for a flood. */
const PRODUCTION_API_RATE_LIMIT = 1200

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

/** How a message names the setting that set a limit: `(limit: --max-plans / CLOUDPARTNER_MAX_PLANS)`. */
export function limitHint(key: ConfigKey): string {
  const { flag, env } = SETTINGS[key]
  return `(limit: ${flag === undefined ? env : `--${flag} / ${env}`})`
}

export function loadConfig(given: NodeJS.ProcessEnv, flags: Flags = {}): Config {
  const env = withSecretFiles(given)
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
  const production = config.production || !isLoopbackHost(config.host)
  checkTlsSettings(config)
  if (config.metricsPort !== undefined && config.metricsPort !== 0 && config.metricsPort === config.port)
    throw new ConfigError('metricsPort', `must differ from --port (${config.port}), which serves the API`)
  const tracing = tracingSettingsFrom(env)
  return Object.freeze({
    ...config,
    production,
    apiRateLimit: config.apiRateLimit ?? (production ? PRODUCTION_API_RATE_LIMIT : 0),
    externalIssuers: Object.freeze(config.externalIssuers),
    caDir: config.caDir ?? join(config.dataDir, 'tls'),
    ...(tracing ? { tracing } : {}),
  })
}

/**
 * The settings in effect, for the start-up log line: secrets masked (the master key shows only
 * whether it is set; a database URL loses its password).
 */
export function describeSettings(config: Config): Record<string, unknown> {
  const described: Record<string, unknown> = { ...config }
  if (config.masterKey !== undefined) described.masterKey = '(set)'
  if (config.databaseUrl !== undefined) described.databaseUrl = maskUrlPassword(config.databaseUrl)
  return described
}

function maskUrlPassword(url: string): string {
  try {
    const parsed = new URL(url)
    if (parsed.password !== '') parsed.password = '***'
    for (const key of [...parsed.searchParams.keys()])
      if (/pass|secret|key/i.test(key)) parsed.searchParams.set(key, '***')
    return parsed.toString()
  } catch {
    return '(set)'
  }
}

/**
 * Secrets from files, as container platforms hand them over (compose and Kubernetes secrets are
 * files under /run/secrets): CLOUDPARTNER_MASTER_KEY_FILE and CLOUDPARTNER_DATABASE_URL_FILE name a
 * file whose content (without its trailing newline) is the setting. A value in the environment
 * itself wins, as a flag wins over the environment; a file that cannot be read is an error that
 * names the variable, never the content.
 */
const SECRET_FILE_VARIABLES = ['CLOUDPARTNER_MASTER_KEY', 'CLOUDPARTNER_DATABASE_URL'] as const

function withSecretFiles(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const sourced: NodeJS.ProcessEnv = { ...env }
  for (const name of SECRET_FILE_VARIABLES) {
    const path = env[`${name}_FILE`]
    if (path === undefined || path === '' || (env[name] ?? '') !== '') continue
    try {
      sourced[name] = readFileSync(path, 'utf8').replace(/\r?\n$/, '')
    } catch (error) {
      throw new Error(
        `Cannot read ${name}_FILE (${path}): ${(error as NodeJS.ErrnoException).code ?? error}`,
        {
          cause: error,
        },
      )
    }
  }
  return sourced
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
