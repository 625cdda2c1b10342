import { type Caller, isStoreAdministrator } from '../auth/caller.ts'
import { errors } from '../errors/errors.ts'
import type { PublisherStore } from '../publishers/publishers.store.ts'
import type { Keyring, SigningKeySummary } from '../token-service/keyring.ts'
import type { Role } from './principal.ts'
import type {
  CreatedPrincipal,
  GrantRequest,
  PrincipalService,
  PrincipalWithGrants,
} from './principals.service.ts'
import type { PrincipalStore } from './principals.store.ts'

/**
 * Principals, grants and signing keys administered by a signed-in principal (the portal's
 * administration), where the CLI administers them as the store's administrator. The rules:
 *
 * - In development mode (a server on loopback, whose development credentials are well known
 *   anyway) every viewer administers everything, as the CLI on the same machine would.
 * - Otherwise a principal administers the publishers it holds Owner on, and nothing else: it sees
 *   the principals that hold a role on them (and only those roles), gives and takes roles on them,
 *   and creates principals with a first role on one of them. Without an Owner grant, 403.
 * - Signing-key rotation is store-wide but harmless (tokens signed with the previous keys keep
 *   verifying until they expire): any Owner may rotate.
 *
 * The changes themselves are the principal service's and the keyring's, recorded in the audit trail.
 */
export interface PrincipalAdministration {
  /** The publishers the caller administers; `all` in development mode. 403 for none. */
  scope(caller: Caller): Promise<AdministrationScope>
  /** The ids of the publishers the caller administers (every publisher's, for `all`). */
  publisherIds(caller: Caller): Promise<string[]>
  /** The principals in the caller's scope, each with its roles in the scope only. */
  listPrincipals(caller: Caller): Promise<PrincipalWithGrants[]>
  /** A new principal with a secret (shown once); outside development mode, with a role in scope. */
  createPrincipal(
    caller: Caller,
    request: { readonly displayName: string; readonly grant?: GrantRequest },
  ): Promise<CreatedPrincipal>
  grant(caller: Caller, principalId: string, grant: GrantRequest): Promise<void>
  revoke(caller: Caller, principalId: string, publisherId: string): Promise<void>
  /** A new secret for a principal in scope; the old one stops working. Returned once. */
  rotateSecret(caller: Caller, principalId: string): Promise<{ secret: string }>
  listSigningKeys(caller: Caller): Promise<SigningKeySummary[]>
  rotateSigningKey(caller: Caller): Promise<string>
}

export type AdministrationScope =
  | { readonly all: true }
  | { readonly all: false; readonly publisherIds: readonly string[] }

export function createPrincipalAdministration(deps: {
  readonly principals: PrincipalService
  readonly principalStore: Pick<PrincipalStore, 'listGrants'>
  readonly publisherStore: Pick<PublisherStore, 'listPublishers'>
  readonly keyring: Keyring
  /** Development mode: every viewer administers everything. */
  readonly development: boolean
}): PrincipalAdministration {
  async function scope(caller: Caller): Promise<AdministrationScope> {
    if (deps.development || isStoreAdministrator(caller)) return { all: true }
    const owned =
      caller.principalId === undefined
        ? []
        : (await deps.principalStore.listGrants(caller.principalId))
            .filter((grant) => grant.role === ('Owner' satisfies Role))
            .map((grant) => grant.publisherId)
    if (owned.length === 0) throw errors.administrationNeedsOwner()
    return { all: false, publisherIds: owned }
  }

  const inScope = (within: AdministrationScope, publisherId: string) =>
    within.all || within.publisherIds.includes(publisherId)

  async function requirePublisher(caller: Caller, publisherId: string): Promise<void> {
    if (!inScope(await scope(caller), publisherId)) throw errors.ownerRequired(publisherId)
  }

  async function requirePrincipal(caller: Caller, principalId: string): Promise<PrincipalWithGrants> {
    const principal = (await listPrincipals(caller)).find((each) => each.id === principalId)
    if (!principal) throw errors.principalNotFound(principalId)
    return principal
  }

  async function listPrincipals(caller: Caller): Promise<PrincipalWithGrants[]> {
    const within = await scope(caller)
    // By name, then id: the store's own order differs between SQLite and PostgreSQL, and a page
    // listing people should not reorder itself by backend.
    const everyone = (await deps.principals.list()).sort(
      (a, b) => compare(a.displayName, b.displayName) || compare(a.id, b.id),
    )
    if (within.all) return everyone
    return everyone
      .map((principal) => ({
        ...principal,
        grants: principal.grants.filter((grant) => inScope(within, grant.publisherId)),
      }))
      .filter((principal) => principal.grants.length > 0)
  }

  return {
    scope,
    async publisherIds(caller) {
      const within = await scope(caller)
      if (!within.all) return [...within.publisherIds]
      return (await deps.publisherStore.listPublishers()).map((publisher) => publisher.id)
    },
    listPrincipals,
    async createPrincipal(caller, request) {
      const within = await scope(caller)
      if (request.grant) await requirePublisher(caller, request.grant.publisherId)
      else if (!within.all) {
        throw errors.badRequest(
          'Give the new principal a role on a publisher you own: it is yours to see then.',
        )
      }
      return deps.principals.create({
        displayName: request.displayName,
        ...(request.grant ? { grants: [request.grant] } : {}),
      })
    },
    async grant(caller, principalId, grant) {
      await requirePublisher(caller, grant.publisherId)
      // A principal outside the scope may be given a first role on an owned publisher: its id is
      // what the other Owner was told, as `cloudpartner principals grant` takes one.
      await deps.principals.grant(principalId, grant)
    },
    async revoke(caller, principalId, publisherId) {
      await requirePublisher(caller, publisherId)
      await deps.principals.revoke(principalId, publisherId)
    },
    async rotateSecret(caller, principalId) {
      const principal = await requirePrincipal(caller, principalId)
      // Every role it holds must be the caller's to administer: its secret reaches all of them.
      const within = await scope(caller)
      const all = within.all ? [] : await deps.principalStore.listGrants(principal.id)
      const foreign = all.find((grant) => !inScope(within, grant.publisherId))
      if (foreign) throw errors.ownerRequired(foreign.publisherId)
      return { secret: (await deps.principals.rotateSecret(principal.id)).secret }
    },
    async listSigningKeys(caller) {
      await scope(caller)
      return deps.keyring.list()
    },
    async rotateSigningKey(caller) {
      await scope(caller)
      return deps.keyring.rotate()
    },
  }
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0
}
