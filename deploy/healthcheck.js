// The image's HEALTHCHECK: asks the server's readiness route (store reachable and migrated) on
// whatever address and port it listens, found in the container's own network namespace
// (/proc/net/tcp and tcp6, sockets in LISTEN state), so that it holds whatever CLOUDPARTNER_HOST,
// CLOUDPARTNER_PORT or --https-port say. Plain HTTP first, then HTTPS (the server's own CA is not
// the system's: the certificate is not checked, only the answer). Exit 0 when one answers 200.
import { readFileSync } from 'node:fs'
import http from 'node:http'
import https from 'node:https'

const LISTEN = '0A'

function listening() {
  const found = []
  for (const [file, v6] of [
    ['/proc/net/tcp', false],
    ['/proc/net/tcp6', true],
  ]) {
    let text = ''
    try {
      text = readFileSync(file, 'utf8')
    } catch {
      continue
    }
    for (const line of text.trim().split('\n').slice(1)) {
      const [, local, , state] = line.trim().split(/\s+/)
      if (state !== LISTEN || local === undefined) continue
      const [address, port] = local.split(':')
      found.push({ host: hostOf(address ?? '', v6), port: Number.parseInt(port ?? '0', 16) })
    }
  }
  return found
}

/** The kernel's hex address as a host to connect to; a wildcard is reached through loopback. */
function hostOf(hex, v6) {
  if (!v6) {
    const bytes = hex
      .match(/../g)
      .map((byte) => Number.parseInt(byte, 16))
      .reverse()
    return bytes.every((byte) => byte === 0) ? '127.0.0.1' : bytes.join('.')
  }
  if (/^0+$/.test(hex)) return '::1'
  if (hex.startsWith('0000000000000000FFFF0000')) return hostOf(hex.slice(24), false)
  const words = hex.match(/.{8}/g).map((word) => word.match(/../g).reverse().join(''))
  return words.join('').match(/.{4}/g).join(':')
}

function ready(client, host, port) {
  return new Promise((resolve) => {
    const request = client.get(
      { host, port, path: '/health/ready', timeout: 3000, rejectUnauthorized: false },
      (response) => {
        response.resume()
        resolve(response.statusCode === 200)
      },
    )
    request.on('timeout', () => request.destroy())
    request.on('error', () => resolve(false))
  })
}

for (const { host, port } of listening()) {
  if ((await ready(http, host, port)) || (await ready(https, host, port))) process.exit(0)
}
process.exit(1)
