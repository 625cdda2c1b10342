import { readFileSync } from 'node:fs'

/**
 * Reads a V8 .cpuprofile (node --cpu-prof) and prints where the time went: self time by package or
 * source folder, the functions with the most self time, and the most inclusive time (a flame graph
 * read as a list). `node bench/harness/profile-summary.ts <file.cpuprofile> [top]`; with `--folded`
 * instead of `top`, the folded stacks (`a;b;c microseconds`) that flamegraph.pl or speedscope draw
 * as a flame graph. The .cpuprofile itself opens as one in Chrome DevTools and speedscope too.
 */
interface ProfileNode {
  readonly id: number
  readonly callFrame: { functionName: string; url: string; lineNumber: number }
  readonly children?: readonly number[]
}
interface Profile {
  readonly nodes: readonly ProfileNode[]
  readonly samples: readonly number[]
  readonly timeDeltas: readonly number[]
}

export function summarizeProfile(profile: Profile, top = 25): string {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]))
  const parent = new Map<number, number>()
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id)
  const self = new Map<string, number>()
  const inclusive = new Map<string, number>()
  const byPlace = new Map<string, number>()
  // Shares are of the time the process was busy: idle time only says how long the profile ran.
  let total = 0
  let idle = 0
  profile.samples.forEach((id, index) => {
    const micros = profile.timeDeltas[index] ?? 0
    const node = byId.get(id) as ProfileNode
    if (node.callFrame.functionName === '(idle)') {
      idle += micros
      return
    }
    total += micros
    add(self, label(node), micros)
    add(byPlace, place(node), micros)
    const seen = new Set<string>()
    for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
      const name = label(byId.get(at) as ProfileNode)
      if (!seen.has(name)) add(inclusive, name, micros)
      seen.add(name)
    }
  })
  const share = (micros: number) => `${((100 * micros) / total).toFixed(1).padStart(5)} %`
  const list = (map: Map<string, number>, count: number) =>
    [...map.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, count)
      .map(([name, micros]) => `  ${share(micros)}  ${name}`)
      .join('\n')
  return [
    `busy ${(total / 1e6).toFixed(2)} s, idle ${(idle / 1e6).toFixed(2)} s; shares are of the busy time`,
    'self time by place:',
    list(byPlace, 20),
    'self time by function:',
    list(self, top),
    'inclusive time by function:',
    list(inclusive, top * 2),
  ].join('\n')
}

function add(map: Map<string, number>, key: string, micros: number): void {
  map.set(key, (map.get(key) ?? 0) + micros)
}

function label(node: ProfileNode): string {
  const { functionName, url, lineNumber } = node.callFrame
  const file = url.replace(/^file:\/\/.*?\/(node_modules|src|bench)\//, '$1/')
  return `${functionName || '(anonymous)'} ${file ? `${file}:${lineNumber + 1}` : ''}`.trim()
}

/** The package (node_modules/x), source folder (src/x), Node internals, or V8 pseudo-frame. */
function place(node: ProfileNode): string {
  const { url, functionName } = node.callFrame
  if (!url) return `(${functionName.replace(/[()]/g, '') || 'native'})`
  const modules = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url)
  if (modules) return `node_modules/${modules[1]}`
  const source = /\/(src|bench)\/([^/]+)/.exec(url)
  if (source) return `${source[1]}/${source[2]}`
  if (url.startsWith('node:')) return url.split('/').slice(0, 2).join('/')
  return url
}

/** One line per distinct stack, root first, with the microseconds sampled in it. */
export function foldedStacks(profile: Profile): string {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]))
  const parent = new Map<number, number>()
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id)
  const stacks = new Map<string, number>()
  profile.samples.forEach((id, index) => {
    const frames: string[] = []
    for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
      frames.push(label(byId.get(at) as ProfileNode).replaceAll(';', ','))
    }
    add(stacks, frames.reverse().join(';'), profile.timeDeltas[index] ?? 0)
  })
  return [...stacks.entries()].map(([stack, micros]) => `${stack} ${micros}`).join('\n')
}

if (import.meta.main) {
  const [file, top] = process.argv.slice(2)
  if (file === undefined) throw new Error('usage: profile-summary.ts <file.cpuprofile> [top | --folded]')
  const profile = JSON.parse(readFileSync(file, 'utf8')) as Profile
  console.log(top === '--folded' ? foldedStacks(profile) : summarizeProfile(profile, Number(top ?? 25)))
}
