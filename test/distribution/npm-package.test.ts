import assert from 'node:assert/strict'
import { existsSync, readFileSync } from 'node:fs'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, test } from 'node:test'
import { ROOT } from '../helpers/import-graph.ts'
import {
  installedVersion,
  installProject,
  type Packed,
  pack,
  SDK_PACKAGE_DIR,
  SERVER_PACKAGE_DIR,
} from './packages.ts'
import { run, runOk, start, userEnv } from './processes.ts'

/**
 * The packages as users install them (issue 11): packed, installed into fresh projects outside this
 * repository (no access to its node_modules), then the server started with `npx cloudpartner serve`
 * and the SDK used from .mjs and .ts on Node 24, from .mjs on Node 20, and type-checked by a strict
 * TypeScript consumer under `nodenext` and `bundler`.
 */
const NODE_20 = '/usr/bin/node'
let work: string
let server: Packed
let sdk: Packed
/** cloudpartner, with TypeScript and Node's types for the typed consumer. */
let app: string
/** cloudpartner-sdk alone: what a project that only talks to the API installs. */
let sdkOnly: string

before(async () => {
  work = await mkdtemp(join(tmpdir(), 'cloudpartner-package-'))
  // One after the other: both builds write beside the sources they compile.
  server = await pack(SERVER_PACKAGE_DIR, work)
  sdk = await pack(SDK_PACKAGE_DIR, work)
  app = join(work, 'app')
  sdkOnly = join(work, 'sdk-only')
  const [typescript, nodeTypes] = await Promise.all([
    installedVersion('typescript'),
    installedVersion('@types/node'),
  ])
  await Promise.all([
    installProject(app, [server.tarball, `typescript@${typescript}`, `@types/node@${nodeTypes}`]),
    installProject(sdkOnly, [sdk.tarball]),
  ])
})

after(() => rm(work, { recursive: true, force: true }))

test('the server tarball holds what runs: the bundle with its maps, compiled code, declarations with their maps, sources, license', () => {
  const outside = server.files.filter(
    (file) =>
      !/^(bin|bundle|dist|src)\//.test(file) &&
      !['package.json', 'README.md', 'LICENSE', 'CHANGELOG.md'].includes(file),
  )
  assert.deepEqual(outside, [])
  for (const file of [
    'bin/cloudpartner.js',
    'bundle/cloudpartner.js',
    'bundle/cloudpartner.js.map',
    'bundle/assets/portal.css',
    'dist/index.js',
    'dist/index.d.ts',
    'dist/sdk/index.d.ts.map',
    'LICENSE',
  ])
    assert.ok(server.files.includes(file), `${file} is missing`)
  assert.deepEqual(
    server.files.filter((file) => /\.test\.|^dist\/.*\.js\.map$/.test(file)),
    [],
  )
  // Each chunk of the bundle has its source map beside it (stack traces, the module-load test).
  const chunks = server.files.filter((file) => /^bundle\/[^/]+\.js$/.test(file))
  assert.ok(chunks.length > 1, 'the lazily loaded code is in chunks of its own')
  assert.deepEqual(
    chunks.filter((chunk) => !server.files.includes(`${chunk}.map`)),
    [],
  )
  // postpack removes the builds: in the repository the command keeps running the sources.
  assert.equal(existsSync(join(ROOT, 'dist')), false)
  assert.equal(existsSync(join(ROOT, 'bundle')), false)
})

test('the SDK tarball holds the SDK and the shared schemas it imports, never the server', () => {
  assert.ok(sdk.files.includes('dist/sdk/index.js') && sdk.files.includes('dist/sdk/index.d.ts'))
  const server = sdk.files.filter((file) =>
    /(^|\/)(server|app|stores|storage|token-service|cli)[/.]/.test(file),
  )
  assert.deepEqual(server, [])
  assert.equal(existsSync(join(SDK_PACKAGE_DIR, 'dist')), false)
})

test('npx cloudpartner serve, installed: a token from its token service, then 200 from Retrieve offers', async (t) => {
  const served = start(t, 'npx', ['cloudpartner', 'serve', '--port', '0', '--data-dir', join(work, 'data')], {
    cwd: app,
  })
  const [, url = ''] = await served.waitFor(/listening on (http:\/\/\S+)/)
  const [, tenant, clientId, secret] = (await served.waitFor(
    /\/([0-9a-f-]{36})\/oauth2\/token[\s\S]*client_id=(\S+)[\s\S]*client_secret=(\S+)/,
  )) as string[]
  const token = await fetch(`${url}/${tenant}/oauth2/token`, {
    method: 'POST',
    body: new URLSearchParams({
      grant_type: 'client_credentials',
      client_id: clientId ?? '',
      client_secret: secret ?? '',
      resource: 'https://cloudpartner.azure.com',
    }),
  })
  assert.equal(token.status, 200)
  const { access_token } = (await token.json()) as { access_token: string }
  const offers = await fetch(`${url}/api/publishers/contoso/offers?api-version=2017-10-31`, {
    headers: { authorization: `Bearer ${access_token}` },
  })
  assert.equal(offers.status, 200)
  assert.ok(((await offers.json()) as unknown[]).length > 0)

  await t.test('the SDK lists the offers: .mjs and .ts on Node 24, .mjs on Node 20', async () => {
    await writeConsumers(url)
    const runs = [
      ['cloudpartner/sdk from .mjs', app, 'list-offers.mjs', undefined],
      ['cloudpartner/sdk from .ts', app, 'list-offers.ts', undefined],
      ['cloudpartner-sdk from .mjs', sdkOnly, 'list-offers.mjs', undefined],
      ['cloudpartner-sdk from .mts', sdkOnly, 'list-offers.mts', undefined],
      ['cloudpartner-sdk from .mjs on Node 20', sdkOnly, 'list-offers.mjs', NODE_20],
    ] as const
    for (const [what, cwd, file, node] of runs) {
      const { stdout } = await runOk(node ?? 'node', [file], { cwd })
      const listed = JSON.parse(stdout) as { offers: string[]; submissions: number; node: string }
      assert.ok(listed.offers.length > 0, what)
      assert.ok(listed.submissions >= 0, what)
      assert.equal(Number(listed.node.split('.')[0]) < 24, node !== undefined, `${what}: Node ${listed.node}`)
    }
  })

  await served.stop()
  assert.match(
    served.output().stderr,
    /SIGTERM received: finishing in-flight requests, then closing\.\nClosed\.\n/,
  )
})

test('the installed server loads at start what its first requests need, the rest when first used', async (t) => {
  // What an idle server must not have loaded (docs/performance.md, "Installed package"): tracing,
  // prom-client beyond its metric classes, the OpenAPI generator, Ajv and fast-json-stringify (until
  // a route they serve is called), the other CLI commands, HTTPS and the proxy. The server runs the
  // bundle (ADR 0010): a chunk it loads stands for the modules bundled in it, which the chunk's source
  // map names (our sources under src/, the dependencies' files under node_modules/).
  const lazy: Record<string, RegExp> = {
    OpenTelemetry: /\/node_modules\/@opentelemetry\//,
    "prom-client's index, cluster, Pushgateway, default metrics":
      /\/node_modules\/prom-client\/(index\.js|lib\/(cluster|pushgateway|defaultMetrics)\.js)$/,
    '@fastify/swagger and yaml': /\/node_modules\/(@fastify\/swagger|yaml)\//,
    Ajv: /\/node_modules\/ajv\//,
    'fast-json-stringify': /\/node_modules\/fast-json-stringify\/index\.js$/,
    'the other CLI commands': /\/src\/cli\/commands\/(?!index\.ts$|serve\.ts$)/,
    'HTTPS and the proxy': /\/src\/(tls\/https-entrance|proxy\/connect-proxy)\.ts$/,
  }
  const file = join(work, 'loaded-modules.txt')
  const recorder = new URL('./fixtures/record-loaded-modules.mjs', import.meta.url).href
  const served = start(
    t,
    'node',
    [
      '--import',
      recorder,
      'node_modules/cloudpartner/bin/cloudpartner.js',
      'serve',
      '--in-memory',
      '--port',
      '0',
    ],
    { cwd: app, env: userEnv({ extra: { LOADED_MODULES_FILE: file } }) },
  )
  const [, url = ''] = await served.waitFor(/listening on (http:\/\/\S+)/)
  assert.equal((await fetch(`${url}/health/ready`)).status, 200)
  const files = () => readFileSync(file, 'utf8').split('\n')
  const loaded = () => files().flatMap(bundledModules)
  const atStart = loaded()
  assert.ok(
    atStart.some((module) => module.endsWith('/node_modules/cloudpartner/src/server.ts')),
    'the recorder sees the server in the bundle',
  )
  // The bundle, not the compiled modules beside it, nor the dependencies it holds.
  assert.deepEqual(
    files().filter((url) => /\/node_modules\/(cloudpartner\/(dist|src)|typebox|fastify)\//.test(url)),
    [],
  )
  for (const [what, pattern] of Object.entries(lazy))
    assert.deepEqual(
      atStart.filter((module) => pattern.test(module)),
      [],
      `${what} loaded by an idle server`,
    )

  // Each is loaded by the request that needs it: the recorder sees what is loaded later.
  assert.equal((await fetch(`${url}/openapi.json`)).status, 200)
  assert.equal((await fetch(`${url}/metrics`)).status, 200)
  const later = loaded()
  for (const what of [
    '@fastify/swagger and yaml',
    "prom-client's index, cluster, Pushgateway, default metrics",
  ])
    assert.ok(
      later.some((module) => lazy[what]?.test(module)),
      `${what} after the first request that needs it`,
    )
  await served.stop()
})

test('a strict TypeScript consumer compiles with zero errors under nodenext and bundler', async () => {
  await writeConsumers('http://127.0.0.1:8080')
  // The two packages ship the same declarations: each mode once, on one package each, side by side
  // (a check takes ~30 s of CPU: TypeBox's types are deep, and the consumer checks every .d.ts).
  const tsc = join(app, 'node_modules/typescript/bin/tsc')
  const checks = [
    ['nodenext', app],
    ['bundler', sdkOnly],
  ] as const
  const results = await Promise.all(
    checks.map(([resolution, cwd]) =>
      run('node', [tsc, '-p', `tsconfig.${resolution}.json`], { cwd, timeoutMs: 600_000 }),
    ),
  )
  results.forEach((result, index) => {
    assert.equal(result.code, 0, `${checks[index]?.join(' in ')}:\n${result.stdout}${result.stderr}`)
  })
})

test('on Node 20 the server command exits 2 with one sentence and a command that runs it on Node 24', async () => {
  const result = await run('npx', ['cloudpartner', 'serve', '--port', '0'], {
    cwd: app,
    env: userEnv({ nodeDir: '/usr/bin' }),
  })
  assert.equal(result.code, 2, result.stderr)
  assert.match(
    result.stderr,
    /^cloudpartner needs Node\.js 24 or later and this is Node\.js 20\.[\d.]+; run it on Node 24 with:\n {2}npx -y -p node@24 -p cloudpartner@\d+\.\d+\.\d+ cloudpartner serve --port 0\n$/,
  )
})

/**
 * A loaded file's modules: a chunk of the installed bundle stands for the modules its source map
 * names (resolved beside the chunk, as the map's paths are relative to it); any other file for itself.
 */
function bundledModules(url: string): string[] {
  if (!/\/node_modules\/cloudpartner\/bundle\/[^/]+\.js$/.test(url)) return [url]
  const map = JSON.parse(readFileSync(new URL(`${url}.map`), 'utf8')) as { sources: string[] }
  return map.sources.map((source) => new URL(source, url).href)
}

/**
 * The same program in each form a user writes it, for each package: it lists the sample
 * publisher's offers and the first offer's submissions (whose 64-bit versions Node 20 reads
 * differently), and says which Node ran it.
 */
async function writeConsumers(url: string): Promise<void> {
  for (const [dir, specifier] of [
    [app, 'cloudpartner/sdk'],
    [sdkOnly, 'cloudpartner-sdk'],
  ] as const) {
    const program = (
      typed: boolean,
    ) => `import { CloudPartnerClient, developmentOptions${typed ? ', type OfferSummary, type Submission' : ''} } from '${specifier}'

const client = new CloudPartnerClient(developmentOptions('${url}'))
const offers${typed ? ': OfferSummary[]' : ''} = await client.offers.list('contoso')
const submissions${typed ? ': Submission[]' : ''} = await client.offers.listOperations('contoso', offers[0]${typed ? '?.id ?? ""' : '.id'})
const versions${typed ? ': bigint[]' : ''} = submissions.map((submission) => submission.version)
console.log(JSON.stringify({ offers: offers.map((offer) => offer.id), submissions: versions.length, node: process.versions.node }))
`
    await writeFile(join(dir, 'list-offers.mjs'), program(false))
    await writeFile(join(dir, dir === app ? 'list-offers.ts' : 'list-offers.mts'), program(true))
    for (const resolution of ['nodenext', 'bundler']) {
      const options = {
        strict: true,
        noEmit: true,
        target: 'es2022',
        module: resolution === 'bundler' ? 'esnext' : 'nodenext',
        moduleResolution: resolution,
        allowImportingTsExtensions: false,
        // The SDK-only project has no TypeScript of its own; Node's types come from the other one.
        typeRoots: [join(app, 'node_modules/@types')],
        types: ['node'],
      }
      await writeFile(
        join(dir, `tsconfig.${resolution}.json`),
        JSON.stringify({
          compilerOptions: options,
          files: [dir === app ? 'list-offers.ts' : 'list-offers.mts'],
        }),
      )
    }
  }
}
