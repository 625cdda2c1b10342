import type { SqlQueryable } from '../storage/database.ts'
import type { AssertionReplayStore } from './assertion-replay.store.ts'

export class SqlAssertionReplayStore implements AssertionReplayStore {
  readonly #db: SqlQueryable

  constructor(db: SqlQueryable) {
    this.#db = db
  }

  async spendAssertion(
    clientId: string,
    jti: string,
    expiresAtSeconds: number,
    nowSeconds: number,
  ): Promise<boolean> {
    // Forgetting expired entries on the way keeps the table as small as the assertions alive; an
    // expired assertion is refused on its exp before it gets here, so forgetting it is safe.
    await this.#db.run('DELETE FROM client_assertion_jtis WHERE expires_at < ?', [nowSeconds])
    // The primary key decides between two replicas that see the same assertion at once.
    const { changes } = await this.#db.run(
      'INSERT INTO client_assertion_jtis (client_id, jti, expires_at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING',
      [clientId, jti, expiresAtSeconds],
    )
    return changes === 1
  }
}
