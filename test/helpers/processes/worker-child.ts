import { manualClock } from '../../../src/clock.ts'
import { createPublishingWorker } from '../../../src/operations/operations.worker.ts'
import type { DatabaseLocation } from '../../../src/storage/open-database.ts'
import { openStores } from '../../../src/stores.ts'

/**
 * A publishing worker in a process of its own, over a store another process has open (see
 * worker-process.ts): its own connections, its own lease owner. It runs a pass at the time the
 * parent sends, and answers what it stored and every failure it logged.
 */
const location = JSON.parse(process.argv[2] as string) as DatabaseLocation
const stores = await openStores(location)
const clock = manualClock(new Date(0))
const failures: string[] = []
const worker = createPublishingWorker({
  stores,
  clock,
  log: {
    info: () => undefined,
    // A lost race is a warning without an error; a failure to advance carries its `err`.
    warn: (object, message) => {
      const { err } = object as { err?: unknown }
      if (err !== undefined) failures.push(`${message}: ${String(err)}`)
    },
    error: (_object, message) => failures.push(message),
  },
})

process.on('message', (message: { type: 'run'; id: number; now: string } | { type: 'close' }) => {
  if (message.type === 'close') {
    void stores.close().then(() => process.disconnect())
    return
  }
  clock.set(new Date(message.now))
  const { id } = message
  worker.runOnce().then(
    (applied) => process.send?.({ type: 'ran', id, applied, failures: failures.splice(0) }),
    (error: Error) => process.send?.({ type: 'ran', id, applied: 0, failures: [String(error)] }),
  )
})
process.send?.({ type: 'ready' })
