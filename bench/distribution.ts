import { execFileSync } from 'node:child_process'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import {
  footprint,
  installProject,
  pack,
  SDK_PACKAGE_DIR,
  SERVER_PACKAGE_DIR,
} from '../test/distribution/packages.ts'
import { NODE_24_DIR, runOk, userEnv } from '../test/distribution/processes.ts'
import { ROOT } from '../test/helpers/import-graph.ts'

/**
 * `npm run bench:distribution`: the figures of docs/distribution.md. The two tarballs (size, files),
 * installing each into a fresh project (time, footprint), the installed server as `npx cloudpartner
 * serve` starts it against the clone's `node bin/cloudpartner.js serve` (time to /health/ready, RSS
 * once idle; the second of two starts, as the compile cache is then warm), the SDK-only project's
 * import time on Node 24 and Node 20, and the image's size when podman has it. One run, on this
 * machine, under whatever else it runs: compare the figures of one run with each other.
 */
const work = await mkdtemp(join(tmpdir(), 'cloudpartner-distribution-'))
const rows: [string, string][] = []
const mb = (bytes: number) => `${(bytes / 1e6).toFixed(1)} MB`
try {
  const server = await pack(SERVER_PACKAGE_DIR, work)
  const sdk = await pack(SDK_PACKAGE_DIR, work)
  rows.push([
    'cloudpartner tarball',
    `${(server.size / 1e3).toFixed(0)} kB, ${server.files.length} files (${mb(server.unpackedSize)} unpacked)`,
  ])
  rows.push([
    'cloudpartner-sdk tarball',
    `${(sdk.size / 1e3).toFixed(0)} kB, ${sdk.files.length} files (${mb(sdk.unpackedSize)} unpacked)`,
  ])

  const app = join(work, 'app')
  const sdkOnly = join(work, 'sdk-only')
  const appMs = await installProject(app, [server.tarball])
  const sdkMs = await installProject(sdkOnly, [sdk.tarball])
  for (const [name, dir, ms] of [
    ['cloudpartner', app, appMs],
    ['cloudpartner-sdk', sdkOnly, sdkMs],
  ] as const) {
    const { bytes, files } = await footprint(join(dir, 'node_modules'))
    const count =
      execFileSync('npm', ['ls', '--all', '--parseable'], { cwd: dir, encoding: 'utf8', env: userEnv() })
        .trim()
        .split('\n').length - 1
    rows.push([
      `install ${name} (npm cache warm)`,
      `${(ms / 1000).toFixed(1)} s; node_modules ${mb(bytes)}, ${files} files, ${count} packages`,
    ])
  }

  for (const [what, cwd, command, args] of [
    ['installed: npx cloudpartner serve', app, 'npx', ['cloudpartner', 'serve']],
    [
      'clone: node bin/cloudpartner.js serve',
      ROOT,
      join(NODE_24_DIR, 'node'),
      ['bin/cloudpartner.js', 'serve'],
    ],
  ] as const) {
    const measured = []
    for (let start = 0; start < 2; start += 1)
      measured.push(
        await startAndMeasure(cwd, command, [...args, '--in-memory', '--port', `${18_500 + start}`]),
      )
    const last = measured.at(-1)
    if (last)
      rows.push([
        what,
        `ready in ${last.readyMs} ms (first start ${measured[0]?.readyMs} ms); idle RSS ${mb(last.rssKb * 1024)}`,
      ])
  }

  await writeFile(
    join(sdkOnly, 'import.mjs'),
    "const t = performance.now(); await import('cloudpartner-sdk'); console.log(Math.round(performance.now() - t))\n",
  )
  for (const [node, label] of [
    [join(NODE_24_DIR, 'node'), 'Node 24'],
    ['/usr/bin/node', 'Node 20'],
  ] as const) {
    const times = []
    for (let i = 0; i < 5; i += 1)
      times.push(Number((await runOk(node, ['import.mjs'], { cwd: sdkOnly })).stdout.trim()))
    times.sort((a, b) => a - b)
    rows.push([`import 'cloudpartner-sdk' (${label}, median of 5)`, `${times[2]} ms`])
  }

  try {
    const size = execFileSync(
      'podman',
      ['image', 'inspect', '--format', '{{.Size}}', 'localhost/cloudpartner:test'],
      { encoding: 'utf8' },
    )
    rows.push(['image localhost/cloudpartner:test (assembled base)', mb(Number(size.trim()))])
  } catch {
    rows.push(['image', 'not built on this machine (npm run test:containers builds it)'])
  }
} finally {
  await rm(work, { recursive: true, force: true })
}
process.stdout.write(
  `| What | Measured |\n|---|---|\n${rows.map(([what, value]) => `| ${what} | ${value} |`).join('\n')}\n`,
)

/** Starts a server, waits for /health/ready, lets it settle idle for 2 s, reads its RSS, stops it. */
async function startAndMeasure(
  cwd: string,
  command: string,
  args: string[],
): Promise<{ readyMs: number; rssKb: number }> {
  const { spawn } = await import('node:child_process')
  const port = args.at(-1)
  const started = performance.now()
  const child = spawn(command, args, { cwd, env: userEnv(), stdio: 'ignore', detached: true })
  try {
    for (;;) {
      try {
        if ((await fetch(`http://127.0.0.1:${port}/health/ready`)).status === 200) break
      } catch {}
      if (performance.now() - started > 120_000) throw new Error(`${command} ${args.join(' ')} not ready`)
      await new Promise((resolve) => setTimeout(resolve, 20))
    }
    const readyMs = Math.round(performance.now() - started)
    await new Promise((resolve) => setTimeout(resolve, 2000))
    const ps = execFileSync('ps', ['-o', 'rss=,args=', '-g', `${child.pid}`], { encoding: 'utf8' })
    const server = ps.split('\n').find((line) => line.includes('--max-semi-space-size'))
    return { readyMs, rssKb: Number(server?.trim().split(/\s+/)[0] ?? 0) }
  } finally {
    process.kill(-(child.pid ?? 0), 'SIGTERM')
    await new Promise((resolve) => child.once('exit', resolve))
  }
}
