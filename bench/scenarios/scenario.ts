import type { BenchContext } from '../harness/bench-context.ts'
import type { ResultRow } from '../harness/results.ts'

export interface Scenario {
  /** Selects it with --only. */
  readonly name: string
  run(ctx: BenchContext): Promise<ResultRow[]>
}

export const API_VERSION = 'api-version=2017-10-31'
/** The load: 50 concurrent connections. */
export const CONNECTIONS = 50
