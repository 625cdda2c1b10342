import type { SqlQueryable } from '../../storage/database.ts'
import type { PortalSession, PortalSessionStore } from './portal-sessions.store.ts'

interface SessionRow {
  id_hash: string
  principal_id: string
  created_time: string
  expires_time: string
}

export class SqlPortalSessionStore implements PortalSessionStore {
  readonly #db: SqlQueryable

  constructor(db: SqlQueryable) {
    this.#db = db
  }

  async createSession(session: PortalSession): Promise<void> {
    await this.#db.run(
      'INSERT INTO portal_sessions (id_hash, principal_id, created_time, expires_time) VALUES (?, ?, ?, ?)',
      [session.idHash, session.principalId, session.createdTime, session.expiresTime],
    )
  }

  async findSession(idHash: string): Promise<PortalSession | undefined> {
    const row = await this.#db.get<SessionRow>(
      'SELECT id_hash, principal_id, created_time, expires_time FROM portal_sessions WHERE id_hash = ?',
      [idHash],
    )
    return (
      row && {
        idHash: row.id_hash,
        principalId: row.principal_id,
        createdTime: row.created_time,
        expiresTime: row.expires_time,
      }
    )
  }

  async deleteSession(idHash: string): Promise<boolean> {
    const { changes } = await this.#db.run('DELETE FROM portal_sessions WHERE id_hash = ?', [idHash])
    return changes === 1
  }

  async deleteExpiredSessions(now: string): Promise<number> {
    const { changes } = await this.#db.run('DELETE FROM portal_sessions WHERE expires_time < ?', [now])
    return changes
  }
}
