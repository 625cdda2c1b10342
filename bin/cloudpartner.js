#!/usr/bin/env node
// The `cloudpartner` command. Plain JavaScript so that an older Node can read it far enough to say
// what is wrong: the sources are TypeScript, which Node 24 runs directly (type stripping).
const [major] = process.versions.node.split('.').map(Number)
if (major < 24) {
  process.stderr.write(
    `cloudpartner needs Node.js 24 or later; this is Node.js ${process.versions.node}.\n` +
      'Run it through `npx cloudpartner ...` or the npm scripts (`npm start`, `npm run cli -- ...`),\n' +
      'which use the Node 24 the project pins as a dev dependency.\n',
  )
  process.exit(2)
}

/**
 * The Node flags of the server process (docs/performance.md, "Memory"): a young generation of 8 MB
 * semi-spaces instead of V8's 32 MB, so that objects in flight are not kept in (and promoted from)
 * a large nursery. V8 reads them only when the process starts, so `serve` without them starts
 * itself again with them, as the same process (execve: same PID, signals and exit code). `npm start`
 * and the Dockerfile give them on the command line, which spares that second start; a test keeps
 * the three in step.
 */
const SERVER_NODE_FLAGS = ['--max-semi-space-size=8']

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

// Before the first TypeScript file loads: once every source is in the compile cache (in the OS temp
// dir; a start that finds a file changed strips and caches it again), Node does not load its type
// stripper at all, which is ~15 MB of the server's memory, and each start is quicker.
const { enableCompileCache } = await import('node:module')
enableCompileCache()
await import('../src/cli/main.ts')
