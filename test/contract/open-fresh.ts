import type { TestContext } from 'node:test'
import type { Stores } from '../../src/stores.ts'
import type { Backend } from '../helpers/backends.ts'

/** A fresh store for one test, disposed when the test ends. */
export async function openFresh(t: TestContext, backend: Backend): Promise<Stores> {
  const { stores, dispose } = await backend.open()
  t.after(dispose)
  return stores
}

export const T0 = '2026-11-21T10:00:00.0000000Z'
