import type { TSchema } from 'typebox'
import { PATTERN_HINTS } from './schema-kit.ts'

/**
 * One thing wrong with an offer document: where (path segments from the document's root) and what.
 * Messages never quote the offending value: it may be a secret.
 */
export interface Problem {
  readonly path: readonly (string | number)[]
  readonly message: string
}

/** `definition.plans[0]['microsoft-azure-virtualmachines.vmImages']`, as a 400 names a field. */
export function fieldPath(path: readonly (string | number)[]): string {
  let out = ''
  for (const segment of path) {
    if (typeof segment === 'number') out += `[${segment}]`
    else if (/^[A-Za-z_$][\w$]*$/.test(segment)) out += out === '' ? segment : `.${segment}`
    else out += `['${segment.replaceAll("'", "\\'")}']`
  }
  return out === '' ? '(the document)' : out
}

/** `/definition/plans/0/microsoft-azure-virtualmachines.vmImages`, as the import CLI names a field. */
export function jsonPointer(path: readonly (string | number)[]): string {
  return path.map((segment) => `/${String(segment).replaceAll('~', '~0').replaceAll('/', '~1')}`).join('')
}

export function describeProblems(problems: readonly Problem[], limit: number): string {
  const shown = problems.slice(0, limit).map((problem) => `${fieldPath(problem.path)}: ${problem.message}`)
  const more = problems.length - shown.length
  return `${shown.join('; ')}${more > 0 ? `; and ${more} more problem(s)` : ''}`
}

/** The shape of TypeBox's (and Ajv's) validation errors. */
export interface SchemaError {
  readonly keyword: string
  readonly schemaPath: string
  readonly instancePath: string
  readonly params: Readonly<Record<string, unknown>>
  readonly message: string
}

/**
 * Turns schema errors into problems a person can act on: one per missing property, enums and
 * patterns explained rather than quoted, and a union's branch errors folded into one line that says
 * what was expected.
 */
export function problemsFromSchemaErrors(
  errors: Iterable<SchemaError>,
  root: TSchema,
  value: unknown,
  prefix: readonly (string | number)[],
): Problem[] {
  const problems: Problem[] = []
  const seen = new Set<string>()
  const add = (path: (string | number)[], message: string) => {
    const key = `${jsonPointer(path)} ${message}`
    if (seen.has(key)) return
    seen.add(key)
    problems.push({ path, message })
  }
  const all = [...errors]
  // A union's branch errors are noise, except those of the branch that has the value's own type:
  // for an object where a link object or a string is expected, the link's broken member is the news.
  const reported = new Set<SchemaError>()
  for (const error of all) {
    if (error.keyword !== 'anyOf') {
      if (!error.schemaPath.includes('/anyOf/')) reported.add(error)
      continue
    }
    const branch = matchingBranch(schemaAt(root, error.schemaPath), valueAt(value, error.instancePath))
    const branchPath = `${error.schemaPath}/anyOf/${branch}`
    const inner =
      branch === undefined
        ? []
        : all.filter(
            (other) =>
              (other.schemaPath === branchPath || other.schemaPath.startsWith(`${branchPath}/`)) &&
              (other.instancePath === error.instancePath ||
                other.instancePath.startsWith(`${error.instancePath}/`)),
          )
    for (const other of inner.length > 0 ? inner : [error]) reported.add(other)
  }
  for (const error of all) {
    if (!reported.has(error)) continue
    const path = [...prefix, ...segmentsOf(error.instancePath, value)]
    switch (error.keyword) {
      case 'required':
        for (const name of (error.params.requiredProperties as string[] | undefined) ?? []) {
          add([...path, name], 'is required')
        }
        break
      case 'enum':
        add(path, `must be one of ${(error.params.allowedValues as unknown[]).join(', ')}`)
        break
      case 'pattern': {
        const pattern = String(error.params.pattern)
        add(path, PATTERN_HINTS[pattern] ?? `must match the pattern ${pattern}`)
        break
      }
      case 'anyOf': {
        const expected = (schemaAt(root, error.schemaPath) as { 'x-expected'?: string } | undefined)?.[
          'x-expected'
        ]
        add(path, expected ? `must be ${expected}` : 'matches none of the accepted forms')
        break
      }
      default:
        add(path, error.message)
    }
  }
  return problems
}

/** The index of the union member whose JSON type is the value's, if exactly one is. */
function matchingBranch(union: unknown, value: unknown): number | undefined {
  const members = (union as { anyOf?: { type?: string }[] } | undefined)?.anyOf ?? []
  const type = Array.isArray(value) ? 'array' : value === null ? 'null' : typeof value
  const matches = members.flatMap((member, index) => (member.type === type ? [index] : []))
  return matches.length === 1 ? matches[0] : undefined
}

function valueAt(value: unknown, pointer: string): unknown {
  let current = value
  for (const raw of pointer.split('/').slice(1)) {
    const segment = raw.replaceAll('~1', '/').replaceAll('~0', '~')
    current =
      typeof current === 'object' && current !== null
        ? (current as Record<string, unknown>)[segment]
        : undefined
  }
  return current
}

/** Pointer segments, with array indices as numbers (so that paths print as `plans[0]`). */
function segmentsOf(pointer: string, value: unknown): (string | number)[] {
  if (pointer === '') return []
  const segments: (string | number)[] = []
  let current = value
  for (const raw of pointer.split('/').slice(1)) {
    const segment = raw.replaceAll('~1', '/').replaceAll('~0', '~')
    if (Array.isArray(current)) {
      const index = Number(segment)
      segments.push(index)
      current = current[index]
    } else {
      segments.push(segment)
      current =
        typeof current === 'object' && current !== null
          ? (current as Record<string, unknown>)[segment]
          : undefined
    }
  }
  return segments
}

function schemaAt(root: TSchema, schemaPath: string): unknown {
  let current: unknown = root
  for (const raw of schemaPath.replace(/^#/, '').split('/').slice(1)) {
    const segment = raw.replaceAll('~1', '/').replaceAll('~0', '~')
    current =
      typeof current === 'object' && current !== null
        ? (current as Record<string, unknown>)[segment]
        : undefined
  }
  return current
}
