import ky from 'ky'
import { createStore } from 'zustand/vanilla'
import { checkReturnTo } from './checkReturnTo.js'
import { type FreshnessRequirement, isSessionFresh } from './isSessionFresh.js'
import { parseDuration } from './parseDuration.js'
import { isReauthLooping, rememberReauth } from './reauthGuard.js'
import { requestWhoami, type WhoamiAnswer } from './requestWhoami.js'
import { resolveOptions, type SessionKeeperOptions } from './resolveOptions.js'
import { NetworkError, ReauthLoopError, ServerError } from './SessionKeeperError.js'
import type { SessionPhase, SessionState } from './types.js'

/** Events of {@link SessionKeeper.on}; each fires once per real transition. */
export type SessionKeeperEvent =
  | 'signed-in'
  | 'signed-out'
  | 'changed'
  | 'expiring'
  | 'expired'
  | 'aal2-required'
  | 'error'

/** Options of {@link SessionKeeper.loginUrl}. */
export interface LoginUrlOptions {
  /** Ask Kratos for a fresh login although a session exists. @default true */
  refresh?: boolean
  /** `'aal2'` asks for the second factor. @default 'aal2' after whoami said session_aal2_required, else none */
  aal?: 'aal1' | 'aal2'
  /** Where Kratos sends the user back; same origin or `returnToAllowList` only. @default location.href */
  returnTo?: string
}

/** Options of {@link SessionKeeper.reauthenticate}. */
export interface ReauthenticateOptions extends FreshnessRequirement {
  returnTo?: string
  /** Only `'redirect'` for now; `'popup'` comes with tab sync. @default 'redirect' */
  mode?: 'redirect'
}

/** The keeper: a read-only store of {@link SessionState} plus the verbs that act on the session. */
export interface SessionKeeper {
  /** Starts polling and listening to the page. Idempotent; returns `stop`. Nothing runs before it. */
  start(): () => void
  /** Stops timers and listeners. In-flight answers still apply. */
  stop(): void
  getState(): SessionState
  /** The state at creation: what server rendering and hydration use. */
  getInitialState(): SessionState
  /** Calls `listener` on every state change; returns the unsubscribe function. */
  subscribe(listener: (state: SessionState, previous: SessionState) => void): () => void
  /** Asks whoami now. Concurrent calls share one request; `force` never reuses an older one. Never rejects. */
  check(options?: { force?: boolean }): Promise<SessionState>
  /** Whether the session meets `requirement`, against skew-corrected time. Pure. */
  isFresh(requirement?: FreshnessRequirement): boolean
  /** The Kratos login URL for a fresh or stronger login. Throws `UnsafeReturnToError` for an unsafe `returnTo`. */
  loginUrl(options?: LoginUrlOptions): string
  /** Sends the user through Kratos's login unless `requirement` is already met. Rejects with `ReauthLoopError` on a loop. */
  reauthenticate(options?: ReauthenticateOptions): Promise<void>
  /** Signs out through Kratos; then navigates to `returnTo` if given. Rejects (state unchanged) when Kratos cannot be reached. */
  logout(options?: { returnTo?: string }): Promise<void>
  /** Listens to one event; returns the unsubscribe function. */
  on(event: SessionKeeperEvent, listener: (state: SessionState) => void): () => void
}

const MAX_DELAY = 2_147_483_647 // setTimeout fires at once beyond 2^31-1 ms
const BACKOFF_BASE = 1_000

const hasWindow = () => typeof window !== 'undefined' && typeof document !== 'undefined'
const isHidden = () => hasWindow() && document.visibilityState === 'hidden'
const here = () => (hasWindow() ? location : undefined)

/** Sets `phase` from `expires_at`; at expiry the session is over without waiting for the server (a check confirms). */
function derive(state: SessionState, serverNow: number, threshold: number): SessionState {
  const expiresAt = state.session?.expires_at?.getTime()
  const left = expiresAt === undefined ? Number.NaN : expiresAt - serverNow
  const phase: SessionPhase = Number.isNaN(left)
    ? null
    : left <= 0
      ? 'expired'
      : left <= threshold
        ? 'expiring'
        : 'active'
  const status = phase === 'expired' && state.status === 'authenticated' ? 'unauthenticated' : state.status
  return { ...state, phase, status }
}

/**
 * Creates a keeper for one browser app's Ory session. Options are checked here: a bad one
 * throws a `TypeError` naming it. Nothing touches the network or the page before `start()`.
 *
 * @example
 * const keeper = createSessionKeeper({ baseUrl: 'https://auth.example.com', expiringThreshold: '2m' })
 * keeper.on('expiring', () => showBanner('Your session ends soon'))
 * const stop = keeper.start()
 */
/* @__NO_SIDE_EFFECTS__ */
export function createSessionKeeper(options: SessionKeeperOptions): SessionKeeper {
  const o = resolveOptions(options)
  const { clock } = o
  const { origin } = new URL(o.baseUrl)
  const log: (...args: unknown[]) => void = o.debug
    ? console.debug.bind(console, '[session-keeper]')
    : () => {}
  const http = ky.create({
    prefixUrl: o.baseUrl,
    credentials: 'include',
    headers: { accept: 'application/json', ...(o.sessionToken && { 'x-session-token': o.sessionToken }) },
    timeout: o.timeout,
    retry: 0,
    throwHttpErrors: false,
    fetch: o.fetch,
  })

  const initial: SessionState = derive(
    {
      status: o.initialSession ? 'authenticated' : o.initialSession === null ? 'unauthenticated' : 'loading',
      session: o.initialSession ?? null,
      phase: null,
      lastCheckedAt: null,
      stale: false,
      error: null,
      isLeader: false,
      clockSkew: 0,
      aal2RedirectTo: null,
    },
    clock.now(),
    o.expiringThreshold,
  )
  const store = createStore<SessionState>()(() => initial)
  const serverNow = () => clock.now() + store.getState().clockSkew
  const listeners = new Map<SessionKeeperEvent, Set<(state: SessionState) => void>>()

  let running = false
  let timer: unknown
  let removeListeners = () => {}
  let startedAt = 0
  // Requests are numbered as they start; an answer older than the newest applied one is dropped.
  let requests = 0
  let applied = 0
  let inFlight: { id: number; promise: Promise<SessionState> } | undefined
  let settledAt: number | null = null // local time the last request settled; the poll cadence counts from it
  let retryAt: number | null = null // set while backing off
  let failures = 0
  let cacheFor = 0

  /** Merges `partial`, re-derives the phase, and notifies only on a real change. */
  function update(partial: Partial<SessionState>, quiet?: Partial<SessionState>) {
    const current = store.getState()
    const next = derive(
      { ...current, ...partial },
      clock.now() + (partial.clockSkew ?? current.clockSkew),
      o.expiringThreshold,
    )
    const changed = (Object.keys(next) as (keyof SessionState)[]).some(
      (key) => !Object.is(next[key], current[key]),
    )
    if (changed) store.setState({ ...next, ...quiet }, true)
    // An answer that changes nothing else refreshes these fields without waking listeners.
    else if (quiet && current !== initial) Object.assign(current, quiet)
    else if (quiet) store.setState({ ...next, ...quiet }, true)
  }

  function apply(id: number, answer: WhoamiAnswer) {
    if (id < applied) return log('dropped an out-of-order answer')
    applied = id
    const state = store.getState()
    // Date has whole seconds: only a move of more than that is news.
    const skew =
      answer.skew !== null && Math.abs(answer.skew - state.clockSkew) > 1_000 ? answer.skew : state.clockSkew
    cacheFor = answer.cacheFor
    if (answer.type === 'error') {
      failures++
      const backoff = Math.min(BACKOFF_BASE * 2 ** (failures - 1), o.hiddenPollInterval)
      // Retry-After wins over the backoff (exponential, half of it jitter), but never below a second.
      retryAt =
        clock.now() + Math.max(answer.retryAfter ?? backoff / 2 + (Math.random() * backoff) / 2, BACKOFF_BASE)
      o.onError?.(answer.error)
      if (!o.onError && o.debug) console.warn('[session-keeper]', answer.error)
      return update({ stale: true, error: answer.error, clockSkew: skew })
    }
    failures = 0
    retryAt = null
    const ok = { stale: false, error: null, clockSkew: skew, aal2RedirectTo: null }
    const quiet = { lastCheckedAt: clock.now() }
    if (answer.type === 'signed-out')
      return update({ ...ok, status: 'unauthenticated', session: null }, quiet)
    if (answer.type === 'aal2-required') {
      return update(
        { ...ok, status: 'aal2-required', session: null, aal2RedirectTo: aal2Url(answer.redirectTo) },
        quiet,
      )
    }
    // Structural sharing: an equal answer keeps the same object, so selectors see no change.
    const same = state.session && JSON.stringify(state.session) === JSON.stringify(answer.session)
    update({ ...ok, status: 'authenticated', session: same ? state.session : answer.session }, quiet)
  }

  /** Kratos's step-up URL (only on `baseUrl`'s origin) with the `return_to` it leaves out. */
  function aal2Url(fromServer: unknown): string {
    let url: URL
    try {
      url = new URL(checkReturnTo(fromServer, [origin], 'redirect_browser_to'))
    } catch {
      url = new URL(`${o.baseUrl}/self-service/login/browser?aal=aal2`)
    }
    const location = here()
    if (location && !url.searchParams.has('return_to')) url.searchParams.set('return_to', location.href)
    return url.href
  }

  function check({ force = false } = {}): Promise<SessionState> {
    if (inFlight && !force) return inFlight.promise
    const id = ++requests
    const promise = requestWhoami(http, () => clock.now()).then((answer) => {
      apply(id, answer)
      return store.getState()
    })
    inFlight = { id, promise }
    log('checking whoami', { force })
    promise.then(() => {
      if (inFlight?.id === id) inFlight = undefined
      settledAt = clock.now()
      schedule()
    })
    return promise
  }

  function nextPollAt(): number {
    if (retryAt !== null) return retryAt
    const interval = Math.max(isHidden() ? o.hiddenPollInterval : o.pollInterval, cacheFor)
    return (settledAt ?? startedAt) + interval
  }

  /** Re-evaluates the state against the clock, checks when due, and sets the one timer. */
  function tick() {
    const before = store.getState().phase
    update({})
    const { phase, isLeader } = store.getState()
    if ((phase === 'expired' && before !== 'expired') || (isLeader && clock.now() >= nextPollAt())) {
      void check()
    }
    schedule()
  }

  function schedule() {
    clock.clearTimeout(timer)
    if (!running) return
    const state = store.getState()
    const now = clock.now()
    const deadlines = [state.isLeader && !inFlight ? nextPollAt() : Number.POSITIVE_INFINITY]
    const expiresAt = state.session?.expires_at?.getTime()
    if (expiresAt !== undefined && state.phase !== 'expired') {
      const local = expiresAt - state.clockSkew
      deadlines.push(state.phase === 'active' ? local - o.expiringThreshold : local)
    }
    const next = Math.min(...deadlines)
    if (next === Number.POSITIVE_INFINITY) return
    const delay = Math.min(Math.max(next - now, 0), MAX_DELAY)
    log('wake in', delay)
    timer = clock.setTimeout(tick, delay)
  }

  /** Focus, visibility, pageshow, online: deadlines are absolute, so re-evaluate; check if the last answer is old. */
  function onWake(event: Event) {
    const { lastCheckedAt, stale } = store.getState()
    const now = clock.now()
    const age = now - (lastCheckedAt ?? startedAt)
    const backingOff = retryAt !== null && now < retryAt
    if (!isHidden() && ((age > o.recheckOnFocusAfter && !backingOff) || (event.type === 'online' && stale))) {
      log(event.type, 'check')
      void check()
    }
    tick()
  }

  function start() {
    if (running) return stop
    if (!hasWindow()) {
      log('start() without a window: nothing to do')
      return stop
    }
    running = true
    startedAt = clock.now()
    const targets = [
      [document, 'visibilitychange'],
      [window, 'pageshow'],
      [window, 'focus'],
      [window, 'online'],
    ] as const
    for (const [target, type] of targets) target.addEventListener(type, onWake)
    removeListeners = () => {
      for (const [target, type] of targets) target.removeEventListener(type, onWake)
    }
    update({ isLeader: true })
    if (store.getState().status === 'loading') void check()
    schedule()
    return stop
  }

  function stop() {
    if (!running) return
    running = false
    clock.clearTimeout(timer)
    removeListeners()
    update({ isLeader: false })
  }

  function isFresh(requirement: FreshnessRequirement = {}) {
    const state = store.getState()
    return (
      state.status === 'authenticated' && isSessionFresh(state.session, { ...requirement, now: serverNow() })
    )
  }

  function loginUrl({ refresh = true, aal, returnTo }: LoginUrlOptions = {}) {
    const url = new URL(`${o.baseUrl}/self-service/login/browser`)
    if (refresh) url.searchParams.set('refresh', 'true')
    if ((aal ?? (store.getState().status === 'aal2-required' ? 'aal2' : undefined)) === 'aal2') {
      url.searchParams.set('aal', 'aal2')
    }
    const location = here()
    const target = returnTo ?? location?.href
    if (target !== undefined) {
      const origins = location ? [location.origin, ...o.returnToAllowList] : o.returnToAllowList
      url.searchParams.set('return_to', checkReturnTo(target, origins))
    }
    return url.href
  }

  async function reauthenticate({ aal, maxAge, returnTo }: ReauthenticateOptions = {}) {
    const requirement = JSON.stringify([aal, maxAge === undefined ? null : parseDuration(maxAge)])
    if (isFresh({ aal, maxAge })) return rememberReauth(null, clock.now())
    if (isReauthLooping(requirement, clock.now())) {
      const error = new ReauthLoopError(
        'Re-authentication came back unmet; not redirecting again within 60 s',
      )
      update({ error })
      throw error
    }
    const { status } = store.getState()
    // Kratos refuses aal2 without a session (session_aal1_required): sign in first; its login
    // flow continues to the second factor by itself. A step-up alone needs no password again.
    const url =
      status === 'authenticated'
        ? loginUrl({ refresh: maxAge !== undefined || aal !== 'aal2', aal, returnTo })
        : loginUrl({ refresh: false, aal: status === 'aal2-required' ? 'aal2' : undefined, returnTo })
    rememberReauth(requirement, clock.now())
    log('re-authenticating at', url)
    location.assign(url)
  }

  async function logout({ returnTo }: { returnTo?: string } = {}) {
    const target =
      returnTo === undefined
        ? undefined
        : checkReturnTo(returnTo, [here()?.origin ?? '', ...o.returnToAllowList])
    const fail = (error: unknown): never => {
      throw error instanceof ServerError
        ? error
        : new NetworkError(`logout failed: ${(error as Error).message}`, { cause: error })
    }
    const ok = async (response: Promise<Response>, ...statuses: number[]) => {
      const res = await response.catch(fail)
      if (!statuses.includes(res.status)) fail(new ServerError(`logout answered ${res.status}`, res.status))
      return res
    }
    if (o.sessionToken) {
      await ok(http.delete('self-service/logout/api', { json: { session_token: o.sessionToken } }), 204)
    } else {
      const flow = await ok(http.get('self-service/logout/browser'), 200, 401)
      // 401: there was no session to end.
      if (flow.status === 200) {
        const { logout_url } = (await flow.json()) as { logout_url?: unknown }
        const url = checkReturnTo(logout_url, [new URL(o.baseUrl).origin], 'logout_url')
        await ok(http.get(url, { prefixUrl: '' }), 204)
      }
    }
    requests++
    applied = requests // answers that started before the sign-out must not bring the session back
    update({ status: 'unauthenticated', session: null, stale: false, error: null, aal2RedirectTo: null })
    if (target) location.assign(target)
  }

  function on(event: SessionKeeperEvent, listener: (state: SessionState) => void) {
    const set = listeners.get(event) ?? new Set()
    listeners.set(event, set.add(listener))
    return () => void set.delete(listener)
  }

  const emit = (event: SessionKeeperEvent, state: SessionState) => {
    log('event', event)
    for (const listener of listeners.get(event) ?? []) listener(state)
  }
  store.subscribe((state, prev) => {
    if (o.debug) log('state', state)
    const was = prev.status
    if (state.status === 'authenticated' && (was === 'unauthenticated' || was === 'aal2-required')) {
      emit('signed-in', state)
    }
    if (state.status === 'unauthenticated' && (was === 'authenticated' || was === 'aal2-required')) {
      emit('signed-out', state)
    }
    if (state.session !== prev.session) emit('changed', state)
    if (state.phase === 'expiring' && prev.phase !== 'expiring') emit('expiring', state)
    if (state.phase === 'expired' && prev.phase !== 'expired') emit('expired', state)
    if (state.status === 'aal2-required' && was !== 'aal2-required') emit('aal2-required', state)
    if (state.error && !prev.error) emit('error', state)
  })

  return {
    start,
    stop,
    getState: store.getState,
    getInitialState: store.getInitialState,
    subscribe: store.subscribe,
    check,
    isFresh,
    loginUrl,
    reauthenticate,
    logout,
    on,
  }
}
