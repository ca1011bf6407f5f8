// Logout alone (issue 12): real HTTP (createHttp) over the scripted fetch, a recording conclude,
// and a stubbed location.assign.
import { afterEach, describe, expect, it, vi } from 'vitest'
import { createHttp } from '../createHttp.js'
import { createLogout } from '../createLogout.js'
import { NetworkError, ServerError, UnsafeReturnToError } from '../SessionKeeperError.js'
import { fakeKratosFetch } from './fakeKratosFetch.js'

const BASE = 'https://auth.example'
const LOGOUT_URL = `${BASE}/self-service/logout?token=ory_lo_abc`

function setup(sessionToken?: string) {
  const kratos = fakeKratosFetch()
  const conclude = vi.fn()
  const assign = vi.fn()
  vi.stubGlobal('location', { href: 'https://app.example/', origin: 'https://app.example', assign })
  const logout = createLogout({
    http: createHttp({ baseUrl: BASE, sessionToken, timeout: 10_000, fetch: kratos.fetch }),
    baseUrl: BASE,
    sessionToken,
    allowed: () => ['https://app.example'],
    conclude,
  })
  return { kratos, conclude, assign, logout }
}

const wire = (kratos: ReturnType<typeof fakeKratosFetch>) =>
  kratos.requests.map((r) => `${r.method} ${r.url}${r.body ? ` ${r.body}` : ''}`)

afterEach(() => {
  vi.unstubAllGlobals()
})

describe('createLogout: cookie mode', () => {
  it('should get the logout flow, follow its logout_url, and then sign out', async () => {
    const { kratos, conclude, logout } = setup()
    kratos.reply(200, { logout_url: LOGOUT_URL, logout_token: 'ory_lo_abc' }).reply(204)
    await logout()
    expect(wire(kratos)).toEqual([`GET ${BASE}/self-service/logout/browser`, `GET ${LOGOUT_URL}`])
    expect(conclude).toHaveBeenCalledWith({ status: 'unauthenticated' })
  })

  it('should refuse a logout_url off the origin of baseUrl and change nothing', async () => {
    const { kratos, conclude, logout } = setup()
    kratos.reply(200, { logout_url: 'https://evil.example/self-service/logout?token=x' })
    await expect(logout()).rejects.toThrow(UnsafeReturnToError)
    expect(kratos.count).toBe(1)
    expect(conclude).not.toHaveBeenCalled()
  })

  it('should count a 401 (no session to end) as done', async () => {
    const { kratos, conclude, logout } = setup()
    kratos.reply(401, {})
    await logout()
    expect(kratos.count).toBe(1)
    expect(conclude).toHaveBeenCalledTimes(1)
  })

  it('should go to a checked returnTo once signed out, and refuse another before asking Kratos', async () => {
    const { kratos, conclude, assign, logout } = setup()
    kratos.reply(401, {})
    await logout({ returnTo: 'https://app.example/bye' })
    expect(conclude).toHaveBeenCalledBefore(assign)
    expect(assign).toHaveBeenCalledWith('https://app.example/bye')

    await expect(logout({ returnTo: 'https://evil.example/' })).rejects.toThrow(UnsafeReturnToError)
    expect(kratos.count).toBe(1)
  })
})

describe('createLogout: token mode', () => {
  it('should DELETE the API logout with the token in the body', async () => {
    const { kratos, conclude, logout } = setup('ory_st_abc')
    kratos.reply(204)
    await logout()
    expect(wire(kratos)).toEqual([`DELETE ${BASE}/self-service/logout/api {"session_token":"ory_st_abc"}`])
    expect(conclude).toHaveBeenCalledWith({ status: 'unauthenticated' })
  })

  it('should count a 401 as done', async () => {
    const { kratos, conclude, logout } = setup('ory_st_abc')
    kratos.reply(401, {})
    await logout()
    expect(conclude).toHaveBeenCalledTimes(1)
  })
})

describe('createLogout: failures', () => {
  it('should reject and change nothing when Kratos cannot be reached', async () => {
    const { kratos, conclude, assign, logout } = setup()
    kratos.fail()
    await expect(logout({ returnTo: 'https://app.example/bye' })).rejects.toThrow(NetworkError)
    expect(conclude).not.toHaveBeenCalled()
    expect(assign).not.toHaveBeenCalled()
  })

  it('should reject with the status on a server error, in either mode', async () => {
    const cookie = setup()
    cookie.kratos.reply(500, {})
    await expect(cookie.logout()).rejects.toThrow(ServerError)
    const token = setup('ory_st_abc')
    token.kratos.reply(503, {})
    await expect(token.logout()).rejects.toMatchObject({ status: 503 })
    expect(cookie.conclude).not.toHaveBeenCalled()
    expect(token.conclude).not.toHaveBeenCalled()
  })
})
