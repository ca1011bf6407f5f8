// Remembers a re-authentication in sessionStorage (per tab, survives the round trip through the
// login page) so that coming back with the requirement still unmet does not redirect again.

/** How long a remembered re-authentication blocks another for the same requirement. */
export const REAUTH_LOOP_WINDOW = 60_000

const KEY = 'session-keeper:reauth'

/** A re-authentication this tab started: its requirement, and whether it asked for aal2. */
interface Remembered {
  r?: string
  aal2?: boolean
}

/** The re-authentication this tab remembers, if it started less than 60 s before `now`. Throws when storage does. */
function remembered(now: number): Remembered | undefined {
  const last = JSON.parse(sessionStorage.getItem(KEY) ?? '{}') as Remembered & { at?: number }
  const age = now - (last.at as number) // NaN without one: never recent
  return age >= 0 && age < REAUTH_LOOP_WINDOW ? last : undefined
}

/**
 * True when a re-authentication for `requirement` started less than 60 s before `now`;
 * otherwise records `requirement` as starting now (`null` forgets it), with whether it asks for
 * `aal2`. Storage that throws (sandboxed frames, some private modes) disables the guard rather
 * than the keeper.
 */
export function reauthGuard(requirement: string | null, now: number, aal2 = false): boolean {
  try {
    const looping = remembered(now)?.r === requirement
    if (requirement === null) sessionStorage.removeItem(KEY)
    else if (!looping) sessionStorage.setItem(KEY, JSON.stringify({ r: requirement, at: now, aal2 }))
    return looping
  } catch {
    return false
  }
}

/**
 * The re-authentication started from this tab less than 60 s ago, if any: the page just came
 * back from the login, so what the other tabs hold is older than what the server knows now;
 * `aal2` says whether it went for the second factor.
 */
export function reauthPending(now: number): { aal2: boolean } | undefined {
  try {
    const last = remembered(now)
    return last && { aal2: !!last.aal2 }
  } catch {
    return undefined
  }
}
