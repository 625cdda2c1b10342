import { fork } from 'node:child_process'
import type { TestContext } from 'node:test'
import { fileURLToPath } from 'node:url'
import type { DatabaseLocation } from '../../../src/storage/open-database.ts'

const CHILD = fileURLToPath(new URL('./worker-child.ts', import.meta.url))
const WAIT_MS = 30_000

/** A publishing worker in another process (worker-child.ts), driven pass by pass. */
export interface WorkerProcess {
  /** One pass at `now`: how many transitions it stored, and every failure it logged. */
  runOnce(now: Date): Promise<{ applied: number; failures: string[] }>
}

/**
 * Starts a worker process over the store at `location` (a file or a database, never memory),
 * stopped when the test ends: the race tests pit it against the app's own worker, so that the two
 * race through separate connections and processes, as replicas do.
 */
export async function startWorkerProcess(t: TestContext, location: DatabaseLocation): Promise<WorkerProcess> {
  if (location.inMemory) throw new Error('a store in memory cannot be shared with another process')
  const child = fork(CHILD, [JSON.stringify(location)], {
    execArgv: process.execArgv,
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  })
  t.after(async () => {
    if (child.connected) child.send({ type: 'close' })
    await bounded(
      new Promise((resolve) => child.once('exit', resolve)),
      'the worker process did not exit',
    ).catch(() => child.kill('SIGKILL'))
  })
  const next = <T>(type: string, id?: number) =>
    bounded(
      new Promise<T>((resolve, reject) => {
        const onMessage = (message: { type: string; id?: number }) => {
          if (message.type !== type || message.id !== id) return
          child.off('message', onMessage)
          child.off('exit', onExit)
          resolve(message as T)
        }
        const onExit = (code: number | null) => reject(new Error(`the worker process exited (${code})`))
        child.on('message', onMessage)
        child.once('exit', onExit)
      }),
      `the worker process did not answer ${type}`,
    )
  await next('ready')
  let sent = 0
  return {
    async runOnce(now) {
      const id = ++sent
      const ran = next<{ applied: number; failures: string[] }>('ran', id)
      child.send({ type: 'run', id, now: now.toISOString() })
      const { applied, failures } = await ran
      return { applied, failures }
    },
  }
}

function bounded<T>(work: Promise<T>, message: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined
  const late = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new Error(message)), WAIT_MS)
  })
  return Promise.race([work, late]).finally(() => clearTimeout(timer))
}
