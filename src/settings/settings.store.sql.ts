import type { SqlQueryable } from '../storage/database.ts'
import type { SettingsStore } from './settings.store.ts'

export class SqlSettingsStore implements SettingsStore {
  readonly #db: SqlQueryable

  constructor(db: SqlQueryable) {
    this.#db = db
  }

  async findSetting(name: string): Promise<string | undefined> {
    return (await this.#db.get<{ value: string }>('SELECT value FROM settings WHERE name = ?', [name]))?.value
  }

  async initSetting(name: string, value: string): Promise<boolean> {
    const { changes } = await this.#db.run(
      'INSERT INTO settings (name, value) VALUES (?, ?) ON CONFLICT (name) DO NOTHING',
      [name, value],
    )
    return changes === 1
  }
}
