import { describe, expect, it } from 'vitest'
import { startFakeKratos } from '../index.js'
import { start } from './helpers.js'

describe('startFakeKratos', () => {
  it('should throw a TypeError naming a bad option before listening', async () => {
    await expect(startFakeKratos({ lifespan: 'forever' })).rejects.toThrow(/option "lifespan"/)
    await expect(startFakeKratos({ port: -1 })).rejects.toThrow(TypeError)
    await expect(startFakeKratos({ cors: { origins: ['not a url'] } })).rejects.toThrow(/cors.origins/)
  })

  it('should resolve with a URL without trailing slash, and a publicUrl when given', async () => {
    const kratos = await start()
    expect(kratos.url).toBe(`http://localhost:${kratos.port}`)
    const proxied = await start({ publicUrl: 'https://auth.example.com/' })
    expect(proxied.url).toBe('https://auth.example.com')
    const flow = await fetch(`http://localhost:${proxied.port}/self-service/login/browser`, {
      redirect: 'manual',
    })
    expect(flow.headers.get('location')).toMatch(/^https:\/\/auth\.example\.com\/ui\/login\?flow=/)
    expect(flow.headers.getSetCookie()[0]).toContain('; Secure;')
  })

  it('should close every socket, idempotently', async () => {
    const kratos = await startFakeKratos()
    kratos.addFault({ route: 'GET /sessions/whoami', delayMs: 60_000 })
    const pending = fetch(`${kratos.url}/sessions/whoami`)
    await fetch(`${kratos.url}/health/ready`)
    await Promise.all([kratos.close(), kratos.close()])
    await expect(pending).rejects.toThrow()
    await expect(fetch(`${kratos.url}/health/ready`)).rejects.toThrow()
  })

  it('should derive stable identity ids from the email, or use the given id', async () => {
    const a = await start()
    const b = await start({
      identities: [
        { email: 'user@example.com', password: 'x' },
        { email: 'id@example.com', password: 'x', id: 'f3a7e6c2-1b6f-4c57-9c0e-3f7c1d2b5a10' },
      ],
    })
    const idOf = (kratos: typeof a, email: string) =>
      (kratos.createSession(email).session.identity as { id: string }).id
    expect(idOf(a, 'user@example.com')).toBe(idOf(b, 'user@example.com'))
    expect(idOf(b, 'id@example.com')).toBe('f3a7e6c2-1b6f-4c57-9c0e-3f7c1d2b5a10')
  })

  it('should answer unknown paths 404 and wrong methods 405 in plain text, like Go', async () => {
    const kratos = await start()
    const missing = await fetch(`${kratos.url}/nope`)
    expect(missing.status).toBe(404)
    expect(await missing.text()).toBe('404 page not found\n')
    const wrong = await fetch(`${kratos.url}/self-service/login/browser`, { method: 'POST' })
    expect(wrong.status).toBe(405)
    expect(wrong.headers.get('allow')).toBe('GET')
  })
})
