import { connect, createServer, type Server, type Socket } from 'node:net'

/**
 * A loopback TCP proxy that a test can cut and restore, to make a real database unreachable and
 * reachable again without touching the database itself.
 */
export interface TcpProxy {
  readonly port: number
  /** Refuses new connections and drops the open ones, as a network outage would. */
  cut(): Promise<void>
  /**
   * Accepts connections and data but forwards nothing, either way, until thawed: a database whose
   * process is stopped (SIGSTOP) or a network that drops packets without resetting connections.
   */
  freeze(): void
  thaw(): void
  restore(): Promise<void>
  close(): Promise<void>
}

export async function startTcpProxy(target: { host: string; port: number }): Promise<TcpProxy> {
  const sockets = new Set<Socket>()
  let server: Server | undefined
  let port = 0
  let frozen = false
  const held: [Socket, Buffer][] = []
  const forward = (from: Socket, to: Socket) => {
    from.on('data', (chunk: Buffer) => {
      if (frozen) held.push([to, chunk])
      else to.write(chunk)
    })
  }

  async function listen(): Promise<void> {
    server = createServer((client) => {
      const upstream = connect(target.port, target.host)
      for (const socket of [client, upstream]) {
        sockets.add(socket)
        socket.on('close', () => sockets.delete(socket))
        socket.on('error', () => undefined)
      }
      forward(client, upstream)
      forward(upstream, client)
      client.on('close', () => upstream.destroy())
      upstream.on('close', () => client.destroy())
    })
    await new Promise<void>((resolve) => (server as Server).listen(port, '127.0.0.1', resolve))
    port = (server.address() as { port: number }).port
  }

  async function cut(): Promise<void> {
    const closing = server
    server = undefined
    for (const socket of sockets) socket.destroy()
    if (closing) await new Promise<void>((resolve) => closing.close(() => resolve()))
  }

  await listen()
  return {
    get port() {
      return port
    },
    cut,
    freeze: () => {
      frozen = true
    },
    thaw: () => {
      frozen = false
      for (const [to, chunk] of held.splice(0)) if (!to.destroyed) to.write(chunk)
    },
    restore: listen,
    close: cut,
  }
}
