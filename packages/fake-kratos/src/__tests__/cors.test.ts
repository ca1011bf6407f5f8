import { describe, expect, it } from 'vitest'
import { start } from './helpers.js'

const ORIGIN = 'http://app.test:5173'

describe('CORS', () => {
  it('should send no CORS headers at all by default', async () => {
    const kratos = await start()
    const res = await fetch(`${kratos.url}/sessions/whoami`, { headers: { origin: ORIGIN } })
    expect(
      [...res.headers.keys()].filter((name) => name.startsWith('access-control') || name === 'vary'),
    ).toEqual([])
  })

  it('should reflect an allowed origin with credentials and expose only Content-Type by default', async () => {
    const kratos = await start({ cors: { origins: [ORIGIN] } })
    const res = await fetch(`${kratos.url}/sessions/whoami`, { headers: { origin: ORIGIN } })
    expect(res.headers.get('access-control-allow-origin')).toBe(ORIGIN)
    expect(res.headers.get('access-control-allow-credentials')).toBe('true')
    expect(res.headers.get('access-control-expose-headers')).toBe('Content-Type')
    expect(res.headers.get('vary')).toBe('Origin')
    const other = await fetch(`${kratos.url}/sessions/whoami`, { headers: { origin: 'http://evil.test' } })
    expect(other.headers.get('access-control-allow-origin')).toBeNull()
  })

  it("should allow any origin with '*' and expose the configured headers", async () => {
    const kratos = await start({
      cors: { origins: ['*'], exposedHeaders: ['Date', 'Ory-Session-Cache-For'] },
    })
    const res = await fetch(`${kratos.url}/sessions/whoami`, { headers: { origin: 'http://any.test' } })
    expect(res.headers.get('access-control-allow-origin')).toBe('http://any.test')
    expect(res.headers.get('access-control-expose-headers')).toBe('Date, Ory-Session-Cache-For')
  })

  it('should answer preflights 204, with allow headers only for allowed origins, methods and headers', async () => {
    const kratos = await start({ cors: { origins: [ORIGIN] } })
    const preflight = (headers: Record<string, string>) =>
      fetch(`${kratos.url}/sessions/whoami`, {
        method: 'OPTIONS',
        headers: { origin: ORIGIN, 'access-control-request-method': 'GET', ...headers },
      })
    const ok = await preflight({ 'access-control-request-headers': 'x-session-token, content-type' })
    expect(ok.status).toBe(204)
    expect(ok.headers.get('access-control-allow-origin')).toBe(ORIGIN)
    expect(ok.headers.get('access-control-allow-methods')).toBe('GET')
    expect(ok.headers.get('access-control-allow-headers')).toBe('x-session-token, content-type')
    expect(ok.headers.get('access-control-allow-credentials')).toBe('true')

    const cacheControl = await preflight({ 'access-control-request-headers': 'cache-control' })
    expect(cacheControl.status).toBe(204)
    expect(cacheControl.headers.get('access-control-allow-origin')).toBeNull()
    const badMethod = await preflight({ 'access-control-request-method': 'CONNECT' })
    expect(badMethod.headers.get('access-control-allow-origin')).toBeNull()
    const badOrigin = await preflight({ origin: 'http://evil.test' })
    expect(badOrigin.headers.get('access-control-allow-origin')).toBeNull()
    expect(kratos.stats().requests['OPTIONS /sessions/whoami']).toBe(4)
  })
})
