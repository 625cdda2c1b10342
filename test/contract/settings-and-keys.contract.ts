import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { MIGRATIONS } from '../../src/storage/migrations/index.ts'
import type { Backend } from '../helpers/backends.ts'
import { openFresh } from './open-fresh.ts'

const key = (kid: string, createdTime: string) => ({
  kid,
  publicJwk: `{"kid":"${kid}"}`,
  sealedPrivateJwk: `sealed-${kid}`,
  createdTime,
})

export function settingsAndKeysContract(backend: Backend): void {
  describe(`SettingsStore and SigningKeyStore on ${backend.name}`, () => {
    test('a setting is set once', async (t) => {
      const { settings } = await openFresh(t, backend)
      assert.equal(await settings.findSetting('bootstrapped'), undefined)
      assert.equal(await settings.initSetting('bootstrapped', 'first'), true)
      assert.equal(await settings.initSetting('bootstrapped', 'second'), false)
      assert.equal(await settings.findSetting('bootstrapped'), 'first')
    })

    test('rotation retires the active key, keeps recent ones and prunes old ones', async (t) => {
      const { signingKeys } = await openFresh(t, backend)
      assert.deepEqual(await signingKeys.listSigningKeys(), [])
      await signingKeys.rotateTo(
        key('k1', '2026-01-01T00:00:00.0000000Z'),
        '2026-01-01T00:00:00.0000000Z',
        '2025-12-31T00:00:00.0000000Z',
      )
      await signingKeys.rotateTo(
        key('k2', '2026-01-05T00:00:00.0000000Z'),
        '2026-01-05T00:00:00.0000000Z',
        '2026-01-04T00:00:00.0000000Z',
      )
      let keys = await signingKeys.listSigningKeys()
      assert.deepEqual(
        keys.map((stored) => [stored.kid, stored.retiredTime]),
        [
          ['k2', undefined],
          ['k1', '2026-01-05T00:00:00.0000000Z'],
        ],
      )
      // k1 was retired on Jan 5; a rotation that prunes keys retired before Jan 6 removes it.
      await signingKeys.rotateTo(
        key('k3', '2026-01-09T00:00:00.0000000Z'),
        '2026-01-09T00:00:00.0000000Z',
        '2026-01-06T00:00:00.0000000Z',
      )
      keys = await signingKeys.listSigningKeys()
      assert.deepEqual(
        keys.map((stored) => stored.kid),
        ['k3', 'k2'],
      )
      assert.equal(keys[1]?.sealedPrivateJwk, 'sealed-k2')
    })

    test('the schema is at the latest migration', async (t) => {
      const stores = await openFresh(t, backend)
      assert.equal(await stores.schemaVersion(), Math.max(...MIGRATIONS.map((migration) => migration.id)))
      await stores.ping()
    })
  })
}
