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
await import('../src/cli/main.ts')
