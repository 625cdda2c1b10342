import { loadConfig } from '../../src/config.ts'
import { scanJsonText } from '../../src/http/json-limits.ts'

/**
 * The largest bodies of each shape that the default limits accept (docs/limits-and-protection.md):
 * each shape is grown until one more step would break a limit (body size, JSON values, plans, ...),
 * so that the figures follow the defaults when they change.
 */
export interface LargestBody {
  readonly name: string
  /** A PUT body that creates the offer. */
  readonly body: string
  /** Another body of the same shape and size, for the replacement: its plans changed. */
  readonly replacement: string
}

const DEFAULTS = loadConfig({})
const VM = 'microsoft-azure-virtualmachines'

const offer = (definition: string) => `{"offerTypeId":"${VM}","definition":${definition}}`
const definition = (name: string, offerBag: string, plans: readonly string[]) =>
  offer(`{"displayText":"${name}","offer":{${offerBag}},"plans":[${plans.join(',')}]}`)
const range = (count: number) => Array.from({ length: count }, (_, index) => index)

/** What the shapes are built from: how many of the growing part, and which variant (0 or 1). */
type Shape = (size: number, variant: number) => string

const SHAPES: readonly (readonly [string, Shape])[] = [
  [
    `plans: ${DEFAULTS.maxPlans.toLocaleString('en')} plans`,
    (size, variant) =>
      definition(
        'Plans',
        '',
        range(DEFAULTS.maxPlans).map(
          (index) =>
            `{"planId":"plan-${index}","${VM}.skuTitle":"${variant}${'t'.repeat(49)}","${VM}.skuSummary":"${'s'.repeat(size)}"}`,
        ),
      ),
  ],
  [
    'images: plans of 8 disk versions with 15 data disks each',
    (size, variant) =>
      definition(
        'Images',
        '',
        range(size).map((index) => {
          const image = (version: number) =>
            `"1.0.${version}":{"osVhdUrl":"https://disks.example/os-${index}-${version}-${variant}.vhd","lunVhdDetails":[${range(
              15,
            )
              .map(
                (lun) =>
                  `{"lun":${lun},"lunVhdUrl":"https://disks.example/data-${index}-${version}-${lun}.vhd"}`,
              )
              .join(',')}]}`
          return `{"planId":"plan-${index}","${VM}.vmImages":{${range(8).map(image).join(',')}}}`
        }),
      ),
  ],
  [
    `keys: plans of ${(DEFAULTS.maxObjectKeys - 10).toLocaleString('en')} keys each`,
    (size, variant) =>
      definition(
        'Keys',
        '',
        range(size).map(
          (index) =>
            `{"planId":"plan-${index}",${range(DEFAULTS.maxObjectKeys - 10)
              .map((key) => `"contoso.note${key}":"${variant}${key}"`)
              .join(',')}}`,
        ),
      ),
  ],
  [
    'long strings: strings of 262,144 characters',
    (size, variant) =>
      definition(
        'Strings',
        '',
        range(size).map(
          (index) =>
            `{"planId":"plan-${index}","contoso.notes":"${variant}${'n'.repeat(DEFAULTS.maxStringLength - 1)}"}`,
        ),
      ),
  ],
  [
    `deep nesting: objects nested to --max-json-depth (${DEFAULTS.maxJsonDepth})`,
    (size, variant) => {
      // The body, its definition and the offer bag are three levels: the chains fill the rest.
      const depth = DEFAULTS.maxJsonDepth - 3
      const chain = (index: number) =>
        `"contoso.deep${index}":${'{"a":'.repeat(depth - 1)}{"leaf":${variant}}${'}'.repeat(depth - 1)}`
      return definition('Deep', range(size).map(chain).join(','), [])
    },
  ],
]

/** The bodies, each the largest of its shape within the default limits. */
export function largestBodies(): LargestBody[] {
  return SHAPES.map(([name, shape]) => {
    const size = largestSize(shape)
    return { name, body: shape(size, 0), replacement: shape(size, 1) }
  })
}

function accepted(body: string): boolean {
  return Buffer.byteLength(body) <= DEFAULTS.maxBodyBytes && scanJsonText(body, DEFAULTS) === undefined
}

/** The largest size whose bodies (both variants) the limits accept: doubling, then bisection. */
function largestSize(shape: Shape): number {
  const fits = (size: number) => accepted(shape(size, 0)) && accepted(shape(size, 1))
  if (!fits(1)) throw new Error('even the smallest body of this shape is refused')
  let low = 1
  let high = 2
  while (fits(high)) {
    low = high
    high *= 2
  }
  while (high - low > 1) {
    const middle = Math.floor((low + high) / 2)
    if (fits(middle)) low = middle
    else high = middle
  }
  return low
}
