// A real redis-server (Debian's /usr/bin/redis-server, or REDIS_SERVER_PATH) for the claim store
// tests and benchmarks: started on a free loopback port with persistence off, stopped by the
// caller. `kill()` ends it the hard way (SIGKILL) and `start()` brings it back on the same port,
// for the outage tests. Waits are on the server's own "Ready" line, bounded in time.
import { type ChildProcess, spawn } from 'node:child_process'
import { existsSync } from 'node:fs'
import { createServer } from 'node:net'

const BINARY = process.env.REDIS_SERVER_PATH || '/usr/bin/redis-server'
const START_TIMEOUT = 10_000

export interface RedisServer {
  readonly port: number
  readonly url: string
  /** Starts it again on the same port (after `kill`); resolves when it accepts connections. */
  start(): Promise<void>
  /** SIGKILL, as a crash: resolves when the process is gone. */
  kill(): Promise<void>
  /** SIGSTOP / SIGCONT: connected but silent, as a Redis that hangs. */
  pause(): void
  resume(): void
  /** Stops it for good. */
  stop(): Promise<void>
}

/** A free TCP port on 127.0.0.1 (the OS picks it; closed again before redis-server takes it). */
export async function freePort(): Promise<number> {
  const server = createServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as { port: number }
  await new Promise<void>((resolve) => server.close(() => resolve()))
  return port
}

function launch(port: number): Promise<ChildProcess> {
  const child = spawn(
    BINARY,
    ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  )
  return new Promise((resolve, reject) => {
    let output = ''
    const timer = setTimeout(() => {
      child.kill('SIGKILL')
      reject(new Error(`redis-server did not start within ${START_TIMEOUT} ms:\n${output}`))
    }, START_TIMEOUT)
    child.stdout?.on('data', (chunk: Buffer) => {
      output += chunk
      if (output.includes('Ready to accept connections')) {
        clearTimeout(timer)
        resolve(child)
      }
    })
    child.once('exit', (code) => {
      clearTimeout(timer)
      reject(new Error(`redis-server exited (${code}) before it was ready:\n${output}`))
    })
  })
}

const exited = (child: ChildProcess) =>
  child.exitCode !== null || child.signalCode !== null
    ? Promise.resolve()
    : new Promise<void>((resolve) => child.once('exit', () => resolve()))

/**
 * Starts redis-server on a free port with `--save '' --appendonly no` (nothing written to disk).
 * Throws, naming the fix, when there is no redis-server: the tests never skip.
 */
export async function startRedisServer(): Promise<RedisServer> {
  if (!existsSync(BINARY)) {
    throw new Error(
      `The claim store tests need redis-server and none was found at ${BINARY}.\n` +
        '  Debian/Ubuntu: apt-get install -y redis-server (.ci/run does it when missing)\n' +
        '  Elsewhere: install Redis 6.2+ or Valkey and set REDIS_SERVER_PATH=/path/to/redis-server',
    )
  }
  const port = await freePort()
  let child: ChildProcess | undefined = await launch(port)
  return {
    port,
    url: `redis://127.0.0.1:${port}`,
    async start() {
      if (child && child.exitCode === null && child.signalCode === null) return
      child = await launch(port)
    },
    async kill() {
      if (!child) return
      const gone = exited(child)
      child.kill('SIGKILL')
      await gone
    },
    pause() {
      child?.kill('SIGSTOP')
    },
    resume() {
      child?.kill('SIGCONT')
    },
    async stop() {
      if (!child) return
      const gone = exited(child)
      child.kill('SIGCONT')
      child.kill('SIGKILL')
      await gone
      child = undefined
    },
  }
}
