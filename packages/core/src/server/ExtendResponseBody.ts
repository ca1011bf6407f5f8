// The JSON bodies of the extend handler's answers, shared by the handler and its callers' types.

/**
 * Why a session was not extended: not inside Kratos's `earliest_possible_extend` window yet, or
 * extended less than `minInterval` ago.
 *
 * @example
 * if (!body.extended && body.reason === 'too_soon') console.info(`again in ${body.retry_after} s`)
 */
export type NotExtendedReason = 'outside_window' | 'too_soon'

/**
 * Every JSON body the handler answers with (ISO 8601 dates). 200 `{ extended: true }` or
 * `{ extended: false, reason: 'outside_window' }` (`extendable_at` when `earliestPossibleExtend`
 * is set), 200 `{ extended: false, reason: 'too_soon', retry_after }`, and `{ error }` for 401, 403, 405,
 * 500 and 502.
 *
 * @example
 * const body = (await (await fetch('/api/session/extend', { method: 'POST' })).json()) as ExtendResponseBody
 * if ('extended' in body && body.extended) console.log('now expires at', body.expires_at)
 */
export type ExtendResponseBody =
  | { extended: true; expires_at: string }
  | { extended: false; reason: 'outside_window'; expires_at: string; extendable_at?: string }
  | { extended: false; reason: 'too_soon'; expires_at: string; retry_after: number }
  | { error: { id: string; message: string } }
