// Extension alone (issue 12): a real store on a hand clock, real HTTP (createHttp) over the
// scripted fetch, a check that brings the extended session, and a recording tab sync.
import { describe, expect, it, vi } from 'vitest'
import { createExtension, type ExtensionDeps } from '../createExtension.js'
import { createHttp } from '../createHttp.js'
import { createInspector } from '../createInspector.js'
import { createSessionStore } from '../createSessionStore.js'
import type { TabSync } from '../createTabSync.js'
import { ServerError } from '../SessionKeeperError.js'
import type { SessionState } from '../types.js'
import { fakeKratosFetch } from './fakeKratosFetch.js'
import { keptSession, MINUTE, unitClock } from './unitKit.js'

const EXTEND_URL = 'https://app.example/api/session/extend'
const WINDOW = 10 * MINUTE
const MIN_INTERVAL = 5 * MINUTE

function setup(
  options: { extend?: ExtensionDeps['extend']; auto?: boolean; expiresIn?: number; follower?: boolean } = {},
) {
  const { auto = false, expiresIn = 30 * MINUTE, follower = false } = options
  const extend = 'extend' in options ? options.extend : { url: EXTEND_URL }
  const clock = unitClock()
  const kratos = fakeKratosFetch()
  const store = createSessionStore({
    now: clock.now,
    expiringThreshold: 5 * MINUTE,
    initialSession: keptSession({ expiresIn }),
  })
  // What the server says after an extension: the session now ends an hour from now.
  const check = vi.fn(async (): Promise<SessionState> => {
    store.update({ session: keptSession({ now: clock.now(), expiresIn: 60 * MINUTE }) })
    return store.getState()
  })
  const tabs = { follower: vi.fn(() => follower), activity: vi.fn() }
  const report = vi.fn()
  const extension = createExtension({
    extend,
    autoExtend: auto
      ? { earliestPossibleExtend: WINDOW, minInterval: MIN_INTERVAL, activityEvents: ['keydown'] }
      : undefined,
    http: createHttp({
      baseUrl: 'https://auth.example',
      sessionToken: undefined,
      timeout: 10_000,
      fetch: kratos.fetch,
    }),
    now: clock.now,
    store,
    tabs: () => tabs as unknown as TabSync,
    check,
    attempt: createInspector(clock.now).attempt,
    report,
  })
  return { clock, kratos, store, check, tabs, report, extension }
}

describe('createExtension: extend()', () => {
  it('should throw a TypeError naming the option when extend is not set', async () => {
    const { extension } = setup({ extend: undefined })
    await expect(extension.extend()).rejects.toThrow(/"extend" option/)
  })

  it('should POST to the extend URL, then force a check, and say whether expires_at moved', async () => {
    const { kratos, check, extension } = setup()
    kratos.reply(204)
    expect(await extension.extend()).toBe(true)
    expect(kratos.requests.map((r) => `${r.method} ${r.url}`)).toEqual([`POST ${EXTEND_URL}`])
    expect(check).toHaveBeenCalledWith({ force: true, why: 'extend' })

    kratos.reply(204)
    check.mockImplementationOnce(async () => setup().store.getState())
    expect(await extension.extend()).toBe(false)
  })

  it('should call an extend function with the state', async () => {
    const how = vi.fn(async (_state: SessionState) => {})
    const { store, extension } = setup({ extend: how })
    expect(await extension.extend()).toBe(true)
    expect(how).toHaveBeenCalledTimes(1)
    expect(how.mock.calls[0]?.[0].session?.id).toBe(store.getState().session?.id)
  })

  it("should count the backend's 429 as done and check, but reject on another failure status", async () => {
    const a = setup()
    a.kratos.reply(429, { error: 'too soon' })
    expect(await a.extension.extend()).toBe(true)
    expect(a.check).toHaveBeenCalledTimes(1)

    const b = setup()
    b.kratos.reply(500, {})
    await expect(b.extension.extend()).rejects.toThrow(ServerError)
    expect(b.check).not.toHaveBeenCalled()
  })

  it('should run one extension at a time', async () => {
    const { kratos, extension } = setup()
    kratos.reply(204).reply(204)
    expect(await Promise.all([extension.extend(), extension.extend()])).toEqual([true, true])
    expect(kratos.count).toBe(1)
    await extension.extend()
    expect(kratos.count).toBe(2)
  })

  it('should send nothing outside the autoExtend window: Kratos would change nothing', async () => {
    const { kratos, extension } = setup({ auto: true, expiresIn: WINDOW + 1 })
    expect(await extension.extend()).toBe(false)
    expect(kratos.count).toBe(0)
  })
})

describe('createExtension: onActivity()', () => {
  it('should extend inside the window at most once per minInterval', async () => {
    const { clock, kratos, store, check, extension } = setup({ auto: true, expiresIn: WINDOW - 1 })
    kratos.always({ status: 204 })
    check.mockImplementation(async () => store.getState()) // the session stays in the window
    extension.onActivity()
    await vi.waitFor(() => expect(check).toHaveBeenCalledTimes(1))
    clock.advance(MIN_INTERVAL - 1)
    extension.onActivity()
    clock.advance(1)
    extension.onActivity()
    await vi.waitFor(() => expect(check).toHaveBeenCalledTimes(2))
    expect(kratos.count).toBe(2)
  })

  it('should do nothing outside the window or without autoExtend', () => {
    const outside = setup({ auto: true, expiresIn: WINDOW + 1 })
    outside.extension.onActivity()
    const off = setup({ expiresIn: WINDOW - 1 })
    off.extension.onActivity()
    expect(outside.kratos.count + off.kratos.count).toBe(0)
  })

  it('should tell the leader from a follower, once per minInterval, and not extend itself', () => {
    const { clock, kratos, tabs, extension } = setup({ auto: true, expiresIn: WINDOW - 1, follower: true })
    extension.onActivity()
    extension.onActivity()
    expect(tabs.activity).toHaveBeenCalledTimes(1)
    clock.advance(MIN_INTERVAL)
    extension.onActivity()
    expect(tabs.activity).toHaveBeenCalledTimes(2)
    expect(kratos.count).toBe(0)
  })

  it('should count an extension that arrived from elsewhere towards minInterval', () => {
    const { clock, store, tabs, extension } = setup({ auto: true, expiresIn: WINDOW - 1, follower: true })
    clock.advance(MINUTE)
    // Another tab extended: expires_at moves later, but still inside the window here.
    store.update({ session: keptSession({ expiresIn: WINDOW - 1 + MINUTE }) })
    extension.onActivity()
    expect(tabs.activity).not.toHaveBeenCalled()
  })

  it('should report a failed automatic extension', async () => {
    const { kratos, report, extension } = setup({ auto: true, expiresIn: WINDOW - 1 })
    kratos.reply(500, {})
    extension.onActivity()
    await vi.waitFor(() => expect(report).toHaveBeenCalledWith(expect.any(ServerError)))
  })
})
