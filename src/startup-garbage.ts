/**
 * Gives the memory that start-up used back to the system once the server is up (docs/performance.md,
 * "Installed package" and "Idle memory: start-up's bytecode"). Two things hold it after listening:
 *
 * - **V8's young generation and the old generation's garbage.** Loading the modules and compiling
 *   the schemas grows the young generation to its largest size (2 × 8 MB) and leaves garbage in the
 *   old one. V8 returns that only at a GC it runs to reduce memory, and an idle server never gets
 *   one: its memory reducer waits for the allocation rate to fall, which it measures at GCs, and an
 *   idle server runs none. A last-resort collection (two full GCs that also shrink the young
 *   generation and compact) does it.
 * - **The bytecode of code that only start-up runs** (parsing the settings, opening and checking the
 *   store, building the routes, loading the keyring). V8 drops a function's bytecode once the
 *   function has not run for `--bytecode-old-age` (6) full GCs, and compiles it again if it is ever
 *   called. The forced GCs of V8's gc function leave the ages alone, except the last-resort ones:
 *   three of them (six full GCs) age start-up's functions out, where one kept all of their bytecode,
 *   and a fourth compacts the pages it was on (without it the heap stays as large, with holes).
 *   Each in a turn of its own, so that a request that comes meanwhile waits for one at most; a
 *   function that a request runs between them starts its age again, so what requests use is kept.
 *
 * The GC function exists when Node runs with --expose-gc, one of the server's Node flags
 * (bin/cloudpartner.js); without it (tests that build the app in their own process) nothing happens.
 */
export function collectStartupGarbage(delayMs = STARTUP_GC_DELAY_MS): void {
  const gc = (globalThis as { gc?: (options: GcOptions) => void }).gc
  if (typeof gc !== 'function') return
  let left = AGING_COLLECTIONS
  const collect = () => {
    gc({ type: 'major', execution: 'sync', flavor: 'last-resort' })
    left -= 1
    if (left > 0) setTimeout(collect, AGING_INTERVAL_MS).unref()
  }
  // Not at once: the first requests (readiness probes, a CI job's first calls) come right after
  // listening, and should not wait for the collection. unref: it never keeps a closing process up.
  setTimeout(collect, delayMs).unref()
}

/** Long enough for the first probes to be answered, short enough to be over before anyone looks. */
const STARTUP_GC_DELAY_MS = 500

/**
 * Last-resort collections of two full GCs each: V8's `--bytecode-old-age` (6) full GCs to drop the
 * bytecode, then one collection to compact.
 */
const AGING_COLLECTIONS = 4

const AGING_INTERVAL_MS = 100

/** V8's gc extension: `last-resort` is the collection that also shrinks the young generation. */
interface GcOptions {
  readonly type: 'major'
  readonly execution: 'sync'
  readonly flavor: 'last-resort'
}
