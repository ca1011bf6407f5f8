import type { InspectRecord } from '@session-keeper/core'

const errorName = (error: unknown) =>
  error instanceof Error ? `${error.name}: ${error.message}` : String(error)

const seconds = (ms: number) => `${Math.round(ms / 100) / 10}s`

/**
 * One line of the event log for a record, or `null` for a record the log leaves out (a state
 * change that only moved `lastCheckedAt`). Never shows a session, a token or a payload.
 *
 * @example
 * describeRecord({ type: 'malformed', at: 0, count: 2 }) // 'ignored a malformed message (2 so far)'
 */
export function describeRecord(record: InspectRecord): string | null {
  switch (record.type) {
    case 'check': {
      const outcome = record.error ? errorName(record.error) : record.status
      return `check (${record.why}) → ${outcome} in ${record.ms} ms${record.dropped ? ', dropped: a newer answer was applied' : ''}`
    }
    case 'state': {
      const { state, previous } = record
      const changes: string[] = []
      if (state.status !== previous.status) changes.push(`status ${previous.status} → ${state.status}`)
      if (state.phase !== previous.phase) changes.push(`phase ${previous.phase} → ${state.phase}`)
      if (state.isLeader !== previous.isLeader)
        changes.push(state.isLeader ? 'became the leader' : 'no longer the leader')
      if (state.stale !== previous.stale) changes.push(state.stale ? 'stale' : 'fresh again')
      if (state.session !== previous.session && state.status === previous.status)
        changes.push('session updated')
      return changes.length ? changes.join(', ') : null
    }
    case 'message':
      return `message from tab ${record.from}: ${record.kind}${record.visible === undefined ? '' : record.visible ? ' (on screen)' : ' (off screen)'}`
    case 'heard':
      if (record.error)
        return `another tab's check failed: ${errorName(record.error)}${record.applied ? ' (its last answer applied)' : ''}`
      return `another tab's answer ${record.applied ? 'applied' : 'dropped: not newer than ours'}`
    case 'malformed':
      return `ignored a malformed message (${record.count} so far)`
    case 'timer':
      return `timer set: fires in ${seconds(record.in)}`
    case 'extend':
    case 'reauth':
      return `${record.type} ${record.error ? `failed: ${errorName(record.error)}` : `done${record.result === undefined ? '' : `: ${String(record.result)}`}`}`
    case 'reauth-flow': {
      const { step, flow, status, error } = record
      if (error) return `reauth flow ${step} failed: ${errorName(error)}${flow ? ` (flow ${flow})` : ''}`
      return step === 'create'
        ? `reauth flow created (flow ${flow})`
        : `reauth flow submit → ${status} (flow ${flow})`
    }
    case 'error':
      return `error: ${errorName(record.error)}`
    case 'no-window':
      return 'start() without a window: nothing started'
  }
}
