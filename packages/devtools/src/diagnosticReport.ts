import type { SessionKeeper } from '@session-keeper/core'
import type { Recording } from './createRecorder.js'
import { describeRecord } from './describeRecord.js'
import { redact } from './redact.js'

/** A URL without its query and fragment: they may hold a flow id, a code or a token. */
const bare = (url: string | null) => {
  if (!url) return url
  try {
    const parsed = new URL(url)
    return parsed.origin + parsed.pathname
  } catch {
    return '[unparsable]'
  }
}

/**
 * The diagnostic report the panel copies: the state, this tab's role, the tabs it knows, the
 * deadlines and the log, as indented JSON to paste into a bug report. Redacted: no token, cookie,
 * CSRF token, password or identity trait, and URLs lose their query.
 *
 * @example
 * await navigator.clipboard.writeText(diagnosticReport(keeper, recorder.getSnapshot()))
 */
export function diagnosticReport(keeper: SessionKeeper, recording: Recording, now = Date.now()): string {
  const state = keeper.getState()
  const page = typeof location === 'undefined' ? null : bare(location.href)
  const report = {
    generatedAt: new Date(now).toISOString(),
    page,
    userAgent: typeof navigator === 'undefined' ? null : navigator.userAgent,
    state: {
      status: state.status,
      phase: state.phase,
      role: state.isLeader ? 'leader' : 'follower',
      stale: state.stale,
      error: redact(state.error),
      clockSkew: state.clockSkew,
      lastCheckedAt: state.lastCheckedAt,
      timeLeft: keeper.timeLeft(),
      aal2RedirectTo: bare(state.aal2RedirectTo),
      secondFactorUnavailable: state.secondFactorUnavailable,
    },
    session: redact(state.session),
    tabs: recording.tabs,
    malformedMessages: recording.malformed,
    deadlines: (recording.timer?.deadlines ?? []).filter(({ at }) => Number.isFinite(at)),
    log: recording.records.flatMap((record) => {
      const line = describeRecord(record)
      return line === null ? [] : [`${new Date(record.at).toISOString()} ${line}`]
    }),
  }
  return JSON.stringify(report, null, 2)
}
