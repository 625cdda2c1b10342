/**
 * Gives the memory that start-up used back to the system once the server is up (docs/performance.md,
 * "Installed package"). Loading ~1,400 modules and compiling the schemas grows V8's young generation
 * to its largest size (2 × 8 MB) and leaves garbage in the old one. V8 returns that only at a GC it
 * runs to reduce memory, and an idle server never gets one: its memory reducer waits for the
 * allocation rate to fall, which it measures at GCs, and an idle server runs none. One full GC that
 * also shrinks the young generation, 20–40 ms once, takes the idle RSS from ~124 to ~102 MB; under
 * load the young generation grows again as it needs.
 *
 * The GC function exists when Node runs with --expose-gc, one of the server's Node flags
 * (bin/cloudpartner.js); without it (tests that build the app in their own process) nothing happens.
 */
export function collectStartupGarbage(delayMs = STARTUP_GC_DELAY_MS): void {
  const gc = (globalThis as { gc?: (options: GcOptions) => void }).gc
  if (typeof gc !== 'function') return
  // Not at once: the first requests (readiness probes, a CI job's first calls) come right after
  // listening, and should not wait for the collection. unref: it never keeps a closing process up.
  setTimeout(() => gc({ type: 'major', execution: 'sync', flavor: 'last-resort' }), delayMs).unref()
}

/** Long enough for the first probes to be answered, short enough to be over before anyone looks. */
const STARTUP_GC_DELAY_MS = 500

/** V8's gc extension: `last-resort` is the collection that also shrinks the young generation. */
interface GcOptions {
  readonly type: 'major'
  readonly execution: 'sync'
  readonly flavor: 'last-resort'
}
