import type { FastifyRequest } from 'fastify'
import type { Caller } from '../auth/caller.ts'

declare module 'fastify' {
  interface FastifyRequest {
    /** Set by the API's authentication hook before any /api handler runs. */
    caller?: Caller
  }
}

export function callerOf(request: FastifyRequest): Caller {
  if (!request.caller) throw new Error('an /api route ran without the authentication hook')
  return request.caller
}
