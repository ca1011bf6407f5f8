import { type IncomingMessage, type ServerResponse, STATUS_CODES } from 'node:http'
import { setTimeout as sleep } from 'node:timers/promises'
import { goJson } from './json.js'

/**
 * A fault injected into matching requests, for testing how clients cope with a bad server.
 * Applied in order: delay, then reset, else the replacement answer; a delay alone lets the real
 * answer through afterwards.
 *
 * @example
 * { route: 'GET /sessions/whoami', status: 503, retryAfter: 30, times: 1 }
 * { route: 'GET /sessions/whoami', body: '{"id": tru' } // a broken body with status 200
 * { route: 'GET /sessions/whoami', status: 502, contentType: 'text/html', body: '<h1>Bad Gateway</h1>' }
 */
export interface Fault {
  /** `METHOD /path`, query excluded, e.g. `GET /sessions/whoami`. */
  route: string
  /** Status of the replacement answer. @default 200 when only `body` is given */
  status?: number
  /** Replacement body: a string is sent as raw bytes, anything else as JSON. */
  body?: unknown
  /**
   * `Content-Type` of the replacement answer, e.g. `text/html` for a proxy's error page.
   * @default application/json
   */
  contentType?: string
  /** Waits this long (real time) before answering. */
  delayMs?: number
  /** Destroys the socket instead of answering. */
  reset?: boolean
  /** `Retry-After` header value (seconds or an HTTP date). */
  retryAfter?: number | string
  /** How many matching requests it affects. @default every one */
  times?: number
}

export interface Faults {
  add(fault: Fault): Fault
  clear(): void
  /** The first fault for this route, counting one use of it. */
  take(route: string): Fault | undefined
}

const ROUTE = /^[A-Z]+ \/\S*$/

/** Checks a fault from the control API or the programmatic API; throws a TypeError naming the field. */
export function validateFault(input: unknown): Fault {
  const fail = (why: string): never => {
    throw new TypeError(`fault ${why}`)
  }
  if (!input || typeof input !== 'object' || Array.isArray(input)) return fail('must be an object')
  const fault = input as Record<string, unknown>
  const { route, status, delayMs, reset, retryAfter, times, contentType } = fault
  if (typeof route !== 'string' || !ROUTE.test(route))
    fail(`route must look like "GET /sessions/whoami", got ${JSON.stringify(route)}`)
  if (
    status !== undefined &&
    (!Number.isInteger(status) || (status as number) < 100 || (status as number) > 599)
  )
    fail(`status must be an integer 100..599, got ${JSON.stringify(status)}`)
  if (delayMs !== undefined && (typeof delayMs !== 'number' || !Number.isFinite(delayMs) || delayMs < 0))
    fail(`delayMs must be a number of milliseconds >= 0, got ${JSON.stringify(delayMs)}`)
  if (reset !== undefined && typeof reset !== 'boolean')
    fail(`reset must be a boolean, got ${JSON.stringify(reset)}`)
  if (
    retryAfter !== undefined &&
    typeof retryAfter !== 'string' &&
    !(Number.isInteger(retryAfter) && (retryAfter as number) >= 0)
  )
    fail(`retryAfter must be whole seconds or an HTTP date, got ${JSON.stringify(retryAfter)}`)
  if (
    contentType !== undefined &&
    (typeof contentType !== 'string' || !/^[\w.+-]+\/[\w.+-]+/.test(contentType))
  )
    fail(`contentType must be a media type such as "text/html", got ${JSON.stringify(contentType)}`)
  if (times !== undefined && (!Number.isInteger(times) || (times as number) < 1))
    fail(`times must be an integer >= 1, got ${JSON.stringify(times)}`)
  return { ...fault } as unknown as Fault
}

export function createFaults(): Faults {
  let faults: Fault[] = []
  return {
    add(fault) {
      const valid = validateFault(fault)
      faults.push(valid)
      return valid
    },
    clear() {
      faults = []
    },
    take(route) {
      const fault = faults.find((f) => f.route === route)
      if (fault?.times !== undefined && --fault.times === 0) faults = faults.filter((f) => f !== fault)
      return fault
    },
  }
}

/** Applies a fault; resolves `true` when it answered (or dropped) the request itself. */
export async function applyFault(
  ctx: { req: IncomingMessage; res: ServerResponse },
  fault: Fault,
  signal: AbortSignal,
): Promise<boolean> {
  const { res } = ctx
  if (fault.delayMs) await sleep(fault.delayMs, undefined, { signal }).catch(() => {})
  if (res.destroyed || signal.aborted) return true
  if (fault.reset) {
    ctx.req.socket.destroy()
    return true
  }
  if (fault.retryAfter !== undefined) res.setHeader('Retry-After', String(fault.retryAfter))
  if (fault.status === undefined && fault.body === undefined) return false
  const status = fault.status ?? 200
  res.statusCode = status
  let body = ''
  if (typeof fault.body === 'string') {
    res.setHeader('Content-Type', 'application/json')
    body = fault.body
  } else if (fault.body !== undefined || status >= 400) {
    // Without a body, errors still look like Kratos's (herodot) ones.
    const statusText = STATUS_CODES[status] ?? 'Unknown'
    res.setHeader('Content-Type', status >= 400 ? 'application/json' : 'application/json; charset=utf-8')
    body = goJson(fault.body ?? { error: { code: status, status: statusText, message: statusText } })
  }
  if (fault.contentType) res.setHeader('Content-Type', fault.contentType)
  res.setHeader('Content-Length', Buffer.byteLength(body))
  res.end(body)
  return true
}
