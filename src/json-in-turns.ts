import { setImmediate as nextTurn } from 'node:timers/promises'

/**
 * Work on a large document, cut into turns of the event loop: no single request may keep the loop
 * from everyone else for long (issue 13, docs/performance.md "Largest bodies"). A request pauses
 * between its steps and inside long ones; a pause gives other requests a turn only once this
 * request has worked for a slice, so that a small document never waits for anyone.
 */
export class Turns {
  /** How long a request works before it lets others have a turn, when it can choose. */
  static readonly SLICE_MS = 4
  /** Characters of JSON handled between two looks at the clock. */
  static readonly CHECK_EVERY = 16 * 1024
  #sliceStarted = performance.now()
  #sinceCheck = 0

  /** Between two steps: a turn for the others if this request has worked for a slice. */
  async pause(): Promise<void> {
    if (performance.now() - this.#sliceStarted < Turns.SLICE_MS) return
    await nextTurn()
    this.#sliceStarted = performance.now()
  }

  /** Inside a long step, after `characters` of JSON (each value counts a few more): as `pause`. */
  async spend(characters: number): Promise<void> {
    this.#sinceCheck += characters + 8
    if (this.#sinceCheck < Turns.CHECK_EVERY) return
    this.#sinceCheck = 0
    await this.pause()
  }
}

/** A piece of output is cut at about this length: large enough to keep pieces few, small enough to live in the young generation. */
const PIECE = 64 * 1024
/** A value estimated at most this long is serialized in one call to JSON.stringify. */
const WHOLE = 96 * 1024

/**
 * JSON.stringify(value), as pieces whose concatenation is exactly that text, built across turns of
 * the event loop. Containers too large to serialize in one go are walked with a stack of their own
 * (no recursion on what a client sent); everything else, most of the document, by JSON.stringify
 * itself. For plain JSON data (what JSON.parse gives, as definitions are); a value with `toJSON` is
 * left to JSON.stringify whole.
 */
export async function stringifyInTurns(value: unknown, turns: Turns): Promise<string[]> {
  const pieces: string[] = []
  let current = ''
  const emit = (text: string) => {
    current += text
    if (current.length >= PIECE) {
      pieces.push(current)
      current = ''
    }
  }
  /** Writes a value whole, or opens it; false when JSON has no text for it (undefined, a function). */
  const open = async (member: unknown): Promise<boolean> => {
    if (!isWalked(member)) {
      const text = JSON.stringify(member) as string | undefined
      if (text === undefined) return false
      emit(text)
      await turns.spend(text.length)
      return true
    }
    const array = Array.isArray(member)
    emit(array ? '[' : '{')
    stack.push(
      array ? { array, items: member, index: 0 } : { array, entries: Object.entries(member), index: 0 },
    )
    await turns.spend(1)
    return true
  }
  const stack: Frame[] = []
  if (!(await open(value))) return []
  for (let frame = stack.at(-1); frame !== undefined; frame = stack.at(-1)) {
    if (frame.array) {
      if (frame.index === frame.items.length) {
        emit(']')
        stack.pop()
        continue
      }
      if (frame.index > 0) emit(',')
      // JSON.stringify writes null for an item that has no JSON of its own.
      if (!(await open(frame.items[frame.index++]))) emit('null')
      continue
    }
    if (frame.index === frame.entries.length) {
      emit('}')
      stack.pop()
      continue
    }
    const [key, member] = frame.entries[frame.index++] as [string, unknown]
    // JSON.stringify leaves out a member that has no JSON of its own.
    if (!hasJson(member)) continue
    emit(`${frame.wrote ? ',' : ''}${JSON.stringify(key)}:`)
    frame.wrote = true
    await open(member)
  }
  if (current !== '') pieces.push(current)
  return pieces
}

type Frame =
  | { readonly array: true; readonly items: readonly unknown[]; index: number }
  | { readonly array: false; readonly entries: readonly [string, unknown][]; index: number; wrote?: boolean }

function hasJson(value: unknown): boolean {
  return value !== undefined && typeof value !== 'function' && typeof value !== 'symbol'
}

/** A container too large to hand to JSON.stringify in one go, and plain (no toJSON of its own). */
function isWalked(value: unknown): value is Record<string, unknown> | unknown[] {
  if (typeof value !== 'object' || value === null) return false
  if (typeof (value as { toJSON?: unknown }).toJSON === 'function') return false
  return !fitsIn(value, WHOLE)
}

/**
 * Whether a value's JSON is at most about `limit` characters long, estimated with a stack of its
 * own that stops as soon as it has seen more: what deciding costs is bounded by what it decides.
 */
function fitsIn(root: object, limit: number): boolean {
  let size = 0
  const pending: unknown[] = [root]
  for (let value = pending.pop(); pending.length > 0 || value !== undefined; value = pending.pop()) {
    if (typeof value === 'string') size += value.length + 2
    else if (typeof value !== 'object' || value === null) size += 5
    else if (Array.isArray(value)) {
      size += 2 + value.length
      for (const item of value) pending.push(item)
    } else {
      for (const key in value) {
        size += key.length + 4
        pending.push((value as Record<string, unknown>)[key])
      }
      size += 2
    }
    if (size > limit) return false
  }
  return true
}
