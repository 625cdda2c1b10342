import assert from 'node:assert/strict'
import { readdir, readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { test } from 'node:test'
import { fileURLToPath } from 'node:url'
import { API_EXIT } from '../../src/cli/api/exit-codes.ts'
import { COMMANDS } from '../../src/cli/commands/index.ts'

/*
 * Every `cloudpartner …` command that a hint, a help text, a message or a document tells someone to
 * run exists. The hints and help texts are strings in src/, so reading the sources covers them;
 * the CHANGELOG is left out, as it records commands of the past.
 */
const ROOT = fileURLToPath(new URL('../../', import.meta.url))

async function textFiles(dir: string): Promise<string[]> {
  const entries = await readdir(join(ROOT, dir), { withFileTypes: true, recursive: true })
  return entries
    .filter((entry) => entry.isFile() && /\.(ts|md)$/.test(entry.name))
    .map((entry) => join(entry.parentPath, entry.name))
}

const groups = new Set(COMMANDS.filter((command) => command.path.length > 1).map(({ path }) => path[0]))
const topLevel = new Set(COMMANDS.filter((command) => command.path.length === 1).map(({ path }) => path[0]))

/** Undefined when the reference names a command (or a group alone); else why not. */
function problemOf(words: readonly string[], inCode: boolean): string | undefined {
  const [first, second] = words
  if (first === undefined || topLevel.has(first)) return undefined
  if (groups.has(first)) {
    if (second === undefined) return undefined
    const known = COMMANDS.some(({ path }) => path[0] === first && path[1] === second)
    return known ? undefined : `no command '${first} ${second}'`
  }
  // Prose ("cloudpartner lets a client…") is not a command line; code is.
  return inCode ? `no command '${first}'` : undefined
}

test('every cloudpartner command that the sources, the README and docs/ mention exists', async () => {
  const files = [join(ROOT, 'README.md'), ...(await textFiles('src')), ...(await textFiles('docs'))]
  const problems: string[] = []
  let references = 0
  for (const file of files) {
    const text = await readFile(file, 'utf8')
    // Not followed by a colon: `cloudpartner proxy: refused …` labels a message, it is no command line.
    for (const match of text.matchAll(/(`|npx |\$ )?\bcloudpartner((?: [a-z][a-z0-9-]*)*)(?![\w.:-])/g)) {
      const words = (match[2] ?? '').trim().split(' ').filter(Boolean)
      if (words.length === 0) continue
      references += 1
      // An example of a typo, shown with its error on the next line, is meant.
      const next = text.slice(match.index, text.indexOf('\n', text.indexOf('\n', match.index) + 1))
      if (next.includes('cloudpartner: unknown command')) continue
      const problem = problemOf(words, match[1] !== undefined)
      if (problem !== undefined) problems.push(`${file.slice(ROOT.length)}: '${match[0].trim()}': ${problem}`)
    }
  }
  assert.deepEqual(problems, [])
  // The scan reads what it should: the hints alone name dozens.
  assert.ok(references > 100, `only ${references} references found`)
})

test('the scan catches a command that does not exist', () => {
  assert.equal(problemOf(['offers', 'publishers'], false), "no command 'offers publishers'")
  assert.equal(problemOf(['offers', 'publish'], false), undefined)
  assert.equal(problemOf(['publish'], true), "no command 'publish'")
  assert.equal(problemOf(['lets', 'such'], false), undefined)
})

test('docs/cli.md documents exactly the exit codes the CLI uses', async () => {
  const text = await readFile(join(ROOT, 'docs/cli.md'), 'utf8')
  const documented = [...text.matchAll(/^\| (\d+) \|/gm)].map((match) => Number(match[1]))
  const used = [...new Set(Object.values(API_EXIT))].sort((a, b) => a - b)
  assert.deepEqual(documented, used)
})
