import { NetworkError, ServerError } from './SessionKeeperError.js'

/**
 * Waits for `request` and maps its failure to a typed error: `NetworkError` when it never got
 * an answer, `ServerError` for a status above 299 other than `ok` (a failure status that counts
 * as done, such as 401 for a logout without a session).
 *
 * @example
 * const res = await settleResponse('logout', http.get('self-service/logout/browser'), 401)
 */
export async function settleResponse(
  what: string,
  request: Promise<Response>,
  ok: number,
): Promise<Response> {
  const res = await request.catch((error: Error) => {
    throw new NetworkError(`${what} failed: ${error.message}`, { cause: error })
  })
  if (res.status > 299 && res.status !== ok)
    throw new ServerError(`${what} answered ${res.status}`, res.status)
  return res
}
