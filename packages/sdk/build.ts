import { execFileSync } from 'node:child_process'
import { cpSync, mkdirSync, readFileSync, rmSync } from 'node:fs'
import { dirname, join, relative, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'

/**
 * Builds cloudpartner-sdk (ADR 0006) from the repository's src/: the modules the SDK entry reaches,
 * type-only imports included (its declarations need them), as TypeScript finds them; copied here
 * under src/, then compiled to dist/ with declarations and declaration maps. Run by prepack.
 */
const here = dirname(fileURLToPath(import.meta.url))
const root = resolve(here, '../..')
const tsc = join(root, 'node_modules/typescript/bin/tsc')

const rootManifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'))
const manifest = JSON.parse(readFileSync(join(here, 'package.json'), 'utf8'))
if (manifest.version !== rootManifest.version)
  throw new Error(`cloudpartner-sdk ${manifest.version} differs from cloudpartner ${rootManifest.version}`)

rmSync(join(here, 'src'), { recursive: true, force: true })
rmSync(join(here, 'dist'), { recursive: true, force: true })
const listed = execFileSync(
  process.execPath,
  [tsc, '--listFilesOnly', '--noEmit', '--rootDir', 'src', 'src/sdk/index.ts', ...compilerFlags()],
  { cwd: root, encoding: 'utf8' },
)
const sources = listed
  .split('\n')
  .filter((line) => line.trim() !== '')
  .map((line) => relative(root, resolve(root, line.trim())))
  .filter((file) => file.startsWith('src/'))
for (const file of sources) {
  mkdirSync(dirname(join(here, file)), { recursive: true })
  cpSync(join(root, file), join(here, file))
}
execFileSync(process.execPath, [tsc, '-p', join(here, 'tsconfig.json')], { stdio: ['ignore', 2, 2] })
// stderr: `npm pack --json` owns stdout.
process.stderr.write(`cloudpartner-sdk: ${sources.length} modules compiled into dist/\n`)

/** The repository's compiler options, as flags for a command line that names its entry file. */
function compilerFlags(): string[] {
  return [
    '--module',
    'nodenext',
    '--target',
    'es2024',
    '--types',
    'node',
    '--allowImportingTsExtensions',
    '--resolveJsonModule',
    '--skipLibCheck',
  ]
}
