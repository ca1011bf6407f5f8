// The HTTP client alone (issue 12), over the scripted fetch: what every request carries, no
// retry, no thrown HTTP errors, and the timeout.
import { afterEach, describe, expect, it, vi } from 'vitest'
import { createHttp } from '../createHttp.js'
import { fakeKratosFetch } from './fakeKratosFetch.js'

const BASE = 'https://auth.example'

function setup({ sessionToken, timeout = 10_000 }: { sessionToken?: string; timeout?: number } = {}) {
  const kratos = fakeKratosFetch()
  const http = createHttp({ baseUrl: BASE, sessionToken, timeout, fetch: kratos.fetch })
  return { kratos, http }
}

afterEach(() => {
  vi.useRealTimers()
})

describe('createHttp', () => {
  it('should ask for JSON on baseUrl with the cookie, and no token in cookie mode', async () => {
    const { kratos, http } = setup()
    kratos.reply(200, {})
    await http.get('sessions/whoami')
    const [request] = kratos.requests
    expect(request?.url).toBe(`${BASE}/sessions/whoami`)
    expect(request?.credentials).toBe('include')
    expect(request?.headers.get('accept')).toBe('application/json')
    expect(request?.headers.has('x-session-token')).toBe(false)
  })

  it('should send X-Session-Token in token mode', async () => {
    const { kratos, http } = setup({ sessionToken: 'ory_st_abc' })
    kratos.reply(200, {})
    await http.get('sessions/whoami')
    expect(kratos.requests[0]?.headers.get('x-session-token')).toBe('ory_st_abc')
  })

  it('should neither retry nor throw on a failure status', async () => {
    const { kratos, http } = setup()
    kratos.reply(503, {}).reply(200, {})
    const res = await http.get('sessions/whoami')
    expect(res.status).toBe(503)
    expect(kratos.count).toBe(1)
  })

  it('should not retry a failed request', async () => {
    const { kratos, http } = setup()
    kratos.fail().reply(200, {})
    await expect(http.get('sessions/whoami')).rejects.toThrow('Failed to fetch')
    expect(kratos.count).toBe(1)
  })

  it('should give up after the timeout', async () => {
    vi.useFakeTimers()
    const { kratos, http } = setup({ timeout: 5_000 })
    kratos.pending()
    const request = http.get('sessions/whoami')
    const failed = expect(request).rejects.toThrow(/timed out/)
    await vi.advanceTimersByTimeAsync(5_000)
    await failed
  })
})
