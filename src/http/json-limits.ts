import { type Config, limitHint } from '../config.ts'

/** The bounds on a JSON body (config.schema.ts), checked on its text before it is parsed. */
export type JsonLimits = Pick<
  Config,
  'maxJsonDepth' | 'maxJsonValues' | 'maxArrayItems' | 'maxObjectKeys' | 'maxStringLength'
>

/** Which bound a body broke: the setting's name, and what the client is told. */
export interface JsonLimitBreach {
  readonly setting: keyof JsonLimits | 'nul'
  /** 413 for the bound on the body's total size once parsed, 400 for the shape of one part. */
  readonly status: 400 | 413
  readonly message: string
}

const QUOTE = 0x22
const BACKSLASH = 0x5c
const OPEN_OBJECT = 0x7b
const CLOSE_OBJECT = 0x7d
const OPEN_ARRAY = 0x5b
const CLOSE_ARRAY = 0x5d
const COMMA = 0x2c
const COLON = 0x3a
const LOWER_U = 0x75
const ZERO = 0x30

/** Where an escape in a string stands: none, just after `\`, or after `\u` and 0 to 3 zeros. */
const NO_ESCAPE = 0
const AFTER_BACKSLASH = 1
const AFTER_U = 2

/**
 * A pass over a JSON body's bytes as they arrive, before JSON.parse, that finds a body too deep, too
 * large once parsed, with too long an array, object or string, or holding a NUL character (which
 * PostgreSQL cannot store: refused on every backend so that both answer alike). Parsing first would
 * be the expensive work the limits exist to avoid: a 3.7 MB body of a million empty plans parsed into
 * ~290 MB. Fed chunk by chunk, it costs each chunk a fraction of a millisecond while the body
 * arrives, instead of one pass over the whole body in one turn of the event loop once it has.
 *
 * It reads UTF-8 bytes: every byte of a multi-byte character is 0x80 or above, so none is taken for
 * JSON's punctuation, and a string's length is counted in the UTF-16 units JavaScript counts ("as
 * sent": escapes count as written). It does not check the grammar (JSON.parse does, next); on text
 * that is not JSON it may count oddly, but it never throws, loops or recurses: one loop, and a stack
 * bounded by maxJsonDepth.
 */
export class JsonLimitScanner {
  readonly #limits: JsonLimits
  /** Commas seen directly in each open container (items or keys = commas + 1), and its kind. */
  readonly #commas: number[] = []
  readonly #isArray: boolean[] = []
  #values = 0
  /** The last byte outside strings that was not white space: a value starts after [ , : or nothing. */
  #previous = COMMA
  #inString = false
  #stringLength = 0
  #escape = NO_ESCAPE
  /** Zeros seen after `\u`. */
  #zeros = 0
  #breach: JsonLimitBreach | undefined
  #empty = true

  constructor(limits: JsonLimits) {
    this.#limits = limits
  }

  /** The first limit the body broke, once it has; later chunks are not looked at. */
  get breach(): JsonLimitBreach | undefined {
    return this.#breach
  }

  /** Whether everything so far was white space (an empty body is no body). */
  get empty(): boolean {
    return this.#empty
  }

  /** Scans the next bytes of the body; answers the breach, if any so far. */
  write(bytes: Uint8Array): JsonLimitBreach | undefined {
    if (this.#breach === undefined) this.#breach = this.#scan(bytes)
    return this.#breach
  }

  #scan(bytes: Uint8Array): JsonLimitBreach | undefined {
    const limits = this.#limits
    const commas = this.#commas
    const isArray = this.#isArray
    const length = bytes.length
    for (let i = 0; i < length; i++) {
      const c = bytes[i] as number
      if (this.#inString) {
        // Not a continuation byte: one unit more, and a 4-byte character is two (a surrogate pair).
        if ((c & 0xc0) !== 0x80) this.#stringLength += c >= 0xf0 ? 2 : 1
        if (this.#escape === AFTER_BACKSLASH) {
          this.#escape = c === LOWER_U ? AFTER_U : NO_ESCAPE
          this.#zeros = 0
        } else if (this.#escape === AFTER_U) {
          if (c !== ZERO) this.#escape = NO_ESCAPE
          else if (++this.#zeros === 4) return nul()
        } else if (c === BACKSLASH) {
          this.#escape = AFTER_BACKSLASH
        } else if (c === QUOTE) {
          this.#inString = false
          // The closing quote was counted above.
          if (this.#stringLength - 1 > limits.maxStringLength) return stringTooLong(limits.maxStringLength)
          if (++this.#values > limits.maxJsonValues) return tooManyValues(limits.maxJsonValues)
          this.#previous = QUOTE
        }
        continue
      }
      if (c <= 0x20) continue
      this.#empty = false
      if (c === QUOTE) {
        this.#inString = true
        this.#stringLength = 0
        this.#escape = NO_ESCAPE
        continue
      }
      if (c === OPEN_OBJECT || c === OPEN_ARRAY) {
        if (commas.length >= limits.maxJsonDepth) return tooDeep(limits.maxJsonDepth)
        if (++this.#values > limits.maxJsonValues) return tooManyValues(limits.maxJsonValues)
        commas.push(0)
        isArray.push(c === OPEN_ARRAY)
      } else if (c === CLOSE_OBJECT || c === CLOSE_ARRAY) {
        commas.pop()
        isArray.pop()
      } else if (c === COMMA) {
        const top = commas.length - 1
        if (top >= 0) {
          const count = (commas[top] as number) + 1
          commas[top] = count
          if (isArray[top] && count >= limits.maxArrayItems) return arrayTooLong(limits.maxArrayItems)
          if (!isArray[top] && count >= limits.maxObjectKeys) return tooManyKeys(limits.maxObjectKeys)
        }
      } else if (this.#previous === COMMA || this.#previous === COLON || this.#previous === OPEN_ARRAY) {
        // The first character of a number or literal (true, false, null).
        if (++this.#values > limits.maxJsonValues) return tooManyValues(limits.maxJsonValues)
      }
      this.#previous = c
    }
    return undefined
  }
}

/** The scanner over a whole text at once (tests, the bench's bodies). */
export function scanJsonText(text: string, limits: JsonLimits): JsonLimitBreach | undefined {
  return new JsonLimitScanner(limits).write(Buffer.from(text))
}

function nul(): JsonLimitBreach {
  return {
    setting: 'nul',
    status: 400,
    message: 'The request body holds a NUL character (\\u0000), which cannot be stored.',
  }
}

function tooDeep(limit: number): JsonLimitBreach {
  return {
    setting: 'maxJsonDepth',
    status: 400,
    message: `The request body nests objects and arrays deeper than ${limit} levels ${limitHint('maxJsonDepth')}.`,
  }
}

function tooManyValues(limit: number): JsonLimitBreach {
  return {
    setting: 'maxJsonValues',
    status: 413,
    message: `The request body holds more than ${limit} JSON values ${limitHint('maxJsonValues')}.`,
  }
}

function arrayTooLong(limit: number): JsonLimitBreach {
  return {
    setting: 'maxArrayItems',
    status: 400,
    message: `An array in the request body has more than ${limit} items ${limitHint('maxArrayItems')}.`,
  }
}

function tooManyKeys(limit: number): JsonLimitBreach {
  return {
    setting: 'maxObjectKeys',
    status: 400,
    message: `An object in the request body has more than ${limit} keys ${limitHint('maxObjectKeys')}.`,
  }
}

function stringTooLong(limit: number): JsonLimitBreach {
  return {
    setting: 'maxStringLength',
    status: 400,
    message: `A string in the request body is longer than ${limit} characters ${limitHint('maxStringLength')}.`,
  }
}
