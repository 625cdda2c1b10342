import { readFileSync } from 'node:fs'
import { readFile } from 'node:fs/promises'
import { OperationError } from '../cli-errors.ts'

/** One JSON document from a file, or from stdin for `-`. A file that cannot be read or parsed is exit 1. */
export async function readDocument(path: string): Promise<unknown> {
  let text: string
  try {
    // fd 0: stdin, read to its end.
    text = path === '-' ? readFileSync(0, 'utf8') : await readFile(path, 'utf8')
  } catch (error) {
    const { code, message } = error as NodeJS.ErrnoException
    throw new OperationError(
      `cannot read ${path === '-' ? 'stdin' : path}: ${code === 'ENOENT' ? 'no such file' : message}`,
    )
  }
  try {
    return JSON.parse(text) as unknown
  } catch (error) {
    throw new OperationError(`${path === '-' ? 'stdin' : path} is not JSON: ${(error as Error).message}`)
  }
}
