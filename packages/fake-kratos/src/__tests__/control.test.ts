import { describe, expect, it } from 'vitest'
import { start } from './helpers.js'

const post = (url: string, body: unknown) =>
  fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) })

describe('control API', () => {
  it('should move the clock, and every timestamp and Date header with it', async () => {
    const kratos = await start()
    expect(await (await fetch(`${kratos.url}/__fake/clock`)).json()).toEqual({ now: '2030-01-01T00:00:00Z' })
    const advanced = await post(`${kratos.url}/__fake/clock`, { advance: 90_000 })
    expect(await advanced.json()).toEqual({ now: '2030-01-01T00:01:30Z' })
    await post(`${kratos.url}/__fake/clock`, { set: '2031-06-01T12:00:00Z' })
    const whoami = await fetch(`${kratos.url}/sessions/whoami`)
    expect(whoami.headers.get('date')).toBe('Sun, 01 Jun 2031 12:00:00 GMT')
    expect(kratos.clock.now()).toBe(Date.UTC(2031, 5, 1, 12))
  })

  it('should answer 400 naming the problem for bad control input', async () => {
    const kratos = await start()
    const bad = async (path: string, body: unknown) => {
      const res = await post(`${kratos.url}/__fake/${path}`, body)
      expect(res.status).toBe(400)
      return ((await res.json()) as { error: string }).error
    }
    expect(await bad('clock', { advance: 'soon' })).toMatch(/advance/)
    expect(await bad('clock', {})).toMatch(/advance|set/)
    expect(await bad('faults', { route: 'whoami' })).toMatch(/route/)
    expect(await bad('faults', { route: 'GET /x', status: 42 })).toMatch(/status/)
    expect(await bad('sessions', { identity: 'nobody@example.com' })).toMatch(/nobody@example.com/)
    expect(await bad('sessions', { identity: 'user@example.com', aal: 'aal3' })).toMatch(/aal/)
    const res = await fetch(`${kratos.url}/__fake/clock`, { method: 'POST', body: '{' })
    expect(res.status).toBe(400)
  })

  it('should create sessions whose cookie and token work, and revoke them', async () => {
    const kratos = await start()
    const res = await post(`${kratos.url}/__fake/sessions`, { identity: 'mfa@example.com', aal: 'aal2' })
    expect(res.status).toBe(201)
    const created = await res.json()
    expect(created.session.authenticator_assurance_level).toBe('aal2')
    const whoami = (headers: Record<string, string>) =>
      fetch(`${kratos.url}/sessions/whoami`, { headers }).then((r) => r.status)
    expect(await whoami({ cookie: created.cookie })).toBe(200)
    expect(await whoami({ 'x-session-token': created.session_token })).toBe(200)
    const revoke = await fetch(`${kratos.url}/__fake/sessions/${created.session.id}/revoke`, {
      method: 'POST',
    })
    expect(revoke.status).toBe(204)
    expect(await whoami({ cookie: created.cookie })).toBe(401)
    expect((await fetch(`${kratos.url}/__fake/sessions/nope/revoke`, { method: 'POST' })).status).toBe(404)
  })

  it('should inject a status with Retry-After for as many requests as asked, then answer normally', async () => {
    const kratos = await start()
    await post(`${kratos.url}/__fake/faults`, {
      route: 'GET /sessions/whoami',
      status: 503,
      retryAfter: 7,
      times: 1,
    })
    const faulted = await fetch(`${kratos.url}/sessions/whoami`)
    expect(faulted.status).toBe(503)
    expect(faulted.headers.get('retry-after')).toBe('7')
    expect((await faulted.json()).error.code).toBe(503)
    expect((await fetch(`${kratos.url}/sessions/whoami`)).status).toBe(401)
  })

  it('should send a string body as raw bytes and an object body as JSON', async () => {
    const kratos = await start()
    kratos.addFault({ route: 'GET /sessions/whoami', body: '{"id": tru' })
    expect(await (await fetch(`${kratos.url}/sessions/whoami`)).text()).toBe('{"id": tru')
    kratos.clearFaults()
    kratos.addFault({ route: 'GET /sessions/whoami', status: 200, body: { id: 42 } })
    const res = await fetch(`${kratos.url}/sessions/whoami`)
    expect(await res.json()).toEqual({ id: 42 })
    await fetch(`${kratos.url}/__fake/faults`, { method: 'DELETE' })
    expect((await fetch(`${kratos.url}/sessions/whoami`)).status).toBe(401)
  })

  it("should send the fault's content type, and refuse one that is no media type", async () => {
    const kratos = await start()
    kratos.addFault({
      route: 'GET /sessions/whoami',
      status: 502,
      contentType: 'text/html',
      body: '<h1>502</h1>',
    })
    const res = await fetch(`${kratos.url}/sessions/whoami`)
    expect([res.status, res.headers.get('content-type'), await res.text()]).toEqual([
      502,
      'text/html',
      '<h1>502</h1>',
    ])
    expect(() => kratos.addFault({ route: 'GET /sessions/whoami', contentType: 'html' })).toThrow(
      /contentType/,
    )
  })

  it('should drop the connection for a reset fault', async () => {
    const kratos = await start()
    kratos.addFault({ route: 'GET /sessions/whoami', reset: true })
    await expect(fetch(`${kratos.url}/sessions/whoami`)).rejects.toThrow()
  })

  it('should hold a delayed request back while others are answered', async () => {
    const kratos = await start()
    kratos.addFault({ route: 'GET /sessions/whoami', delayMs: 200 })
    const order: string[] = []
    const delayed = fetch(`${kratos.url}/sessions/whoami`).then((res) => {
      order.push('whoami')
      return res.status
    })
    await fetch(`${kratos.url}/health/alive`).then(() => order.push('health'))
    expect(await delayed).toBe(401)
    expect(order).toEqual(['health', 'whoami'])
  })

  it('should count requests by method and path, never the control API, until reset', async () => {
    const kratos = await start()
    await fetch(`${kratos.url}/sessions/whoami?x=1`)
    await fetch(`${kratos.url}/sessions/whoami`)
    await fetch(`${kratos.url}/self-service/login/browser`, { redirect: 'manual' })
    await fetch(`${kratos.url}/__fake/clock`)
    const stats = await (await fetch(`${kratos.url}/__fake/stats`)).json()
    expect(stats).toEqual({ requests: { 'GET /sessions/whoami': 2, 'GET /self-service/login/browser': 1 } })
    expect((await fetch(`${kratos.url}/__fake/stats`, { method: 'DELETE' })).status).toBe(204)
    expect(kratos.stats()).toEqual({ requests: {} })
  })
})
