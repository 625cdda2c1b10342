import { randomBytes } from 'node:crypto'
import { join } from 'node:path'
import type { TestContext } from 'node:test'
import { DEVELOPMENT_CREDENTIALS } from '../../../src/auth/development-credentials.ts'
import { type ServerProcess, startServe, tempDir } from '../cli-process.ts'
import { tokenFor } from '../dev-credentials-http.ts'
import { createTestDatabase } from '../postgres.ts'

export interface Replicas {
  readonly servers: readonly ServerProcess[]
  /** A token of the development principal, owner of contoso, valid on every replica. */
  readonly token: string
}

/**
 * `count` servers (`cloudpartner serve`, development mode) on one store of the database under test
 * (CLOUDPARTNER_TEST_STORE): one SQLite file shared by their data directory, or one PostgreSQL
 * database. Each has its own connections, so that requests sent to different replicas race as they
 * do behind a load balancer.
 */
export async function startReplicas(
  t: TestContext,
  count: number,
  args: readonly string[] = [],
): Promise<Replicas> {
  const cwd = await tempDir(t)
  const postgres = process.env.CLOUDPARTNER_TEST_STORE === 'postgres'
  const database = postgres ? await createTestDatabase() : undefined
  if (database) t.after(() => database.drop())
  const env = { CLOUDPARTNER_MASTER_KEY: randomBytes(32).toString('base64') }
  const serve = (index: number) =>
    startServe(t, {
      cwd,
      // On SQLite the data directory is the store, shared; on PostgreSQL each keeps its own.
      dataDir: database ? join(cwd, `replica-${index}`) : join(cwd, 'store'),
      args: [...(database ? ['--database-url', database.url] : []), '--log-level', 'warn', ...args],
      env,
    })
  // The first migrates and bootstraps; the others start on what it made.
  const first = await serve(0)
  const others = await Promise.all(Array.from({ length: count - 1 }, (_, index) => serve(index + 1)))
  const servers = [first, ...others]
  return { servers, token: await tokenFor(first.url, DEVELOPMENT_CREDENTIALS) }
}
