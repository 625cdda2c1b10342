#!/usr/bin/env node
// The `cloudpartner` command. Plain JavaScript that any Node can read far enough to say what is
// wrong: the server needs Node 24 (node:sqlite, process.execve), while the package installs on
// Node 20 for its SDK (docs/distribution.md, "Node versions").
import { existsSync, readFileSync } from 'node:fs'

const [major] = process.versions.node.split('.').map(Number)
if (major < 24) {
  // One sentence, and a command that works: npx fetches Node 24 for this one run (the `node`
  // package puts its binary first on PATH, where this file's `#!/usr/bin/env node` finds it).
  const shown = process.argv
    .slice(2)
    .map((arg) => (/^[\w@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replaceAll("'", "'\\''")}'`))
  process.stderr.write(
    `cloudpartner needs Node.js 24 or later and this is Node.js ${process.versions.node}; run it on Node 24 with:\n` +
      `  npx -y -p node@24 -p cloudpartner@${packageVersion()} cloudpartner ${shown.join(' ')}\n`,
  )
  process.exit(2)
}

/** The package's version, read without import attributes (which Node before 20.10 cannot parse). */
function packageVersion() {
  return JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')).version
}

/**
 * The Node flags of the server process (docs/performance.md, "Memory"): a young generation of 8 MB
 * semi-spaces instead of V8's 32 MB, so that objects in flight are not kept in (and promoted from)
 * a large nursery; and V8's gc function, with which the server gives start-up's memory back once it
 * listens (src/startup-garbage.ts). V8 reads them only when the process starts, so `serve` without
 * them starts itself again with them, as the same process (execve: same PID, signals and exit code).
 * `npm start` and the Dockerfile give them on the command line, which spares that second start; a
 * test keeps the three in step.
 */
const SERVER_NODE_FLAGS = ['--max-semi-space-size=8', '--expose-gc']

if (process.argv[2] === 'serve') {
  // A flag the user gives (command line or NODE_OPTIONS), with any value, is theirs to choose.
  const given = [...process.execArgv, ...(process.env.NODE_OPTIONS ?? '').split(/\s+/)].map((arg) =>
    arg.replaceAll('_', '-'),
  )
  const missing = SERVER_NODE_FLAGS.filter((flag) => !given.some((arg) => arg.startsWith(flag.split('=')[0])))
  // Not on Windows (no execve there): the server then runs with V8's defaults.
  if (missing.length > 0 && typeof process.execve === 'function') {
    try {
      process.execve(process.execPath, [
        process.execPath,
        ...missing,
        ...process.execArgv,
        ...process.argv.slice(1),
      ])
    } catch {
      // Could not start again (a sandbox may forbid it): serve with V8's defaults.
    }
  }
}

// Installed (under node_modules, where Node refuses to strip types), the command runs the bundle that
// prepack built into bundle/ (ADR 0010); in a clone, the TypeScript sources, even while `npm pack` has
// a build beside them.
const source = new URL('../src/cli/main.ts', import.meta.url)
const installed = /[\\/]node_modules[\\/]/.test(decodeURIComponent(source.pathname)) || !existsSync(source)
const { enableCompileCache } = await import('node:module')
// Before the first module loads: once every module is in the compile cache (in the OS temp dir; a
// start that finds a file changed compiles and caches it again), each start is quicker and, for the
// TypeScript, Node does not load its type stripper at all (~15 MB of the server's memory). Not for
// the installed server: Node keeps every module's cached code in memory for as long as the process
// runs (5 MB for tsc's ~1,100 modules; the server, a bundle now, idles at ~80 MB without it), to
// spare the compiled JavaScript ~5 % of a start it makes once (docs/performance.md, "Installed
// package"). The other commands are short-lived: they keep it.
if (!(installed && process.argv[2] === 'serve')) enableCompileCache()
await import(installed ? '../bundle/cloudpartner.js' : '../src/cli/main.ts')
