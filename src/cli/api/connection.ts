import { DEVELOPMENT_CREDENTIALS } from '../../auth/development-credentials.ts'
import { isLoopbackHost } from '../../loopback.ts'
import type { CloudPartnerClientOptions, Credential, RetryEvent } from '../../sdk/index.ts'
import { DEFAULT_API_VERSION, DEFAULT_AUTHORITY } from '../../sdk/index.ts'
import { UsageError } from '../cli-errors.ts'
import type { CliIo } from '../cli-io.ts'
import type { CommandOptions } from '../command.ts'
import { type LoadedProfile, loadProfile, profilesPath } from './profiles.ts'

/** The flags every command that calls the API takes, for parseArgs. */
export const CONNECTION_OPTIONS = {
  endpoint: { type: 'string', complete: 'text' },
  authority: { type: 'string', complete: 'text' },
  tenant: { type: 'string', complete: 'text' },
  'client-id': { type: 'string', complete: 'text' },
  'client-secret': { type: 'string', complete: 'text' },
  token: { type: 'string', complete: 'text' },
  profile: { type: 'string', complete: 'profile' },
  'api-version': { type: 'string', complete: [DEFAULT_API_VERSION] },
  verbose: { type: 'boolean' },
} as const satisfies CommandOptions

export const DEFAULT_LOCAL_ENDPOINT = 'http://127.0.0.1:8080'

export function connectionHelp(): string[] {
  return [
    'Connection (a flag wins over its environment variable, which wins over the profile):',
    '  --endpoint <url>                Base URL of the API. Env: CLOUDPARTNER_ENDPOINT.',
    `                                  Default: ${DEFAULT_LOCAL_ENDPOINT} (this server, as npm start runs it).`,
    '  --authority <url>               Token service. Env: CLOUDPARTNER_AUTHORITY. Default: the endpoint',
    `                                  itself, or ${DEFAULT_AUTHORITY} for cloudpartner.azure.com.`,
    '  --tenant <id>                   Directory (tenant) id. Env: CLOUDPARTNER_TENANT_ID.',
    '  --client-id <id>                Application (client) id. Env: CLOUDPARTNER_CLIENT_ID.',
    '  --client-secret <secret>        Prefer the environment: CLOUDPARTNER_CLIENT_SECRET.',
    '  --token <token>                 A ready bearer token instead. Env: CLOUDPARTNER_TOKEN.',
    '  --profile <name>                A profile of the profiles file. Env: CLOUDPARTNER_PROFILE.',
    '                                  File: $CLOUDPARTNER_PROFILES, else ~/.config/cloudpartner/profiles.json.',
    `  --api-version <version>         Default: ${DEFAULT_API_VERSION}.`,
    '  --verbose                       Say where the calls go (never secrets) and each retry, on stderr.',
    'With no credentials at all and a loopback endpoint, the development credentials are used.',
  ]
}

type Values = Readonly<Record<string, unknown>>

/** How the client was set up, for --verbose and for hints; never holds a secret. */
export interface ConnectionSummary {
  readonly endpoint: string
  readonly apiVersion: string
  readonly profile: string | undefined
  readonly credential:
    | { readonly kind: 'token'; readonly source: string }
    | {
        readonly kind: 'client-credentials'
        readonly authority: string
        readonly tenantId: string
        readonly clientId: string
        readonly secretSource: string
        readonly development: boolean
      }
}

export interface Connection {
  readonly options: CloudPartnerClientOptions
  readonly summary: ConnectionSummary
}

/** Settles endpoint and credentials from flags, environment and profile, and says what it chose. */
export function resolveConnection(io: CliIo, values: Values): Connection {
  const env = io.env
  const loaded = loadProfile(env, flag(values, 'profile') ?? nonEmpty(env.CLOUDPARTNER_PROFILE))
  if (loaded?.secretExposed) {
    io.err(
      `Note: ${loaded.path} holds a client secret and others may read it: chmod 600 it, or use clientSecretEnv.\n`,
    )
  }
  const profile = loaded?.profile ?? {}
  const endpoint = checkUrl(
    'endpoint',
    flag(values, 'endpoint') ??
      nonEmpty(env.CLOUDPARTNER_ENDPOINT) ??
      profile.endpoint ??
      DEFAULT_LOCAL_ENDPOINT,
  )
  const apiVersion = flag(values, 'api-version') ?? profile.apiVersion ?? DEFAULT_API_VERSION
  const credential = resolveCredential(values, env, loaded, endpoint)
  const summary: ConnectionSummary = {
    endpoint,
    apiVersion,
    profile: loaded?.name,
    credential: credential.summary,
  }
  const options: CloudPartnerClientOptions = {
    endpoint,
    apiVersion,
    credential: credential.credential,
    userAgent: 'cloudpartner-cli',
    ...(values.verbose === true
      ? { retry: { onRetry: (event: RetryEvent) => io.err(describeRetry(event)) } }
      : {}),
  }
  if (values.verbose === true) io.err(describeConnection(summary))
  return { options, summary }
}

function resolveCredential(
  values: Values,
  env: NodeJS.ProcessEnv,
  loaded: LoadedProfile | undefined,
  endpoint: string,
): { credential: Credential; summary: ConnectionSummary['credential'] } {
  const profile = loaded?.profile ?? {}
  const clientFlags = ['tenant', 'client-id', 'client-secret'].some(
    (name) => flag(values, name) !== undefined,
  )
  const flagToken = flag(values, 'token')
  const envToken = nonEmpty(env.CLOUDPARTNER_TOKEN)
  if (flagToken !== undefined) return tokenCredential(flagToken, '--token')
  if (envToken !== undefined && !clientFlags) return tokenCredential(envToken, 'CLOUDPARTNER_TOKEN')

  const pick = (
    flagName: string,
    envName: string,
    profileValue: string | undefined,
    profileSource: string,
  ) => {
    const fromFlag = flag(values, flagName)
    if (fromFlag !== undefined) return { value: fromFlag, source: `--${flagName}` }
    const fromEnv = nonEmpty(env[envName])
    if (fromEnv !== undefined) return { value: fromEnv, source: envName }
    if (profileValue !== undefined) return { value: profileValue, source: profileSource }
    return undefined
  }
  const where = loaded ? `profile '${loaded.name}'` : 'profile'
  const tenant = pick('tenant', 'CLOUDPARTNER_TENANT_ID', profile.tenantId, where)
  const client = pick('client-id', 'CLOUDPARTNER_CLIENT_ID', profile.clientId, where)
  const secretFromEnvName =
    profile.clientSecretEnv === undefined ? undefined : nonEmpty(env[profile.clientSecretEnv])
  const secret =
    pick('client-secret', 'CLOUDPARTNER_CLIENT_SECRET', profile.clientSecret, where) ??
    (secretFromEnvName === undefined
      ? undefined
      : { value: secretFromEnvName, source: profile.clientSecretEnv as string })
  const authority = checkUrl(
    'authority',
    flag(values, 'authority') ??
      nonEmpty(env.CLOUDPARTNER_AUTHORITY) ??
      profile.authority ??
      defaultAuthority(endpoint),
  )
  const endpointVersion = profile.tokenEndpointVersion ?? 'v2'

  if (tenant === undefined && client === undefined && secret === undefined) {
    if (!isLoopback(endpoint)) {
      throw new UsageError(
        `no credentials for ${endpoint}: give --tenant, --client-id and --client-secret (or CLOUDPARTNER_TENANT_ID, CLOUDPARTNER_CLIENT_ID and CLOUDPARTNER_CLIENT_SECRET), --token, or a --profile (${profilesPath(env)})`,
      )
    }
    return {
      credential: {
        authority,
        endpointVersion,
        tenantId: DEVELOPMENT_CREDENTIALS.tenantId,
        clientId: DEVELOPMENT_CREDENTIALS.clientId,
        clientSecret: DEVELOPMENT_CREDENTIALS.clientSecret,
      },
      summary: {
        kind: 'client-credentials',
        authority,
        tenantId: DEVELOPMENT_CREDENTIALS.tenantId,
        clientId: DEVELOPMENT_CREDENTIALS.clientId,
        secretSource: 'the development credentials',
        development: true,
      },
    }
  }
  const missing = [
    tenant === undefined ? '--tenant (CLOUDPARTNER_TENANT_ID)' : undefined,
    client === undefined ? '--client-id (CLOUDPARTNER_CLIENT_ID)' : undefined,
    secret === undefined ? '--client-secret (CLOUDPARTNER_CLIENT_SECRET)' : undefined,
  ].filter((item) => item !== undefined)
  if (tenant === undefined || client === undefined || secret === undefined) {
    throw new UsageError(`incomplete client credentials: missing ${missing.join(', ')}`)
  }
  return {
    credential: {
      authority,
      endpointVersion,
      tenantId: tenant.value,
      clientId: client.value,
      clientSecret: secret.value,
    },
    summary: {
      kind: 'client-credentials',
      authority,
      tenantId: tenant.value,
      clientId: client.value,
      secretSource: secret.source,
      development: false,
    },
  }
}

function tokenCredential(
  token: string,
  source: string,
): { credential: Credential; summary: ConnectionSummary['credential'] } {
  return { credential: { token }, summary: { kind: 'token', source } }
}

/** Our token service lives beside the API; the real API's is Azure AD. */
function defaultAuthority(endpoint: string): string {
  return new URL(endpoint).hostname.toLowerCase() === 'cloudpartner.azure.com' ? DEFAULT_AUTHORITY : endpoint
}

export function isLoopback(endpoint: string): boolean {
  return isLoopbackHost(new URL(endpoint).hostname)
}

/** An http(s) URL without trailing slashes, or a usage error naming the flag. */
export function checkUrl(name: string, value: string): string {
  let url: URL
  try {
    url = new URL(value)
  } catch {
    throw new UsageError(`--${name} must be an http(s) URL, not '${value}'`)
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new UsageError(`--${name} must be an http(s) URL, not '${value}'`)
  }
  return value.replace(/\/+$/, '')
}

function flag(values: Values, name: string): string | undefined {
  const value = values[name]
  return typeof value === 'string' && value !== '' ? value : undefined
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value === '' ? undefined : value
}

function describeConnection(summary: ConnectionSummary): string {
  const { credential } = summary
  const who =
    credential.kind === 'token'
      ? `a ready token from ${credential.source}`
      : `client ${credential.clientId} of tenant ${credential.tenantId}, tokens from ${credential.authority} (secret: ${credential.secretSource})`
  const profile = summary.profile === undefined ? '' : `, profile '${summary.profile}'`
  return `Calling ${summary.endpoint} (api-version ${summary.apiVersion}${profile}) as ${who}.\n`
}

function describeRetry(event: RetryEvent): string {
  const why = event.status === undefined ? 'no answer' : `HTTP ${event.status}`
  return `Retrying ${event.method} ${new URL(event.url).pathname} in ${(event.delayMs / 1000).toFixed(1)} s (${why}, attempt ${event.attempt}).\n`
}
