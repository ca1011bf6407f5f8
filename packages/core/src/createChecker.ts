import type { KyInstance } from 'ky'
import type { Scheduler } from './createScheduler.js'
import type { SessionStore } from './createSessionStore.js'
import type { CheckReason, Log } from './InspectRecord.js'
import { pageLocation } from './page.js'
import { requestWhoami, type WhoamiAnswer } from './requestWhoami.js'
import type { SessionKeeperError } from './SessionKeeperError.js'
import { stepUpUrl } from './stepUpUrl.js'
import type { RemoteState } from './TabMessage.js'
import type { Session, SessionState } from './types.js'

/** Asks the server who is signed in, and keeps the answers in order. */
export interface Checker {
  /**
   * Asks whoami now; concurrent calls share one request unless `force`. `publish: false` for a
   * check another tab's hint asked for: hinting back would ping-pong. Never rejects.
   */
  check(options?: { force?: boolean; why?: CheckReason }, publish?: boolean): Promise<SessionState>
  /** Applies an answer that did not come from a request (a sign-out) over any still in flight. */
  conclude(answer: Pick<WhoamiAnswer, 'status' | 'session'>): void
  /** Takes another tab's answer when it is newer than what this tab holds. */
  hear(remote: RemoteState): void
  /** Local time of the last answer, or of `start()` before the first. */
  pollFrom(): number
  /** While backing off, the local time of the next try; 0 otherwise. */
  retryAt(): number
  /** The cadence counts from now (the keeper starts). */
  restart(): void
}

export interface CheckerOptions {
  http: KyInstance
  now: () => number
  store: SessionStore
  scheduler: Scheduler
  baseUrl: string
  pollInterval: number
  /** The slow cadence while every tab is hidden; also caps the error backoff. */
  hiddenPollInterval: number
  /** Whether no tab of the app is on screen. */
  allHidden(): boolean
  /** Sends an answer to the other tabs; `changed` when the session or status moved. */
  publish(state: SessionState, changed: boolean): void
  /** Whether an answer with this session proves the second factor unavailable. */
  proves(session: Session | null): boolean
  report(error: SessionKeeperError): void
  /** Report every failure (`onError` given), not only the first of an outage. */
  reportAll: boolean
  log: Log
}

const SECOND = 1_000

/**
 * The wait before the next try: `Retry-After` wins over the backoff (exponential up to `cap`,
 * half of it jitter), but never below a second.
 */
function wait(failures: number, cap: number, retryAfter: number | null | undefined) {
  const backoff = Math.min(2 * SECOND * 2 ** failures, cap)
  return Math.max(retryAfter ?? backoff / 2 + (Math.random() * backoff) / 2, SECOND)
}

/**
 * Creates the checker: one whoami at a time (single flight, `force` aside), answers applied
 * only when newer than the last applied one, exponential backoff with jitter on failures
 * (`Retry-After` wins), and the leader's poll on the scheduler.
 *
 * @example
 * const checker = createChecker({ http, now, store, scheduler, ...cadence, publish, proves, report })
 * await checker.check({ force: true })
 */
/* @__NO_SIDE_EFFECTS__ */
export function createChecker(o: CheckerOptions): Checker {
  const { now, store } = o
  // Requests are numbered as they start; an answer older than the newest applied one is dropped.
  let requests = 0
  let applied = 0
  let inFlight: { id: number; promise: Promise<SessionState> } | undefined
  let pollFrom = 0 // local time the cadence counts from: start, then each settled request
  let retryAt = 0
  let failures = 0
  let cacheFor = 0

  function apply(id: number, answer: WhoamiAnswer, publish: boolean) {
    if (id < applied) return // out of order: a newer answer is already applied
    applied = id
    const before = store.getState()
    const clockSkew = store.newSkew(answer.skew)
    cacheFor = answer.cacheFor
    const { error, status = 'authenticated', session = null } = answer
    if (error) {
      retryAt = now() + wait(failures++, o.hiddenPollInterval, answer.retryAfter)
      // Never silent: without onError, the first failure of an outage is warned about.
      if (o.reportAll || !before.error) o.report(error)
      // Published too: the other tabs hold no newer answer, so they are stale as well.
      store.update({ stale: true, error, clockSkew })
    } else {
      failures = retryAt = 0
      store.accept({
        at: now(),
        status,
        session,
        aal2RedirectTo:
          status === 'aal2-required'
            ? stepUpUrl(answer.redirectTo, o.baseUrl, pageLocation()?.href, o.log)
            : null,
        clockSkew,
        secondFactorUnavailable: o.proves(status === 'authenticated' ? session : null),
      })
    }
    const after = store.getState()
    if (publish) o.publish(after, after.session !== before.session || after.status !== before.status)
  }

  function check({ force = false, why = 'app' as CheckReason } = {}, publish = true): Promise<SessionState> {
    if (inFlight && !force) return inFlight.promise
    const id = ++requests
    const started = now()
    const promise = requestWhoami(o.http, now).then((answer) => {
      apply(id, answer, publish)
      const { status, error } = answer
      o.log('check', { why, status, error, ms: now() - started, dropped: applied > id })
      if (inFlight?.id === id) inFlight = undefined
      pollFrom = now()
      o.scheduler.schedule()
      return store.getState()
    })
    inFlight = { id, promise }
    return promise
  }

  // The leader polls; with every tab hidden, slowly. A cached answer is not asked again sooner.
  o.scheduler.watch({
    name: 'poll',
    due: () =>
      store.getState().isLeader && !inFlight
        ? retryAt || pollFrom + Math.max(o.allHidden() ? o.hiddenPollInterval : o.pollInterval, cacheFor)
        : Infinity,
    run: () => void check({ why: 'poll' }),
  })

  return {
    check,
    conclude: (answer) => apply(++requests, { ...answer, skew: null, cacheFor }, true),
    hear(remote) {
      const checkedAt = store.getState().lastCheckedAt ?? -Infinity
      const newer = remote.at > checkedAt && remote.status !== 'loading' // `loading`: only a failure
      o.log('heard', { answeredAt: remote.at, applied: newer, error: remote.error })
      if (newer) {
        pollFrom = Math.max(pollFrom, remote.at)
        // Like a sign-out here: an answer this tab is still waiting for must not undo it.
        applied = ++requests
        // Tabs of one device share the local clock, so the sender's correction holds here too.
        store.accept({ ...remote, clockSkew: store.newSkew(remote.clockSkew) })
      }
      // The sender's check failed after its answer at `at`: what this tab holds is no newer.
      if (remote.error && remote.at >= checkedAt) store.update({ stale: true, error: remote.error })
    },
    pollFrom: () => pollFrom,
    retryAt: () => retryAt,
    restart() {
      pollFrom = now()
    },
  }
}
