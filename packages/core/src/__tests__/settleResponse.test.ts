// settleResponse alone (issue 12): a failed request and a failure status become typed errors.
import { describe, expect, it } from 'vitest'
import { NetworkError, ServerError } from '../SessionKeeperError.js'
import { settleResponse } from '../settleResponse.js'

const answer = (status: number) => Promise.resolve(new Response(null, { status }))

describe('settleResponse', () => {
  it('should pass a 2xx answer on', async () => {
    const res = await settleResponse('logout', answer(204), 401)
    expect(res.status).toBe(204)
  })

  it('should pass on the failure status that counts as done', async () => {
    expect((await settleResponse('logout', answer(401), 401)).status).toBe(401)
  })

  it('should turn any other failure status into a ServerError naming it', async () => {
    const error = await settleResponse('extend', answer(500), 429).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(ServerError)
    expect(error).toMatchObject({ status: 500, message: 'extend answered 500' })
    await expect(settleResponse('logout', answer(302), 401)).rejects.toThrow(ServerError)
  })

  it('should turn a failed request into a NetworkError with the cause', async () => {
    const cause = new TypeError('Failed to fetch')
    const error = await settleResponse('logout', Promise.reject(cause), 401).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(NetworkError)
    expect(error).toMatchObject({ message: 'logout failed: Failed to fetch', cause })
  })
})
