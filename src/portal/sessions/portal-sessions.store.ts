/** A signed-in browser: whose it is and until when. Found by the hash of its id only. */
export interface PortalSession {
  readonly idHash: string
  readonly principalId: string
  readonly createdTime: string
  readonly expiresTime: string
}

/**
 * Storage of the portal's sessions. Times are CPP timestamps (src/timestamps.ts), which sort as
 * text. `find` answers undefined for an unknown hash, expired or not: expiry is the service's rule.
 */
export interface PortalSessionStore {
  createSession(session: PortalSession): Promise<void>
  findSession(idHash: string): Promise<PortalSession | undefined>
  /** Answers whether there was one. */
  deleteSession(idHash: string): Promise<boolean>
  /** Deletes the sessions that expired before `now`; answers how many. */
  deleteExpiredSessions(now: string): Promise<number>
}
