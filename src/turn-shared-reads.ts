/**
 * Reads shared by the callers that ask for the same key in the same turn of the event loop: the
 * first caller's read is scheduled (setImmediate: after the turn's I/O callbacks, that is after
 * the requests that arrived together), every caller until it starts joins it, and a caller that
 * comes once it has started waits for a read of its own. So a read always STARTS after every
 * caller that shares it asked: it sees everything committed before any of them asked, as a read of
 * its own would have. That is what the caches' revisions and stamps need (a revoke, or a write,
 * committed before a request arrived is seen by that request), for one statement per turn instead
 * of one per request (one round trip on PostgreSQL; docs/performance.md, "Fourth round: the fixed
 * cost of a request").
 */
export type TurnSharedReads<Value> = (key: string, read: () => Promise<Value>) => Promise<Value>

export function turnSharedReads<Value>(): TurnSharedReads<Value> {
  const waiting = new Map<string, Promise<Value>>()
  let due: (() => void)[] = []

  const startDue = () => {
    const starting = due
    due = []
    waiting.clear()
    for (const start of starting) start()
  }

  return (key, read) => {
    const joined = waiting.get(key)
    if (joined !== undefined) return joined
    const { promise, resolve, reject } = Promise.withResolvers<Value>()
    waiting.set(key, promise)
    if (due.length === 0) setImmediate(startDue)
    due.push(() => {
      try {
        read().then(resolve, reject)
      } catch (error) {
        reject(error)
      }
    })
    return promise
  }
}
