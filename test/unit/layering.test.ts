import assert from 'node:assert/strict'
import { test } from 'node:test'
import { importsOf, modulesUnder } from '../helpers/import-graph.ts'

/**
 * The layering the code keeps (docs/adr/0005), checked on the import graph so that it cannot
 * regress silently: a rule broken names the module and the import that broke it. The SDK's own
 * boundary (schemas and pure rules only, never server code) is checked beside the SDK, in
 * test/sdk/helpers-and-boundary.test.ts, over the same graph.
 */
interface Rule {
  /** The modules the rule applies to. */
  readonly modules: (path: string) => boolean
  /** An import of theirs that breaks it. */
  readonly forbidden: (imported: string) => boolean
}

const SRC = modulesUnder('src')
const isSqlStore = (path: string) => path.endsWith('.store.sql.ts')
const isStore = (path: string) => /\.store(\.sql)?\.ts$/.test(path) || path === 'src/stores.ts'
const under = (folder: string) => (path: string) => path.startsWith(`${folder}/`)

function violations(rule: Rule): string[] {
  return SRC.filter(rule.modules).flatMap((module) =>
    importsOf(module)
      .files.filter(rule.forbidden)
      .map((imported) => `${module} imports ${imported}`),
  )
}

test('the CLI reaches the store only through the services: no command imports a store or a driver', () => {
  assert.deepEqual(
    violations({
      modules: under('src/cli'),
      forbidden: (imported) =>
        (isStore(imported) && imported !== 'src/stores.ts') ||
        (under('src/storage')(imported) && imported !== 'src/storage/copy-store.ts'),
    }),
    [],
  )
  // The one module that opens the store for a command, and hands its commands the services.
  assert.deepEqual(
    violations({
      modules: (path) => under('src/cli')(path) && path !== 'src/cli/store-command.ts',
      forbidden: (imported) => imported === 'src/stores.ts',
    }),
    [],
  )
})

test('storage/ holds the drivers only: it imports no feature, and no feature assembles stores', () => {
  assert.deepEqual(
    violations({
      modules: under('src/storage'),
      forbidden: (imported) =>
        !under('src/storage')(imported) && imported !== 'src/errors/database-unavailable.ts',
    }),
    [],
  )
  // Each feature knows its own SQL store only; src/stores.ts assembles them all beside the app.
  assert.deepEqual(
    violations({
      modules: (path) => path !== 'src/stores.ts' && !isSqlStore(path),
      forbidden: isSqlStore,
    }),
    [],
  )
})

test('config and errors are leaves: they import no feature', () => {
  assert.deepEqual(
    violations({
      modules: (path) =>
        path === 'src/config.ts' || path === 'src/config.schema.ts' || under('src/errors')(path),
      forbidden: (imported) =>
        !under('src/errors')(imported) &&
        !['src/config.schema.ts', 'src/loopback.ts', 'src/tracing-settings.ts'].includes(imported),
    }),
    [],
  )
})

test('the features are composed, they do not compose: no feature imports the services, the app or the server', () => {
  const WHOLE = ['src/services.ts', 'src/app.ts', 'src/server.ts']
  assert.deepEqual(
    violations({
      modules: (path) => /^src\/[^/]+\//.test(path) && !under('src/cli')(path),
      forbidden: (imported) => WHOLE.includes(imported),
    }),
    [],
  )
  // The CLI builds its services through store-command.ts; serve starts the server.
  assert.deepEqual(
    violations({
      modules: under('src/cli'),
      forbidden: (imported) => WHOLE.includes(imported),
    }),
    ['src/cli/commands/serve.ts imports src/server.ts', 'src/cli/store-command.ts imports src/services.ts'],
  )
})
