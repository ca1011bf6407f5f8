// Remembers a re-authentication in sessionStorage (per tab, survives the round trip through the
// login page) so that coming back with the requirement still unmet does not redirect again.

/** How long a remembered re-authentication blocks another for the same requirement. */
export const REAUTH_LOOP_WINDOW = 60_000

const KEY = 'session-keeper:reauth'

const storage = (): Storage | undefined => {
  try {
    return globalThis.sessionStorage
  } catch {
    return undefined // blocked storage (sandboxed iframe, some private modes)
  }
}

/** True when a re-authentication for `requirement` started less than 60 s before `now`. */
export function isReauthLooping(requirement: string, now: number): boolean {
  try {
    const entry = JSON.parse(storage()?.getItem(KEY) ?? 'null') as { r: string; at: number } | null
    return entry?.r === requirement && now - entry.at >= 0 && now - entry.at < REAUTH_LOOP_WINDOW
  } catch {
    return false
  }
}

/** Records that a re-authentication for `requirement` starts now; `null` forgets it. */
export function rememberReauth(requirement: string | null, now: number): void {
  try {
    if (requirement === null) storage()?.removeItem(KEY)
    else storage()?.setItem(KEY, JSON.stringify({ r: requirement, at: now }))
  } catch {}
}
