'use client'
import type { SessionKeeper, SessionState } from '@session-keeper/core'
import { formatDuration } from './format.js'
import { redact } from './redact.js'
import { styles } from './styles.js'

/** The keeper's state: status, phase, time left on the server's clock, skew, aal, freshness. */
export function StateSection({
  keeper,
  state,
  now,
}: {
  keeper: SessionKeeper
  state: SessionState
  now: number
}) {
  const { status, phase, session, stale, error, clockSkew, lastCheckedAt } = state
  const authenticatedAt = session?.authenticated_at
  const tone = status === 'authenticated' ? styles.good : status === 'loading' ? styles.warn : styles.bad
  const rows: Array<[string, string, object?]> = [
    ['status', status, tone],
    ['phase', phase ?? '-', phase === 'active' ? styles.good : styles.warn],
    ['time left', formatDuration(keeper.timeLeft())],
    ['clock skew', `${clockSkew} ms`],
    ['aal', session?.authenticator_assurance_level ?? '-'],
    [
      'authenticated_at',
      authenticatedAt
        ? `${authenticatedAt.toISOString()} (${formatDuration(now + clockSkew - authenticatedAt.getTime())} ago)`
        : '-',
    ],
    ['last checked', lastCheckedAt === null ? 'never' : `${formatDuration(now - lastCheckedAt)} ago`],
    ['stale', String(stale), stale ? styles.warn : undefined],
    ['error', error ? `${error.name}: ${error.message}` : '-', error ? styles.bad : undefined],
  ]
  return (
    <section style={styles.section} aria-label="State">
      <h3 style={styles.heading}>State</h3>
      <dl style={styles.grid}>
        {rows.map(([term, value, style]) => (
          <div key={term} style={{ display: 'contents' }}>
            <dt style={styles.term}>{term}</dt>
            <dd style={{ ...styles.value, ...style }} data-field={term}>
              {value}
            </dd>
          </div>
        ))}
      </dl>
      <details>
        <summary style={{ cursor: 'pointer', marginTop: 6 }}>session JSON</summary>
        <pre style={styles.pre}>{JSON.stringify(redact(session), null, 2)}</pre>
      </details>
    </section>
  )
}
