import ky from 'ky'
import { createStore } from 'zustand/vanilla'
import { checkReturnTo } from './checkReturnTo.js'
import { connectTabs, type RemoteState, type TabHost, type TabLink } from './connectTabs.js'
import { type FreshnessRequirement, isSessionFresh } from './isSessionFresh.js'
import { type Duration, parseDuration } from './parseDuration.js'
import { reauthGuard, reauthPending } from './reauthGuard.js'
import { requestWhoami, type WhoamiAnswer } from './requestWhoami.js'
import { resolveOptions, type SessionKeeperOptions } from './resolveOptions.js'
import {
  NetworkError,
  ReauthCancelledError,
  ReauthLoopError,
  ServerError,
  type SessionKeeperError,
} from './SessionKeeperError.js'
import type { Session, SessionState } from './types.js'

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
  /**
   * `'popup'` opens the login in a window and keeps this page as it is (an unsaved form
   * survives); it resolves when a session meeting the requirement arrives and rejects with
   * `ReauthCancelledError` when the window closes first. A blocked popup falls back to a redirect.
   * @default 'redirect'
   */
  mode?: 'redirect' | 'popup'
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
  /**
   * Calls `listener` when `isFresh(requirement)` flips: on state changes, and by itself when
   * `maxAge` passes (a deadline on the keeper's timer, so a gate re-locks on screen). Returns
   * the unsubscribe function. Needs `start()` for the time-based flip.
   */
  subscribeFreshness(requirement: FreshnessRequirement, listener: (fresh: boolean) => void): () => void
  /**
   * Calls `listener` every `every` while the page is visible and there is a session, on the
   * keeper's one timer (a hidden tab gets no wake-ups). For countdowns; read `timeLeft()`.
   */
  subscribeCountdown(every: Duration, listener: () => void): () => void
  /** Milliseconds until `expires_at` against server time, 0 once past; `null` without a session. */
  timeLeft(): number | null
  /** The Kratos login URL for a fresh or stronger login. Throws `UnsafeReturnToError` for an unsafe `returnTo`. */
  loginUrl(options?: LoginUrlOptions): string
  /** Sends the user through Kratos's login unless `requirement` is already met. Rejects with `ReauthLoopError` on a loop. */
  reauthenticate(options?: ReauthenticateOptions): Promise<void>
  /**
   * Extends the session through the `extend` option, then checks, so every tab gets the new
   * `expires_at`. Resolves whether `expires_at` moved later; with `autoExtend`, resolves `false`
   * without a request outside the extension window. Rejects with `NetworkError` or `ServerError`
   * when the extension fails, and with a `TypeError` without the `extend` option.
   */
  extend(): Promise<boolean>
  /** Signs out through Kratos; then navigates to `returnTo` if given. Rejects (state unchanged) when Kratos cannot be reached. */
  logout(options?: { returnTo?: string }): Promise<void>
  /** Listens to one event; returns the unsubscribe function. */
  on(event: SessionKeeperEvent, listener: (state: SessionState) => void): () => void
}

/** A deadline of its own on the keeper's one timer. */
interface Watcher {
  /** Local time it is next due; Infinity when it needs no wake-up. */
  due(): number
  run(): void
}

/** The window name a popup login runs under; the app loaded in it closes it once signed in. */
const POPUP = 'session-keeper:reauth'
const MAX_DELAY = 2_147_483_647 // setTimeout fires at once beyond 2^31-1 ms
const SECOND = 1_000

const hasWindow = () => typeof window !== 'undefined'
const isHidden = () => hasWindow() && document.visibilityState === 'hidden'
const here = () => (hasWindow() ? location : undefined)
const INFINITY = Number.POSITIVE_INFINITY

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
  const { clock, expiringThreshold, autoExtend } = o
  const now = () => clock.now()
  const { origin } = new URL(o.baseUrl)
  const allowed = () => [here()?.origin ?? '', ...o.returnToAllowList]
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

  const expiresAt = (state = get()) => state.session?.expires_at?.getTime() ?? Number.NaN
  /** Milliseconds until `expires_at` against server time; NaN without a session. */
  const remaining = (state = get()) => expiresAt(state) - now() - state.clockSkew

  /**
   * Sets `phase` from `expires_at` on `state`, a new object; at expiry the session is over
   * without waiting for the server (a check confirms).
   */
  const derive = (state: SessionState): SessionState => {
    const left = remaining(state)
    state.phase = left <= 0 ? 'expired' : left <= expiringThreshold ? 'expiring' : left > 0 ? 'active' : null
    if (state.phase === 'expired' && state.status === 'authenticated') state.status = 'unauthenticated'
    return state
  }
  const initial = derive({
    status: o.initialSession ? 'authenticated' : o.initialSession === null ? 'unauthenticated' : 'loading',
    session: o.initialSession ?? null,
    phase: null,
    lastCheckedAt: null,
    stale: false,
    error: null,
    isLeader: false,
    clockSkew: 0,
    aal2RedirectTo: null,
  })
  const store = createStore<SessionState>()(() => initial)
  const get = store.getState
  const listeners = new Map<SessionKeeperEvent, Set<(state: SessionState) => void>>()
  const watchers = new Set<Watcher>()

  let running = false
  let timer: unknown
  let unlisten = () => {}
  // Requests are numbered as they start; an answer older than the newest applied one is dropped.
  let requests = 0
  let applied = 0
  let inFlight: { id: number; promise: Promise<SessionState> } | undefined
  let pollFrom = 0 // local time the cadence counts from: start, then each settled request
  let retryAt = 0 // while backing off, the time of the next try
  let failures = 0
  let cacheFor = 0
  let link: TabLink | undefined
  let unwatchLeader = () => {}
  let extending: Promise<boolean> | undefined
  // Local time of the last extension this tab made, asked the leader for, or saw arrive.
  let extendedAt = -INFINITY

  const report = (error: SessionKeeperError) =>
    o.onError ? o.onError(error) : console.warn('[session-keeper]', error)
  // Structural sharing: an equal answer keeps the same object, so selectors see no change.
  const shared = (current: Session | null, next: Session | null) =>
    JSON.stringify(current) === JSON.stringify(next) ? current : next
  // When the last answer was checked; -Infinity before the first, so any age is too old.
  const checkedAt = () => get().lastCheckedAt ?? -INFINITY
  // `Date` has whole seconds: only a larger move of the server clock is news.
  const newSkew = (skew: number | null) => {
    const { clockSkew } = get()
    return skew !== null && Math.abs(skew - clockSkew) > SECOND ? skew : clockSkew
  }

  /** Merges `partial`, re-derives the phase, and notifies only on a real change. */
  function update(partial: Partial<SessionState>, quiet?: Partial<SessionState>) {
    const current = get()
    const next = derive({ ...current, ...partial })
    const changed = (Object.keys(next) as (keyof SessionState)[]).some(
      (key) => !Object.is(next[key], current[key]),
    )
    // An answer that changes nothing else refreshes `quiet` fields without waking listeners.
    if (changed || (quiet && current === initial)) store.setState(Object.assign(next, quiet), true)
    else Object.assign(current, quiet)
  }

  /** Takes a conclusive answer checked at `at`, from the server or another tab. */
  function accept({ at, status, session, aal2RedirectTo, clockSkew }: RemoteState) {
    update(
      {
        status,
        session: shared(get().session, session),
        aal2RedirectTo,
        stale: false,
        error: null,
        clockSkew,
      },
      { lastCheckedAt: at },
    )
  }

  function apply(id: number, answer: WhoamiAnswer, publish: boolean) {
    if (id < applied) return // out of order: a newer answer is already applied
    applied = id
    const before = get()
    const clockSkew = newSkew(answer.skew)
    cacheFor = answer.cacheFor
    const { error, status = 'authenticated' } = answer
    if (error) {
      const backoff = Math.min(2 * SECOND * 2 ** failures++, o.hiddenPollInterval)
      // Retry-After wins over the backoff (exponential, half of it jitter), but never below a second.
      retryAt = now() + Math.max(answer.retryAfter ?? backoff / 2 + (Math.random() * backoff) / 2, SECOND)
      // Never silent: without onError, the first failure of an outage is warned about.
      if (o.onError || !get().error) report(error)
      return update({ stale: true, error, clockSkew })
    }
    failures = retryAt = 0
    let aal2RedirectTo: string | null = null
    if (status === 'aal2-required') {
      // Kratos's step-up URL (trusted on baseUrl's origin only) with the return_to it leaves out.
      let url = `${o.baseUrl}/self-service/login/browser?aal=aal2`
      try {
        url = checkReturnTo(answer.redirectTo, [origin], 'redirect_browser_to')
      } catch (error) {
        log(error)
      }
      const parsed = new URL(url)
      const page = here()
      if (page && !parsed.searchParams.has('return_to')) parsed.searchParams.set('return_to', page.href)
      aal2RedirectTo = parsed.href
    }
    accept({ at: now(), status, session: answer.session ?? null, aal2RedirectTo, clockSkew })
    const after = get()
    if (publish) void link?.publish(after, after.session !== before.session || after.status !== before.status)
  }

  /** `publish: false` for a check another tab's hint asked for: hinting back would ping-pong. */
  function check({ force = false } = {}, publish = true): Promise<SessionState> {
    if (inFlight && !force) return inFlight.promise
    const id = ++requests
    const promise = requestWhoami(http, now).then((answer) => {
      apply(id, answer, publish)
      if (inFlight?.id === id) inFlight = undefined
      pollFrom = now()
      schedule()
      return get()
    })
    inFlight = { id, promise }
    return promise
  }

  // With tab sync the leader polls slowly only while every tab is hidden.
  const nextPollAt = () =>
    retryAt ||
    pollFrom +
      Math.max((link ? !link.anyVisible() : isHidden()) ? o.hiddenPollInterval : o.pollInterval, cacheFor)

  /** Re-evaluates the state against the clock, checks when due, and sets the one timer. */
  function tick() {
    const before = get().phase
    update({})
    const { phase, isLeader } = get()
    if (isLeader && ((phase === 'expired' && before !== 'expired') || now() >= nextPollAt())) void check()
    for (const watcher of watchers) if (now() >= watcher.due()) watcher.run()
    schedule()
  }

  function schedule() {
    clock.clearTimeout(timer)
    if (!running) return
    const { isLeader, phase, clockSkew } = get()
    const expiry = expiresAt() - clockSkew // in local time
    const next = Math.min(
      isLeader && !inFlight ? nextPollAt() : INFINITY,
      phase === 'active' ? expiry - expiringThreshold : phase === 'expiring' ? expiry : INFINITY,
      ...[...watchers].map((watcher) => watcher.due()),
    )
    if (next < INFINITY) {
      const delay = Math.min(Math.max(next - now(), 0), MAX_DELAY)
      log('wake in', delay)
      timer = clock.setTimeout(tick, delay)
    }
  }

  /** Focus, visibility, pageshow, online: deadlines are absolute, so re-evaluate; check if the last answer is old. */
  function onWake({ type }: Event) {
    const { lastCheckedAt, error, isLeader } = get()
    const t = now()
    if (type === 'visibilitychange') {
      link?.visibility()
      // The leader going off screen decides between the two cadences: ask who is still on it.
      if (isLeader && isHidden()) link?.recount()
    }
    if (
      !isHidden() &&
      ((t - (lastCheckedAt ?? pollFrom) > o.recheckOnFocusAfter && t >= retryAt) ||
        (type === 'online' && error?.name === 'NetworkError'))
    ) {
      // A follower asks the leader, which checks once for every tab that asks.
      if (link && !isLeader) askTabs(o.recheckOnFocusAfter)
      else void check()
    }
    tick()
  }

  /** Asks the tabs for a state no older than `maxAge`; without an answer within a second, asks the server. */
  function askTabs(maxAge: number) {
    const before = get().lastCheckedAt
    const since = now()
    link?.ask(maxAge)
    const unwatch = watch({
      due: () => since + SECOND,
      run: () => {
        unwatch()
        if (get().lastCheckedAt === before) void check()
      },
    })
  }

  /** Answers from other tabs; applying one never sends it on. */
  const host: TabHost = {
    leader() {
      update({ isLeader: true })
      if (now() - checkedAt() > o.pollInterval) void check()
      schedule()
    },
    state(remote) {
      if (remote.at <= checkedAt()) return // older than what this tab holds
      pollFrom = Math.max(pollFrom, remote.at)
      // Like a sign-out here: an answer this tab is still waiting for must not undo it.
      applied = ++requests
      // Tabs of one device share the local clock, so the sender's correction holds here too.
      accept({ ...remote, clockSkew: newSkew(remote.clockSkew) })
    },
    hint: () => void check({}, false),
    activity: extendOnActivity,
    ask(maxAge) {
      if (now() - checkedAt() > maxAge) void check()
      else void link?.publish(get(), false)
    },
    visible: () => !isHidden(),
    visibilityChanged: schedule,
    log,
  }

  function start() {
    if (running) return stop
    if (!hasWindow()) {
      log('no window: not started')
      return stop
    }
    running = true
    pollFrom = now()
    const listen = (method: 'addEventListener' | 'removeEventListener') => {
      document[method]('visibilitychange', onWake)
      for (const type of ['pageshow', 'focus', 'online']) window[method](type, onWake)
      for (const type of autoExtend?.activityEvents ?? [])
        window[method](type, extendOnActivity, { capture: true, passive: true })
    }
    listen('addEventListener')
    unlisten = () => listen('removeEventListener')
    const popup = window.name === POPUP && !!window.opener
    if (o.tabSync === false) update({ isLeader: true })
    else {
      const { channel = `session-keeper:${origin}`, method } = o.tabSync === true ? {} : o.tabSync
      link = connectTabs(channel, method, !o.sessionToken, host)
      link.visibility()
      // A frozen or stuck leader must not leave a visible tab stale: past two poll periods
      // without news, a follower asks the tabs, and the server when nobody answers.
      let askedAt = now()
      unwatchLeader = watch({
        due: () =>
          get().isLeader || isHidden()
            ? INFINITY
            : Math.max(get().lastCheckedAt ?? 0, askedAt) + 2 * o.pollInterval,
        run() {
          askedAt = now()
          askTabs(o.pollInterval)
        },
      })
    }
    if (popup) {
      // The app in a login popup: confirm with the server, tell the other tabs, then close.
      void check().then(async (state) => {
        await link?.publish(state, true)
        if (state.status === 'authenticated') window.close()
      })
    } else if (link && reauthPending(now())) {
      // Back from a login round trip: the other tabs hold what was true before it. Ask the
      // server; its answer reaches them.
      void check()
    } else if (get().status === 'loading' && link) {
      // A new tab: the others know the state; the server is asked only if none answers.
      askTabs(o.pollInterval)
    } else if (get().status === 'loading' || get().phase === 'expired') {
      // Unknown yet, or an initialSession that already expired: ask the server.
      void check()
    }
    schedule()
    return stop
  }

  function stop() {
    if (!running) return
    running = false
    clock.clearTimeout(timer)
    unlisten()
    void link?.close()
    link = undefined
    unwatchLeader()
    update({ isLeader: false })
  }

  function isFresh(requirement: FreshnessRequirement = {}) {
    const { status, session, clockSkew } = get()
    return status === 'authenticated' && isSessionFresh(session, { ...requirement, now: now() + clockSkew })
  }

  /** Adds a deadline to the one timer; returns its removal. */
  function watch(watcher: Watcher) {
    watchers.add(watcher)
    schedule()
    return () => {
      watchers.delete(watcher)
      schedule()
    }
  }

  function subscribeFreshness(requirement: FreshnessRequirement, listener: (fresh: boolean) => void) {
    let fresh = isFresh(requirement)
    const run = () => {
      if (fresh === isFresh(requirement)) return
      fresh = !fresh
      listener(fresh)
    }
    const unsubscribe = store.subscribe(run)
    const unwatch = watch({
      run,
      // Freshness lapses when authenticated_at + maxAge passes, in local time.
      due: () =>
        fresh && requirement.maxAge !== undefined
          ? (get().session?.authenticated_at?.getTime() ?? 0) +
            parseDuration(requirement.maxAge) -
            get().clockSkew +
            1
          : INFINITY,
    })
    return () => {
      unsubscribe()
      unwatch()
    }
  }

  function subscribeCountdown(every: Duration, listener: () => void) {
    const step = parseDuration(every)
    let last = now()
    return watch({
      run: () => {
        last = now()
        listener()
      },
      // A countdown nobody can see is not worth a wake-up.
      due: () => (isHidden() || !get().session ? INFINITY : last + step),
    })
  }

  function timeLeft() {
    return get().session ? Math.max(0, remaining()) : null
  }

  function loginUrl({ refresh = true, aal, returnTo }: LoginUrlOptions = {}) {
    const url = new URL(`${o.baseUrl}/self-service/login/browser`)
    if (refresh) url.searchParams.set('refresh', 'true')
    if ((aal ?? (get().status === 'aal2-required' && 'aal2')) === 'aal2') url.searchParams.set('aal', 'aal2')
    const target = returnTo ?? here()?.href
    if (target !== undefined) {
      url.searchParams.set('return_to', checkReturnTo(target, allowed()))
    }
    return url.href
  }

  async function reauthenticate({ returnTo, mode, ...requirement }: ReauthenticateOptions = {}) {
    const { aal, maxAge } = requirement
    // While loading nobody knows yet whether a login is needed: a wrong guess would bounce off Kratos.
    if (get().status === 'loading') await check()
    if (isFresh(requirement)) return void reauthGuard(null, now())
    // Kratos refuses aal2 without a session (session_aal1_required): sign in first; its login
    // flow continues to the second factor by itself. A step-up alone needs no password again.
    const url =
      get().status === 'authenticated'
        ? loginUrl({ refresh: maxAge !== undefined || aal !== 'aal2', aal, returnTo })
        : loginUrl({ refresh: false, returnTo })
    // The same login from the same login state within 60 s means the last one came back
    // unmet: a loop. A login that succeeded moved authenticated_at, so that is no loop.
    if (mode === 'popup') {
      const popup = window.open(url, POPUP, 'popup,width=480,height=720')
      // A blocked popup falls back to the redirect below.
      if (popup) return waitForPopup(popup, requirement)
    }
    if (reauthGuard(`${url} ${get().session?.authenticated_at?.getTime()}`, now())) {
      const error = new ReauthLoopError('Came back from login unmet; not redirecting again for 60 s')
      update({ error })
      throw error
    }
    location.assign(url)
  }

  /** Resolves when a session meeting `requirement` arrives (over tab sync or a check); rejects when the popup closes first. */
  function waitForPopup(popup: Window, requirement: FreshnessRequirement) {
    return new Promise<void>((resolve, reject) => {
      let last = now()
      const done = (settle: () => void) => {
        unsubscribe()
        unwatch()
        settle()
      }
      const unsubscribe = subscribeFreshness(requirement, (fresh) => fresh && done(resolve))
      // Closed windows send no event: look twice a second, on the keeper's one timer.
      const unwatch = watch({
        due: () => last + SECOND / 2,
        run: () => {
          last = now()
          if (!popup.closed) return
          unwatch()
          void check().then(() =>
            done(
              isFresh(requirement)
                ? resolve
                : () => reject(new ReauthCancelledError('The login window was closed')),
            ),
          )
        },
      })
    })
  }

  /** Maps a request's failure to a typed error; `ok` is a failure status that counts as done. */
  async function settle(what: string, request: Promise<Response>, ok: number) {
    const res = await request.catch((error: Error) => {
      throw new NetworkError(`${what} failed: ${error.message}`, { cause: error })
    })
    if (res.status > 299 && res.status !== ok)
      throw new ServerError(`${what} answered ${res.status}`, res.status)
    return res
  }

  /** Whether the session is inside the `autoExtend` window: an extension now would take. */
  const extendable = ({ earliestPossibleExtend }: { earliestPossibleExtend: number }) =>
    get().status === 'authenticated' && remaining() < earliestPossibleExtend

  async function extend(): Promise<boolean> {
    const how = o.extend
    if (!how) throw new TypeError('createSessionKeeper: extend() needs the "extend" option')
    // Kratos would take the call and silently change nothing.
    if (autoExtend && !extendable(autoExtend)) return false
    extending ??= (async () => {
      const before = expiresAt()
      extendedAt = now()
      try {
        if (typeof how === 'function') await how(get())
        // 429: the backend's own minInterval; the check below tells what is true. The body is
        // read, not cancelled: a cancelled one shows as a failed request in the Network panel.
        else
          await (
            await settle('extend', http.post(new URL(how.url, here()?.href).href, { prefixUrl: '' }), 429)
          ).text()
        return expiresAt(await check({ force: true })) > before
      } finally {
        extending = undefined
      }
    })()
    return extending
  }

  /**
   * Activity here or in another tab: inside the window, once per `minInterval`, the leader
   * extends. A few comparisons per event, so pointermove needs no throttle of its own.
   */
  function extendOnActivity() {
    if (!autoExtend || !extendable(autoExtend) || now() - extendedAt < autoExtend.minInterval) return
    if (link && !get().isLeader) {
      extendedAt = now()
      link.activity()
    } else extend().catch(report)
  }

  async function logout({ returnTo }: { returnTo?: string } = {}) {
    const target = returnTo && checkReturnTo(returnTo, allowed())
    // Kratos answers 204 to a JSON logout, and 401 to a logout flow without a session: nothing to end.
    const send = (request: Promise<Response>) => settle('logout', request, 401)
    if (o.sessionToken) {
      await send(http.delete('self-service/logout/api', { json: { session_token: o.sessionToken } }))
    } else {
      const flow = await send(http.get('self-service/logout/browser'))
      if (flow.status === 200) {
        const { logout_url } = (await flow.json()) as { logout_url?: unknown }
        await send(http.get(checkReturnTo(logout_url, [origin], 'logout_url'), { prefixUrl: '' }))
      }
    }
    // As a 401 would: answers that started before the sign-out must not bring the session back.
    apply(++requests, { status: 'unauthenticated', skew: null, cacheFor }, true)
    if (target) location.assign(target)
  }

  function on(event: SessionKeeperEvent, listener: (state: SessionState) => void) {
    const set = listeners.get(event) ?? new Set()
    listeners.set(event, set.add(listener))
    return () => void set.delete(listener)
  }

  store.subscribe((state, prev) => {
    log(state)
    const emit = (event: SessionKeeperEvent) => {
      for (const listener of listeners.get(event) ?? []) listener(state)
    }
    const { status, phase } = state
    if (status !== prev.status) {
      if (status === 'aal2-required') emit(status)
      else if (prev.status !== 'loading') emit(status === 'authenticated' ? 'signed-in' : 'signed-out')
    }
    if (state.session !== prev.session) emit('changed')
    if (phase !== prev.phase && phase && phase !== 'active') emit(phase)
    if (state.error && !prev.error) emit('error')
    // An extension (or a login) made elsewhere counts towards minInterval here too.
    if (expiresAt(state) > expiresAt(prev)) extendedAt = Math.max(extendedAt, now())
    // A new session moves the expiry and freshness deadlines.
    if (state.session !== prev.session || state.clockSkew !== prev.clockSkew) schedule()
  })

  return {
    start,
    stop,
    getState: get,
    getInitialState: store.getInitialState,
    subscribe: store.subscribe,
    check,
    isFresh,
    subscribeFreshness,
    subscribeCountdown,
    timeLeft,
    loginUrl,
    reauthenticate,
    extend,
    logout,
    on,
  }
}
