// A scripted `fetch` for keeper unit tests: each request takes the next queued step (a reply, a
// rejection, or a pending answer the test settles later, for out-of-order and single-flight
// cases). Requests are recorded with their body read, so tests can assert the exact wire shape.
import { vi } from 'vitest'

/** What the fake server answers: a status, a JSON body (or raw text), and headers. */
export interface FakeReply {
  status?: number
  /** Serialised as JSON; ignored when `text` is set. */
  body?: unknown
  /** A raw body, for malformed JSON. */
  text?: string
  headers?: Record<string, string>
}

/** A request as the fake server saw it. */
export interface RecordedRequest {
  method: string
  url: string
  headers: Headers
  credentials: RequestCredentials
  body: string
}

/** An answer held back until the test settles it. */
export interface PendingReply {
  resolve(reply: FakeReply): Promise<void>
  reject(error?: unknown): Promise<void>
}

type Step =
  | { kind: 'reply'; reply: FakeReply | (() => FakeReply) }
  | { kind: 'reject'; error: unknown }
  | { kind: 'pending'; promise: Promise<Response> }

/**
 * Lets the keeper's promise chains run: ky awaits several microtasks around `fetch`, and reading
 * a Response body may wait on `setImmediate`, which fake timers hold until time is advanced.
 */
export async function flush(): Promise<void> {
  for (let i = 0; i < 3; i++) {
    if (vi.isFakeTimers()) await vi.advanceTimersByTimeAsync(0)
    for (let j = 0; j < 10; j++) await Promise.resolve()
  }
}

function toResponse({ status = 200, body, text, headers = {} }: FakeReply): Response {
  const empty = status === 204 || status === 304 || (body === undefined && text === undefined)
  const payload = empty ? null : (text ?? JSON.stringify(body))
  const contentType: Record<string, string> =
    text === undefined && !empty ? { 'content-type': 'application/json' } : {}
  return new Response(payload, { status, headers: { ...contentType, ...headers } })
}

/**
 * @example
 * const kratos = fakeKratosFetch().reply(200, kratosSession())
 * const keeper = createSessionKeeper({ baseUrl, fetch: kratos.fetch })
 */
export function fakeKratosFetch() {
  const steps: Step[] = []
  const requests: RecordedRequest[] = []
  let fallback: Step | undefined

  const fetchMock = vi.fn(async (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    const request = new Request(input, init)
    requests.push({
      method: request.method,
      url: request.url,
      headers: request.headers,
      credentials: request.credentials,
      body: await request.text(),
    })
    const step = steps.shift() ?? fallback
    if (!step) throw new Error(`fakeKratosFetch: nothing queued for ${request.method} ${request.url}`)
    if (step.kind === 'reject') throw step.error
    if (step.kind === 'pending') return step.promise
    return toResponse(typeof step.reply === 'function' ? step.reply() : step.reply)
  })

  const fake = {
    fetch: fetchMock as unknown as typeof globalThis.fetch,
    mock: fetchMock,
    requests,
    /** Number of requests made so far. */
    get count() {
      return requests.length
    },
    /** Queues one answer. */
    reply(status: number, body?: unknown, headers?: Record<string, string>) {
      steps.push({ kind: 'reply', reply: { status, body, headers } })
      return fake
    },
    /** Queues one answer with a raw (possibly malformed) body. */
    replyText(status: number, text: string, headers?: Record<string, string>) {
      steps.push({ kind: 'reply', reply: { status, text, headers } })
      return fake
    },
    /** Queues a transport failure, as `fetch` rejects when offline or on a reset. */
    fail(error: unknown = new TypeError('Failed to fetch')) {
      steps.push({ kind: 'reject', error })
      return fake
    },
    /** Answers every request once the queue is empty; a function builds each answer when asked (moving `Date`). */
    always(reply: FakeReply | (() => FakeReply)) {
      fallback = { kind: 'reply', reply }
      return fake
    },
    /** Queues an answer that stays pending until the test settles it. */
    pending(): PendingReply {
      let settle!: (outcome: { reply: FakeReply } | { error: unknown }) => void
      const promise = new Promise<Response>((resolve, reject) => {
        settle = (outcome) =>
          'reply' in outcome ? resolve(toResponse(outcome.reply)) : reject(outcome.error)
      })
      steps.push({ kind: 'pending', promise })
      return {
        async resolve(reply) {
          settle({ reply })
          await flush()
        },
        async reject(error = new TypeError('Failed to fetch')) {
          settle({ error })
          await flush()
        },
      }
    },
  }
  return fake
}

export type FakeKratos = ReturnType<typeof fakeKratosFetch>

const MINUTE = 60_000

/** A whoami body as Kratos sends it, with times relative to `Date.now()` (fake timers apply). */
export function kratosSession({
  id = 'session-1',
  expiresIn = 60 * MINUTE,
  authenticatedAgo = 0,
  aal = 'aal1',
  now = Date.now(),
  email = 'user@example.org',
}: {
  id?: string
  expiresIn?: number
  authenticatedAgo?: number
  aal?: string
  now?: number
  email?: string
} = {}) {
  const authenticatedAt = new Date(now - authenticatedAgo).toISOString()
  return {
    id,
    active: true,
    expires_at: new Date(now + expiresIn).toISOString(),
    authenticated_at: authenticatedAt,
    authenticator_assurance_level: aal,
    authentication_methods: [{ method: 'password', aal: 'aal1', completed_at: authenticatedAt }],
    issued_at: authenticatedAt,
    identity: {
      id: 'identity-1',
      schema_id: 'default',
      schema_url: 'https://auth.example/schemas/default',
      state: 'active',
      traits: { email },
      metadata_public: null,
    },
    devices: [{ id: 'device-1', ip_address: null, user_agent: 'vitest', location: null }],
  }
}

/** The 401 body Kratos sends from whoami: no `error.id` (FACTS §1). */
export const UNAUTHORIZED = {
  error: {
    code: 401,
    status: 'Unauthorized',
    reason: 'No valid session credentials found in the request.',
    message: 'The request could not be authorized',
  },
}

/** The 403 `session_aal2_required` body; Kratos leaves `return_to` out of the redirect (FACTS §1). */
export function aal2Required(redirect = 'https://auth.example/self-service/login/browser?aal=aal2') {
  return {
    error: {
      id: 'session_aal2_required',
      code: 403,
      status: 'Forbidden',
      reason:
        'An active session was found but it does not fulfill the requested Authenticator Assurance Level.',
      details: { redirect_browser_to: redirect },
      message: 'Session does not fulfill the requested Authenticator Assurance Level',
    },
    redirect_browser_to: redirect,
  }
}
