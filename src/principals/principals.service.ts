import { randomUUID } from 'node:crypto'
import type { Clock } from '../clock.ts'
import { formatTimestamp } from '../timestamps.ts'
import { generateClientSecret, hashClientSecret } from './client-secret.ts'
import type { Principal } from './principal.ts'
import type { PrincipalStore } from './principals.store.ts'

export interface CreatePrincipalRequest {
  readonly tenantId?: string
  readonly displayName: string
  readonly clientId?: string
  readonly objectId?: string
  /** A secret to register instead of a generated one (the well-known development principal). */
  readonly secret?: string
  /** False for principals of an external Azure AD tenant, which get their tokens there. */
  readonly withSecret?: boolean
}

export class PrincipalExistsError extends Error {
  constructor(tenantId: string, clientId: string) {
    super(`A principal with client id ${clientId} already exists in tenant ${tenantId}.`)
    this.name = 'PrincipalExistsError'
  }
}

/** Registers principals. The secret is returned once, here, and only its hash is stored. */
export function createPrincipalService(deps: { principals: PrincipalStore; clock: Clock }) {
  return {
    async create(request: CreatePrincipalRequest): Promise<{ principal: Principal; secret?: string }> {
      const id = randomUUID()
      const tenantId = request.tenantId ?? randomUUID()
      const clientId = request.clientId ?? randomUUID()
      const secret = request.withSecret === false ? undefined : (request.secret ?? generateClientSecret())
      const created = await deps.principals.createPrincipal({
        id,
        tenantId,
        clientId,
        objectId: request.objectId ?? id,
        displayName: request.displayName,
        ...(secret === undefined ? {} : { secretHash: await hashClientSecret(secret) }),
        createdTime: formatTimestamp(deps.clock.now()),
      })
      if (!created) throw new PrincipalExistsError(tenantId, clientId)
      const principal = await deps.principals.findPrincipal(id)
      if (!principal) throw new Error(`principal ${id} vanished after creation`)
      return secret === undefined ? { principal } : { principal, secret }
    },
  }
}

export type PrincipalService = ReturnType<typeof createPrincipalService>
