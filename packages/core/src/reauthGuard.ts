// Remembers a re-authentication in sessionStorage (per tab, survives the round trip through the
// login page) so that coming back with the requirement still unmet does not redirect again.

/** How long a remembered re-authentication blocks another for the same requirement. */
export const REAUTH_LOOP_WINDOW = 60_000

const KEY = 'session-keeper:reauth'

/** The re-authentication this tab remembers, if it started less than 60 s before `now`. Throws when storage does. */
function remembered(now: number): { r?: string } | undefined {
  const last = JSON.parse(sessionStorage.getItem(KEY) ?? '{}') as { r?: string; at?: number }
  const age = now - (last.at as number) // NaN without one: never recent
  return age >= 0 && age < REAUTH_LOOP_WINDOW ? last : undefined
}

/**
 * True when a re-authentication for `requirement` started less than 60 s before `now`;
 * otherwise records `requirement` as starting now (`null` forgets it). Storage that throws (sandboxed
 * frames, some private modes) disables the guard rather than the keeper.
 */
export function reauthGuard(requirement: string | null, now: number): boolean {
  try {
    const looping = remembered(now)?.r === requirement
    if (requirement === null) sessionStorage.removeItem(KEY)
    else if (!looping) sessionStorage.setItem(KEY, JSON.stringify({ r: requirement, at: now }))
    return looping
  } catch {
    return false
  }
}

/**
 * True while a re-authentication started from this tab less than 60 s ago: the page just came
 * back from the login, so what the other tabs hold is older than what the server knows now.
 */
export function reauthPending(now: number): boolean {
  try {
    return !!remembered(now)
  } catch {
    return false
  }
}
