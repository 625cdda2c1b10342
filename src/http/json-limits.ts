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

/**
 * One pass over a JSON text, before JSON.parse, that finds a body too deep, too large once parsed,
 * with too long an array, object or string, or holding a NUL character (which PostgreSQL cannot
 * store: refused on every backend so that both answer alike). Parsing first would be the expensive
 * work the limits exist to avoid: a 3.7 MB body of a million empty plans parsed into ~290 MB.
 *
 * It does not check the grammar (JSON.parse does, next); on text that is not JSON it may count
 * oddly, but it never throws, loops or recurses: one loop, and a stack bounded by maxJsonDepth.
 */
export function scanJsonText(text: string, limits: JsonLimits): JsonLimitBreach | undefined {
  // Commas seen directly in each open container (items or keys = commas + 1), and its kind.
  const commas: number[] = []
  const isArray: boolean[] = []
  let values = 0
  // The last character outside strings that was not white space: a value starts after [ , : or nothing.
  let previous = COMMA
  const length = text.length
  for (let i = 0; i < length; i++) {
    const c = text.charCodeAt(i)
    if (c === QUOTE) {
      const start = i
      for (i++; i < length; i++) {
        const s = text.charCodeAt(i)
        if (s === QUOTE) break
        if (s === BACKSLASH) {
          i++
          if (text.charCodeAt(i) === LOWER_U && text.startsWith('0000', i + 1)) return nul()
        }
      }
      if (i - start - 1 > limits.maxStringLength) return stringTooLong(limits.maxStringLength)
      if (++values > limits.maxJsonValues) return tooManyValues(limits.maxJsonValues)
      previous = QUOTE
      continue
    }
    if (c <= 0x20) continue
    if (c === OPEN_OBJECT || c === OPEN_ARRAY) {
      if (commas.length >= limits.maxJsonDepth) return tooDeep(limits.maxJsonDepth)
      if (++values > limits.maxJsonValues) return tooManyValues(limits.maxJsonValues)
      commas.push(0)
      isArray.push(c === OPEN_ARRAY)
    } else if (c === CLOSE_OBJECT || c === CLOSE_ARRAY) {
      commas.pop()
      isArray.pop()
    } else if (c === COMMA) {
      const top = commas.length - 1
      if (top >= 0) {
        const count = ++commas[top]
        if (isArray[top] && count >= limits.maxArrayItems) return arrayTooLong(limits.maxArrayItems)
        if (!isArray[top] && count >= limits.maxObjectKeys) return tooManyKeys(limits.maxObjectKeys)
      }
    } else if (previous === COMMA || previous === COLON || previous === OPEN_ARRAY) {
      // The first character of a number or literal (true, false, null).
      if (++values > limits.maxJsonValues) return tooManyValues(limits.maxJsonValues)
    }
    previous = c
  }
  return undefined
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
