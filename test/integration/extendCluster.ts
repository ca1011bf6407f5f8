// N extend handlers in N real processes behind one port (node:cluster: the primary accepts and
// hands connections round robin to its workers), each with its own node-redis client and the
// Redis claim store, for the multi-instance tests. Started by `startExtendCluster` (below) as a
// child process; as the primary it forks the workers, and prints one JSON line per event on
// stdout: `listening` (the shared port), `redis-ready` (a worker's client is ready, again after
// an outage) and `claim-error` (what the handler told its onError).
//
// Env: KRATOS_URL, KRATOS_API_KEY, REDIS_URL, WORKERS, MIN_INTERVAL (ms), STORE (`redis`, or
// `memory` for the default per-process store), CLAIM_TIMEOUT (ms; the handler's default if unset).
import { type ChildProcess, spawn } from 'node:child_process'
import cluster from 'node:cluster'
import { createServer, request } from 'node:http'
import { createInterface } from 'node:readline'
import { fileURLToPath } from 'node:url'
import { createExtendHandler } from '@session-keeper/core/server'
import { createRedisClaimStore } from '@session-keeper/core/server/redis'
import { createClient } from 'redis'

type ClusterEvent =
  | { type: 'listening'; port: number }
  | { type: 'redis-ready'; pid: number }
  | { type: 'claim-error'; pid: number; message: string }

const env = (name: string) => {
  const value = process.env[name]
  if (!value) throw new Error(`extendCluster: ${name} is not set`)
  return value
}

/** The worker's own node-redis client, reporting each time it is ready (again). */
function redisClient(send: (event: ClusterEvent) => void) {
  const client = createClient({
    url: env('REDIS_URL'),
    // Fail at once while disconnected rather than queueing: the handler falls back to memory.
    disableOfflineQueue: true,
    socket: { reconnectStrategy: (retries) => Math.min(20 * (retries + 1), 200) },
  })
  client.on('error', () => {}) // outages are the point; the handler's onError reports them
  client.on('ready', () => send({ type: 'redis-ready', pid: process.pid }))
  return client.connect()
}

async function worker(): Promise<void> {
  const send = (event: ClusterEvent) => process.send?.(event)
  const handler = createExtendHandler({
    baseUrl: env('KRATOS_URL'),
    adminUrl: env('KRATOS_URL'),
    apiKey: env('KRATOS_API_KEY'),
    minInterval: Number(env('MIN_INTERVAL')),
    claimStore:
      env('STORE') === 'memory' ? undefined : createRedisClaimStore({ client: await redisClient(send) }),
    claimTimeout: process.env.CLAIM_TIMEOUT ? Number(process.env.CLAIM_TIMEOUT) : undefined,
    onError: (error) => send({ type: 'claim-error', pid: process.pid, message: error.message }),
  })
  const server = createServer(async (req, res) => {
    const headers = new Headers()
    for (const [name, value] of Object.entries(req.headers))
      if (typeof value === 'string') headers.set(name, value)
    const response = await handler(new Request(`http://127.0.0.1${req.url}`, { method: req.method, headers }))
    res.writeHead(response.status, {
      ...Object.fromEntries(response.headers),
      'x-worker': String(process.pid),
    })
    res.end(await response.text())
  })
  // In a cluster, every worker's listen(0) gets the same port, chosen once by the primary.
  server.listen(0, '127.0.0.1', () => {
    send({ type: 'listening', port: (server.address() as { port: number }).port })
  })
}

function primary(): void {
  const print = (event: ClusterEvent) => process.stdout.write(`${JSON.stringify(event)}\n`)
  let listening = 0
  for (let i = 0; i < Number(env('WORKERS')); i++) {
    cluster.fork().on('message', (event: ClusterEvent) => {
      if (event.type !== 'listening') return print(event)
      if (++listening === Number(env('WORKERS'))) print(event)
    })
  }
  // The test ends the primary with SIGTERM; the workers go with it.
  process.on('SIGTERM', () => {
    for (const child of Object.values(cluster.workers ?? {})) child?.process.kill('SIGKILL')
    process.exit(0)
  })
}

/** One ping's answer, with the pid of the worker that gave it. */
export interface Ping {
  status: number
  worker: string
  body: { extended?: boolean; reason?: string; error?: unknown }
}

/** One activity ping, on a new connection each, so the cluster spreads them over its workers. */
const ping = (port: number, cookie: string): Promise<Ping> =>
  new Promise((resolve, reject) => {
    const req = request(
      { host: '127.0.0.1', port, method: 'POST', path: '/api/session/extend', agent: false },
      (res) => {
        let text = ''
        res.setEncoding('utf8')
        res.on('data', (chunk: string) => {
          text += chunk
        })
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            worker: String(res.headers['x-worker']),
            body: JSON.parse(text),
          }),
        )
      },
    )
    req.setHeader('cookie', cookie)
    req.on('error', reject)
    req.end()
  })

/** `count` pings at once; `onAnswer` sees each as it arrives. */
const storm = (
  port: number,
  cookie: string,
  count: number,
  onAnswer: (answered: number) => void = () => {},
) => {
  let answered = 0
  return Promise.all(
    Array.from({ length: count }, () =>
      ping(port, cookie).then((answer) => {
        onAnswer(++answered)
        return answer
      }),
    ),
  )
}

export interface ExtendCluster {
  readonly port: number
  /** Every event the workers reported so far, in order. */
  readonly events: ClusterEvent[]
  /** Resolves when `predicate` holds for the events seen so far (bounded in time). */
  until(predicate: (events: ClusterEvent[]) => boolean, within?: number): Promise<void>
  /** `count` activity pings for the session of `cookie` at once, each on a new connection. */
  storm(cookie: string, count: number, onAnswer?: (answered: number) => void): Promise<Ping[]>
  stop(): Promise<void>
}

/** Starts the primary of this file as a child process with `workers` workers; resolves once all listen. */
export async function startExtendCluster(options: {
  workers: number
  kratosUrl: string
  apiKey: string
  redisUrl: string
  minInterval: number
  /** @default 'redis' */
  store?: 'redis' | 'memory'
  /** The handler's claimTimeout in ms; its default when left out. */
  claimTimeout?: number
}): Promise<ExtendCluster> {
  const child: ChildProcess = spawn(
    process.execPath,
    ['--import', 'tsx', '--conditions=@session-keeper/source', fileURLToPath(import.meta.url)],
    {
      stdio: ['ignore', 'pipe', 'inherit'],
      env: {
        ...process.env,
        KRATOS_URL: options.kratosUrl,
        KRATOS_API_KEY: options.apiKey,
        REDIS_URL: options.redisUrl,
        WORKERS: String(options.workers),
        MIN_INTERVAL: String(options.minInterval),
        STORE: options.store ?? 'redis',
        ...(options.claimTimeout ? { CLAIM_TIMEOUT: String(options.claimTimeout) } : {}),
      },
    },
  )
  const events: ClusterEvent[] = []
  const waiters = new Set<() => void>()
  createInterface({ input: child.stdout as NodeJS.ReadableStream }).on('line', (line) => {
    events.push(JSON.parse(line) as ClusterEvent)
    for (const waiter of waiters) waiter()
  })
  const until = (predicate: (seen: ClusterEvent[]) => boolean, within = 30_000) =>
    new Promise<void>((resolve, reject) => {
      const check = () => {
        if (!predicate(events)) return
        clearTimeout(timer)
        waiters.delete(check)
        resolve()
      }
      const timer = setTimeout(() => {
        waiters.delete(check)
        reject(new Error(`extendCluster: not seen within ${within} ms; events: ${JSON.stringify(events)}`))
      }, within)
      waiters.add(check)
      check()
    })
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
  try {
    await until((seen) => seen.some((event) => event.type === 'listening'))
  } catch (error) {
    child.kill('SIGKILL')
    throw error
  }
  const listening = events.find((event) => event.type === 'listening') as { port: number }
  return {
    port: listening.port,
    events,
    until,
    storm: (cookie, count, onAnswer) => storm(listening.port, cookie, count, onAnswer),
    async stop() {
      child.kill('SIGTERM')
      await exited
    },
  }
}

if (process.env.REDIS_URL && process.argv[1] === fileURLToPath(import.meta.url)) {
  if (cluster.isPrimary) primary()
  else await worker()
}
