import { enableCompileCache } from 'node:module'

// Every command is a fresh process: caching compiled code (in the OS temp dir) halves its start-up.
// Not a server running the compiled JavaScript (bin/cloudpartner.js says why).
if (import.meta.url.endsWith('.ts') || process.argv[2] !== 'serve') enableCompileCache()
const { runCli } = await import('./run-cli.ts')
const { processTerminal } = await import('./terminal.ts')

/** The `cloudpartner` process: bin/cloudpartner.js and the npm scripts run this file. */
process.exitCode = await runCli(process.argv.slice(2), {
  out: (text) => process.stdout.write(text),
  err: (text) => process.stderr.write(text),
  env: process.env,
  terminal: processTerminal(),
})
