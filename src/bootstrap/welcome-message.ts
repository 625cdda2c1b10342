import { CLOUD_PARTNER_RESOURCE } from '../auth/cloud-partner.ts'
import { DEVELOPMENT_CREDENTIALS } from '../auth/development-credentials.ts'
import type { BootstrapOutcome } from './development-bootstrap.ts'
import { SAMPLE_PUBLISHER_ID } from './samples/sample-publisher.ts'

export interface WelcomeFacts {
  /** Where clients reach the server, e.g. http://127.0.0.1:8080. */
  readonly url: string
  /** The store's location, or undefined when it is in memory. */
  readonly databasePath: string | undefined
  readonly production: boolean
  /** Production mode because the server binds beyond loopback, not because it was asked for. */
  readonly productionImplied: boolean
  readonly bootstrap: BootstrapOutcome
  /** Whether the development principal exists now (it may have been deleted since the first start). */
  readonly developmentPrincipal: boolean
  /** Whether the sample publisher exists: a grant needs its publisher. */
  readonly samplePublisher: boolean
  /** Flags the CLI needs to open the same store as this server (e.g. `--data-dir /srv/cpp`). */
  readonly storeFlags: string
  /** How a shell here runs the CLI: `npx cloudpartner`, or `cloudpartner` where it is on PATH (the image). */
  readonly cli?: string
}

/**
 * What the server prints once it listens: where, with which store, and the shortest way to a first
 * answer: ready-to-paste curl commands with the development credentials, or, in production mode,
 * how to register a principal.
 */
export function welcomeMessage(facts: WelcomeFacts): string {
  const lines = [
    `Cloud Partner Portal API (api-version 2017-10-31) listening on ${facts.url}`,
    facts.databasePath === undefined
      ? 'Store: in memory (nothing survives a restart; the cloudpartner CLI cannot reach it)'
      : `Store: ${facts.databasePath}`,
  ]
  if (facts.bootstrap.kind === 'created') {
    lines.push(
      `First start: created the development principal${
        facts.bootstrap.sampleOffers > 0
          ? ` and the sample publisher '${SAMPLE_PUBLISHER_ID}' with ${facts.bootstrap.sampleOffers} offers`
          : ` with an Owner grant on '${SAMPLE_PUBLISHER_ID}'`
      }.`,
    )
  }
  lines.push('')
  if (facts.production && facts.databasePath === undefined) {
    lines.push(
      'Production mode with an in-memory store: no principal can be registered, so no caller can be',
      'authorized. Use --data-dir, or leave production mode.',
    )
  } else if (facts.production) {
    lines.push(
      `Production mode${facts.productionImplied ? ' (the server listens beyond loopback)' : ''}: the well-known development credentials are neither created nor accepted.`,
      `Register a principal, grant it a publisher${facts.samplePublisher ? '' : ' (create it first)'}, and note the secret it prints once:`,
      ...registration(facts, '--display-name "My pipeline" '),
    )
  } else if (!facts.developmentPrincipal) {
    lines.push(
      'Development mode, but the development principal does not exist in this store (deleted, or the',
      'store was first started in production mode). Register a principal:',
      ...registration(facts, ''),
    )
  } else {
    lines.push(...developmentCurls(facts.url))
  }
  return `${lines.join('\n')}\n`
}

/** Commands that work as printed: a grant needs its publisher, so a missing one is created first. */
function registration(facts: WelcomeFacts, displayName: string): string[] {
  return [
    ...(facts.samplePublisher
      ? []
      : [`  ${facts.cli ?? 'npx cloudpartner'} publishers create ${SAMPLE_PUBLISHER_ID}${facts.storeFlags}`]),
    `  ${facts.cli ?? 'npx cloudpartner'} principals create ${displayName}--grant ${SAMPLE_PUBLISHER_ID}${facts.storeFlags}`,
  ]
}

function developmentCurls(url: string): string[] {
  const { tenantId, clientId, clientSecret } = DEVELOPMENT_CREDENTIALS
  return [
    'Development mode: the well-known development credentials are enabled. Get a token:',
    `  TOKEN=$(curl -s -X POST ${url}/${tenantId}/oauth2/token \\`,
    `    -d grant_type=client_credentials -d client_id=${clientId} \\`,
    `    -d client_secret=${clientSecret} -d resource=${CLOUD_PARTNER_RESOURCE} \\`,
    `    | sed -E 's/.*"access_token":"([^"]+)".*/\\1/')`,
    `List the offers of the sample publisher '${SAMPLE_PUBLISHER_ID}':`,
    `  curl -s "${url}/api/publishers/${SAMPLE_PUBLISHER_ID}/offers?api-version=2017-10-31" -H "Authorization: Bearer $TOKEN"`,
  ]
}
