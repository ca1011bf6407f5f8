import { describe, expect, it } from 'vitest'
import { HOUR, start } from './helpers.js'

const NOT_FOUND = { error: { code: 404, status: 'Not Found', message: 'Unable to locate the resource' } }

describe('admin sessions', () => {
  it('should extend a session to now + lifespan and answer 200 with the session by default', async () => {
    const kratos = await start({ lifespan: '2h' })
    const { session } = kratos.createSession('user@example.com')
    kratos.clock.advance(HOUR)
    const res = await fetch(`${kratos.url}/admin/sessions/${session.id}/extend`, { method: 'PATCH' })
    expect(res.status).toBe(200)
    expect(await res.json()).toMatchObject({ id: session.id, expires_at: '2030-01-01T03:00:00Z' })
  })

  it('should answer 204 without a body with fasterSessionExtend', async () => {
    const kratos = await start({ fasterSessionExtend: true })
    const { session } = kratos.createSession('user@example.com')
    const res = await fetch(`${kratos.url}/admin/sessions/${session.id}/extend`, { method: 'PATCH' })
    expect(res.status).toBe(204)
    expect(await res.text()).toBe('')
  })

  it('should answer 400 for a bad UUID and 404 for an unknown session', async () => {
    const kratos = await start()
    const bad = await fetch(`${kratos.url}/admin/sessions/abc/extend`, { method: 'PATCH' })
    expect(bad.status).toBe(400)
    expect((await bad.json()).error.reason).toBe('could not parse UUID')
    const unknown = await fetch(`${kratos.url}/admin/sessions/${crypto.randomUUID()}/extend`, {
      method: 'PATCH',
    })
    expect(unknown.status).toBe(404)
    expect(await unknown.json()).toEqual(NOT_FOUND)
  })

  it('should silently do nothing before the earliestPossibleExtend window opens', async () => {
    const kratos = await start({ lifespan: '24h', earliestPossibleExtend: '12h' })
    const { session } = kratos.createSession('user@example.com')
    const extend = () =>
      fetch(`${kratos.url}/admin/sessions/${session.id}/extend`, { method: 'PATCH' }).then((res) =>
        res.json(),
      )
    kratos.clock.advance(11 * HOUR)
    expect((await extend()).expires_at).toBe('2030-01-02T00:00:00Z')
    kratos.clock.advance(2 * HOUR)
    expect((await extend()).expires_at).toBe('2030-01-02T13:00:00Z')
  })

  it('should revive an expired session but leave a revoked one invalid', async () => {
    const kratos = await start({ lifespan: '1h' })
    const expired = kratos.createSession('user@example.com')
    const revoked = kratos.createSession('user@example.com')
    kratos.revokeSession(revoked.session.id)
    kratos.clock.advance(2 * HOUR)
    for (const { session } of [expired, revoked]) {
      await fetch(`${kratos.url}/admin/sessions/${session.id}/extend`, { method: 'PATCH' })
    }
    const status = (cookie: string) =>
      fetch(`${kratos.url}/sessions/whoami`, { headers: { cookie } }).then((res) => res.status)
    expect(await status(expired.cookie)).toBe(200)
    expect(await status(revoked.cookie)).toBe(401)
  })

  it('should require Authorization: Bearer <apiKey> when an API key is set', async () => {
    const kratos = await start({ apiKey: 'ory_pat_secret' })
    const { session } = kratos.createSession('user@example.com')
    const url = `${kratos.url}/admin/sessions/${session.id}`
    const missing = await fetch(url)
    expect(missing.status).toBe(401)
    expect((await missing.json()).error.code).toBe(401)
    expect((await fetch(url, { headers: { authorization: 'Bearer wrong' } })).status).toBe(401)
    const ok = await fetch(url, { headers: { authorization: 'Bearer ory_pat_secret' } })
    expect(ok.status).toBe(200)
    expect((await ok.json()).identity.traits.email).toBe('user@example.com')
  })

  it('should answer GET /admin/sessions/{id} with 404 for an unknown id', async () => {
    const kratos = await start()
    const res = await fetch(`${kratos.url}/admin/sessions/${crypto.randomUUID()}`)
    expect(await res.json()).toEqual(NOT_FOUND)
  })
})
