import { Type } from 'typebox'

/**
 * Every setting of the server and the CLI: one schema, one loader, called once at start-up.
 * Each setting can be given as a command-line flag or an environment variable; flags win.
 */
export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const
/** What a PUT that creates an offer answers: real clients need 200, the reference documents 201. */
export const PUT_CREATE_STATUSES = [200, 201] as const

/**
 * The word an operation reports when it has done its work. The reference and its clients disagree
 * (Appendix A, conflict 1): SUSE mash waits for `complete`, Garden Linux glci for `succeeded`, the
 * documentation's table says `completed`. Configurable; see docs/compatibility.md.
 */
export const SUCCESS_WORDS = ['complete', 'completed', 'succeeded'] as const
export type SuccessWord = (typeof SUCCESS_WORDS)[number]

/** How fast steps run: chosen when an operation is created and kept with it (see operation-timing.ts). */
export const PUBLISH_PROFILES = ['quick', 'instant', 'realistic', 'manual'] as const
export type PublishProfile = (typeof PUBLISH_PROFILES)[number]

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
    default: 5_000,
    description:
      'PostgreSQL statement timeout in milliseconds: the server cancels a longer statement, and the client gives up 1 s later on a database that does not answer at all (503).',
  }),
  maxBodyBytes: Type.Integer({
    minimum: 1024,
    maximum: 256 * 1024 * 1024,
    default: 1024 * 1024,
    description: 'Largest API request body, in bytes (413 beyond).',
  }),
  maxTokenBodyBytes: Type.Integer({
    minimum: 1024,
    maximum: 16 * 1024 * 1024,
    default: 64 * 1024,
    description: 'Largest body of a token request, in bytes (invalid_request beyond).',
  }),
  maxJsonDepth: Type.Integer({
    minimum: 4,
    maximum: 1000,
    default: 32,
    description: 'Deepest nesting of objects and arrays in a JSON body (400 beyond).',
  }),
  maxJsonValues: Type.Integer({
    minimum: 100,
    maximum: 10_000_000,
    default: 100_000,
    description:
      'Most values (objects, arrays, strings, numbers, literals) in a JSON body (413 beyond): it bounds the memory a body costs once parsed.',
  }),
  maxArrayItems: Type.Integer({
    minimum: 10,
    maximum: 1_000_000,
    default: 5_000,
    description: 'Most items in any one array of a JSON body: images, categories, … (400 beyond).',
  }),
  maxObjectKeys: Type.Integer({
    minimum: 10,
    maximum: 1_000_000,
    default: 1_000,
    description: 'Most keys in any one object of a JSON body (400 beyond).',
  }),
  maxStringLength: Type.Integer({
    minimum: 256,
    maximum: 64 * 1024 * 1024,
    default: 256 * 1024,
    description: 'Longest string (or key) in a JSON body, in characters as sent (400 beyond).',
  }),
  maxPlans: Type.Integer({
    minimum: 1,
    maximum: 100_000,
    default: 1_000,
    description: 'Most plans in one offer (400 beyond, before the offer is validated).',
  }),
  requestTimeoutMs: Type.Integer({
    minimum: 1_000,
    maximum: 3_600_000,
    default: 30_000,
    description:
      'Time a client has to send a whole request, headers and body (408 beyond): a body that trickles is cut.',
  }),
  headersTimeoutMs: Type.Integer({
    minimum: 1_000,
    maximum: 600_000,
    default: 10_000,
    description: 'Time a client has to send the request line and headers (408 beyond).',
  }),
  keepAliveTimeoutMs: Type.Integer({
    minimum: 1_000,
    maximum: 600_000,
    default: 72_000,
    description:
      'How long an idle connection stays open, between requests or while its client reads nothing of an answer being sent: longer than the idle timeout of a load balancer in front (60 s on most), or it would reuse connections the server has closed.',
  }),
  handlerTimeoutMs: Type.Integer({
    minimum: 1_000,
    maximum: 3_600_000,
    default: 60_000,
    description:
      'Time the server gives itself to start answering one request, from its arrival (503 ServiceUnavailable beyond). A client reading a long answer slowly is not cut: the request, header and keep-alive timeouts bound clients.',
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
      'Megabytes of rendered Retrieve-an-offer answers kept per process, checked against the offer on every request, and as many of Retrieve-offers (list) answers, checked against the namespace; 0 keeps none.',
  }),
  auditRetentionDays: Type.Integer({
    minimum: 0,
    maximum: 36_500,
    default: 365,
    description:
      'Days the audit trail keeps a record of a change; the server deletes older ones at start and every hour. 0 keeps every record.',
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
  tokenRateLimit: Type.Integer({
    minimum: 0,
    default: 300,
    description:
      'Token requests a minute per client id, and again per source address, before 429 (0: no limit). Wrong secrets also back off (docs/throttling.md).',
  }),
  apiRateLimit: Type.Optional(
    Type.Integer({
      minimum: 0,
      description:
        'API requests a minute per principal before 429 TooManyRequests (0: no limit). Default: none in development, 1200 in production mode.',
    }),
  ),
  metrics: Type.Boolean({
    default: true,
    description:
      'Collect Prometheus metrics (--no-metrics: none, and no cost). Served at /metrics on the API port in development mode, on --metrics-port in any mode.',
  }),
  metricsPort: Type.Optional(
    Type.Integer({
      minimum: 0,
      maximum: 65535,
      description:
        'Serve GET /metrics on this port too (0: any free port), without a token: a port only the scraper reaches. The only way to scrape a production server.',
    }),
  ),
  metricsHost: Type.Optional(
    Type.String({ minLength: 1, description: 'Address of --metrics-port. Default: --host.' }),
  ),
  liveUpdateIntervalMs: Type.Integer({
    minimum: 50,
    maximum: 60_000,
    default: 1000,
    description:
      "How often the portal's live pages look for publishing changes made by another process (the CLI, another replica): one indexed read per offer watched. Changes made through this process are shown at once.",
  }),
  liveHeartbeatSeconds: Type.Integer({
    minimum: 1,
    maximum: 300,
    default: 15,
    description:
      "Seconds between the heartbeats of the portal's server-sent event streams when nothing changes: shorter than the idle timeout of any proxy in front, which would otherwise cut a quiet stream.",
  }),
  adminApi: Type.Boolean({
    default: false,
    description:
      'Serve the /admin endpoints (step control, failure injection, outbox) in production mode too; development mode always serves them.',
  }),
})
