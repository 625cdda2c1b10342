import { cpSync, rmSync } from 'node:fs'
import { build } from 'esbuild'

/**
 * The installed server's code (ADR 0010): `src/cli/main.ts` and everything it imports, our modules
 * and our dependencies', bundled by esbuild into `bundle/`, which `bin/cloudpartner.js` runs once
 * installed. One file per chunk instead of ~1,100 modules: the installed server idles at less memory
 * and reaches ready with less CPU (docs/performance.md, "Third round, continued: the bundle").
 *
 * - **ESM with code splitting**: every `import()` of ours stays a chunk of its own, loaded when it
 *   is today (OpenTelemetry, the OpenAPI generator, PostgreSQL, HTTPS, the samples, each command).
 * - **At the package's root, one level down** (`bundle/`, as `src/` and `dist/` are): files read
 *   relative to a module are found as from the sources, `../package.json` (version.ts) and the
 *   portal's `./assets/`, copied beside the chunks.
 * - **Not bundled**: what our modules load through `createRequire` (prom-client's files, Ajv and
 *   fast-json-stringify through Fastify's compilers, htmx's files), which esbuild leaves alone as it
 *   is not the global `require`, and the `external` list below. Those are loaded from the installed
 *   `node_modules` (the package keeps its dependencies), when first called, as today.
 * - **Source maps beside each chunk**, pointing at `src/` (which the package ships) and at the
 *   dependencies' files, without their contents: `--enable-source-maps` (or NODE_OPTIONS) turns
 *   stack traces back into the repository's file names and lines (not the default: +15 MB idle);
 *   the module-load test reads them to know which modules a loaded chunk holds.
 */
const OUT = 'bundle'
rmSync(OUT, { recursive: true, force: true })
await build({
  entryPoints: { cloudpartner: 'src/cli/main.ts' },
  outdir: OUT,
  chunkNames: '[name]-[hash]',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node24',
  // Bundled CommonJS calls `require` for Node's built-ins; an ES module has none of its own.
  banner: {
    js: "import { createRequire as __cloudpartnerCreateRequire } from 'node:module';\nconst require = __cloudpartnerCreateRequire(import.meta.url);",
  },
  external: [
    // pg's native binding: optional, not installed, loaded only if a program asks for `pg.native`.
    'pg-native',
    // Fastify's default schema compilers (Ajv, fast-json-stringify), which it requires inside a
    // function, only when the app gives none. Ours (http/lazy-schema-compilers.ts) load these very
    // packages from node_modules at a route's first call; bundled, ~110 modules of them would sit
    // in the chunk every start loads.
    '@fastify/ajv-compiler',
    '@fastify/fast-json-stringify-compiler',
  ],
  // Whitespace only: the chunks' source text stays in memory for as long as the server runs (−1.2 MB
  // idle). Names are kept, as Fastify, avvio and pino's error serializer read them (a minified class
  // name would be logged as an error's `type`), and a stack trace stays legible without the maps.
  minifyWhitespace: true,
  sourcemap: 'linked',
  sourcesContent: false,
  legalComments: 'eof',
  logLevel: 'warning',
})
cpSync('src/portal/assets', `${OUT}/assets`, { recursive: true })
