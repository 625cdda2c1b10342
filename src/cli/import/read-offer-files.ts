import { readdir, readFile, stat } from 'node:fs/promises'
import { join } from 'node:path'

/**
 * One candidate offer document, or why a file gave none, and where it came from, for messages:
 * `dir/vm.json` or `dir/all.json[3]`.
 */
export type OfferInput =
  | { readonly source: string; readonly value: unknown }
  | { readonly source: string; readonly problem: string }

/**
 * Reads the import's inputs: files, or directories meaning every `*.json` directly in them (sorted by
 * name, so imports are repeatable). A file holds one offer object or an array of them. Nothing stops at
 * the first problem: unreadable files come back as problems, in order, so one run shows everything to fix.
 */
export async function readOfferFiles(
  paths: readonly string[],
): Promise<{ inputs: OfferInput[]; files: number }> {
  const inputs: OfferInput[] = []
  let files = 0
  for (const path of paths) {
    const found = await jsonFilesAt(path)
    if ('problem' in found) {
      inputs.push({ source: path, problem: found.problem })
      continue
    }
    for (const file of found.files) {
      files += 1
      const read = await readJson(file)
      if ('problem' in read) inputs.push({ source: file, problem: read.problem })
      else if (Array.isArray(read.value))
        read.value.forEach((value, index) => {
          inputs.push({ source: `${file}[${index}]`, value })
        })
      else if (typeof read.value === 'object' && read.value !== null)
        inputs.push({ source: file, value: read.value })
      else inputs.push({ source: file, problem: 'must hold an offer (a JSON object) or an array of offers' })
    }
  }
  return { inputs, files }
}

async function jsonFilesAt(path: string): Promise<{ files: string[] } | { problem: string }> {
  try {
    if (!(await stat(path)).isDirectory()) return { files: [path] }
    const names = (await readdir(path)).filter((name) => name.toLowerCase().endsWith('.json')).sort()
    if (names.length === 0) return { problem: 'the directory holds no .json files' }
    return { files: names.map((name) => join(path, name)) }
  } catch (error) {
    return { problem: describeFsError(error as NodeJS.ErrnoException) }
  }
}

async function readJson(file: string): Promise<{ value: unknown } | { problem: string }> {
  let text: string
  try {
    text = await readFile(file, 'utf8')
  } catch (error) {
    return { problem: describeFsError(error as NodeJS.ErrnoException) }
  }
  try {
    // A BOM is what some Windows editors put first; JSON.parse would reject it.
    return { value: JSON.parse(text.replace(/^\uFEFF/, '')) }
  } catch (error) {
    return { problem: `not valid JSON: ${(error as Error).message}` }
  }
}

function describeFsError(error: NodeJS.ErrnoException): string {
  if (error.code === 'ENOENT') return 'no such file or directory'
  if (error.code === 'EACCES') return 'permission denied'
  return error.message
}
