import { refusedByFetch } from '../../sdk/http/retry.ts'
import {
  AadTokenError,
  CppApiError,
  CppNetworkError,
  DEFAULT_API_VERSION,
  OperationFailedError,
} from '../../sdk/index.ts'
import type { CliIo } from '../cli-io.ts'
import type { ConnectionSummary } from './connection.ts'
import { isLoopback } from './connection.ts'
import { API_EXIT } from './exit-codes.ts'

/** What the command was doing, for hints. */
export interface ErrorContext {
  readonly summary: ConnectionSummary | undefined
  readonly publisherId?: string | undefined
  readonly offerId?: string | undefined
  readonly verbose: boolean
}

/**
 * Turns an SDK error into one line on stderr (code and message as the API gave them), a hint where
 * one helps, and the exit code. Undefined for errors that are not the SDK's: run-cli reports those.
 */
export function reportApiError(error: unknown, io: CliIo, context: ErrorContext): number | undefined {
  if (error instanceof CppApiError) {
    io.err(`cloudpartner: ${error.code}: ${error.message}\n`)
    if (context.verbose) {
      io.err(
        `  ${error.method} ${error.url} answered HTTP ${error.status}${error.requestId ? `, request id ${error.requestId}` : ''}\n`,
      )
    }
    hint(io, apiHint(error, context))
    if (error.status === 401 || error.status === 403) return API_EXIT.auth
    if (error.status === 429 || error.status >= 500) return API_EXIT.unavailable
    return API_EXIT.failed
  }
  if (error instanceof AadTokenError) {
    io.err(`cloudpartner: no token from ${error.tokenEndpoint}: ${error.error}: ${error.description}\n`)
    hint(io, tokenHint(error))
    return error.status === 429 || error.status >= 500 ? API_EXIT.unavailable : API_EXIT.auth
  }
  if (error instanceof CppNetworkError && refusedByFetch(error.cause)) {
    // Not the network: the URL itself, so the configuration is wrong, and trying again cannot help.
    io.err(`cloudpartner: ${error.url} cannot be fetched: ${describe(error.cause)}\n`)
    hint(io, badUrlHint(error.url))
    return API_EXIT.usage
  }
  if (error instanceof CppNetworkError) {
    io.err(`cloudpartner: cannot reach the service: ${error.message}\n`)
    const endpoint = context.summary?.endpoint
    hint(
      io,
      endpoint !== undefined && isLoopback(endpoint)
        ? `is the server running? Start it with \`npm start\` (or \`npx cloudpartner serve\`), or point --endpoint elsewhere.`
        : 'check --endpoint (and --authority), and the network.',
    )
    return API_EXIT.unavailable
  }
  if (error instanceof OperationFailedError) {
    io.err(`cloudpartner: ${error.message}\n`)
    return API_EXIT.operationFailed
  }
  return undefined
}

function describe(error: unknown): string {
  const cause = error instanceof Error ? error.cause : undefined
  return cause instanceof Error ? cause.message : error instanceof Error ? error.message : String(error)
}

function badUrlHint(url: string): string {
  const { port } = new URL(url)
  return port === ''
    ? 'check --endpoint and --authority (or the profile).'
    : `port ${port} is one that fetch refuses to connect to (a "bad port" of the Fetch standard, like 6000 or 6667): serve on another port, e.g. 8080, and point --endpoint at it.`
}

function hint(io: CliIo, text: string | undefined): void {
  if (text !== undefined) io.err(`hint: ${text}\n`)
}

function apiHint(error: CppApiError, context: ErrorContext): string | undefined {
  const offer = context.offerId === undefined ? '<offer>' : context.offerId
  const publisher = context.publisherId ?? '<publisher>'
  switch (error.code) {
    case 'InvalidAPIVersion':
      return `the CPP API's api-version is ${DEFAULT_API_VERSION}; leave --api-version out (or fix it in the profile).`
    case 'InvalidResourceId':
      return `the offer exists: to replace it, pass --if-match <etag> (printed by \`cloudpartner offers show ${publisher} ${offer}\`), or --force to overwrite whatever is stored.`
    case 'PreconditionFailed':
      return `the offer changed since that ETag was read: show it again, re-apply your change, and put it with the new ETag (or --force).`
    case 'BadRequest':
      return error.message.startsWith('The offer is invalid')
        ? '`cloudpartner offers validate <file>` lists each problem on its own line, without a server.'
        : undefined
    case 'UnprocessableEntity':
      return 'check the draft locally with `cloudpartner offers validate <file>`, which lists every problem with its field.'
    case 'OperationInProgress':
      return `follow it with \`cloudpartner offers status ${publisher} ${offer}\`, or cancel it with \`cloudpartner offers cancel ${publisher} ${offer}\`.`
    case 'InvalidOfferStatus':
      return `publish first and wait for it: \`cloudpartner offers publish ${publisher} ${offer} --wait\`, then go live.`
    default:
      break
  }
  if (error.status === 401) {
    const credential = context.summary?.credential
    if (credential?.kind === 'token') {
      return `the token from ${credential.source} was refused: it may have expired, or be for another resource. Get a new one (\`cloudpartner token\` for this server; \`az account get-access-token --resource https://cloudpartner.azure.com\` for Azure).`
    }
    return `the API refused the token: it may have expired, or come from an authority (${credential?.kind === 'client-credentials' ? credential.authority : '--authority'}) that this API does not trust.`
  }
  if (error.status === 403) {
    const credential = context.summary?.credential
    const clientId = credential?.kind === 'client-credentials' ? credential.clientId : '<client-id>'
    return `the principal has no access to the publisher '${publisher}'. On this server: \`cloudpartner principals grant ${clientId} ${publisher}\` (\`cloudpartner principals list\` shows its grants); on Azure: add the application to the publisher in the portal.`
  }
  if (error.status === 404 && error.message.includes('never reached')) {
    return `publish it first (\`cloudpartner offers publish ${publisher} ${offer} --wait\`), then go live for production.`
  }
  if (error.status === 404 && context.offerId !== undefined) {
    return `check the ids: \`cloudpartner offers list ${publisher}\` lists the offers.`
  }
  if (error.status === 429 || error.status >= 500) return 'the service is busy or failing; try again later.'
  return undefined
}

/** AADSTS codes people meet, and what to do about them. */
function tokenHint(error: AadTokenError): string | undefined {
  const codes = new Set(error.codes)
  if (codes.has(7000215))
    return 'the client secret is wrong: check CLOUDPARTNER_CLIENT_SECRET (or --client-secret).'
  if (codes.has(7000222)) return 'the client secret has expired: create a new one for the application.'
  if (codes.has(700016)) return 'no such application in that tenant: check --client-id and --tenant.'
  if (codes.has(90002)) return 'no such tenant: check --tenant (and --authority).'
  if (error.status === 404)
    return 'no token endpoint there: check --authority (for this server: its --endpoint).'
  return undefined
}
