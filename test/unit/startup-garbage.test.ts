import assert from 'node:assert/strict'
import { execFile } from 'node:child_process'
import { test } from 'node:test'

const MODULE = new URL('../../src/startup-garbage.ts', import.meta.url).href

/**
 * A process with the server's gc function runs a large function once, as start-up runs the code
 * that parses the settings or builds the routes, then never again; it prints V8's bytecode size
 * before the function compiles, after it ran, and once the collection has dropped it (or 20 s on).
 */
const PROGRAM = `
import { getHeapCodeStatistics } from 'node:v8'
import { collectStartupGarbage } from ${JSON.stringify(MODULE)}
const bytecode = () => getHeapCodeStatistics().bytecode_and_metadata_size
const body = Array.from({ length: 2000 }, (_, i) => 'x = (x * ' + i + ' + 7) % 1000003;').join('\\n')
const { startupOnly } = await import('data:text/javascript,' + encodeURIComponent('export function startupOnly() { let x = 1; ' + body + ' return x }'))
const compiled = bytecode()
startupOnly()
const ran = bytecode()
const dropped = compiled + (ran - compiled) / 10
collectStartupGarbage(0)
const until = Date.now() + 20_000
while (bytecode() > dropped && Date.now() < until) await new Promise((resolve) => setTimeout(resolve, 20))
console.log(JSON.stringify({ compiled, ran, collected: bytecode() }))
`

test('the collection once listening drops the bytecode of code that only start-up ran', async () => {
  const stdout = await new Promise<string>((resolve, reject) =>
    execFile(
      process.execPath,
      ['--expose-gc', '--max-semi-space-size=8', '--input-type=module', '-e', PROGRAM],
      (error, out, err) => (error ? reject(new Error(`${error.message}\n${err}`)) : resolve(out)),
    ),
  )
  const { compiled, ran, collected } = JSON.parse(stdout) as Record<string, number>
  const size = (ran ?? 0) - (compiled ?? 0)
  assert.ok(size > 20_000, `the function compiled to ${size} bytes of bytecode`)
  // It goes (a tenth of its size is room for the small functions that ran since: the wait's).
  assert.ok(
    (collected ?? Infinity) < (compiled ?? 0) + size / 10,
    `bytecode ${compiled} → ${ran} → ${collected}`,
  )
})
