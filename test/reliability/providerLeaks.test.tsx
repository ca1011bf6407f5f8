// @vitest-environment jsdom
// Issue 14 part 6, React: `<SessionKeeperProvider options>` under StrictMode (its double mount,
// then the deferred stop) with the hooks on it, mounted and unmounted 500 times in jsdom. Each
// mount creates its own keeper against a real fake-kratos in cookie mode (the cookie in a jar),
// with tab sync over the native BroadcastChannel, auto-extension's activity listeners and the
// real clock; leakProbe.ts counts every timer, window/document listener and channel.
import { type FakeKratos, startFakeKratos } from '@session-keeper/fake-kratos'
import {
  type SessionKeeper,
  type SessionKeeperOptions,
  SessionKeeperProvider,
  useExpiryCountdown,
  useFreshAuth,
  useSession,
  useSessionKeeper,
} from '@session-keeper/react'
import { act, StrictMode } from 'react'
import { createRoot } from 'react-dom/client'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createCookieJarFetch } from '../integration/cookieJarFetch.js'
import { figure } from './figure.js'
import { heapAfterGc } from './heap.js'
import { installLeakProbe, type LeakProbe } from './leakProbe.js'

/** RELIABILITY_LEAK_MOUNTS overrides the 500 mounts. */
const MOUNTS = Number(process.env.RELIABILITY_LEAK_MOUNTS ?? 500)
/** Mounts before the heap's baseline, so that React and every lazily built part exist already. */
const WARM_UP = 100
/** Every so many mounts, the tree stays until the hooks show the session from the server. */
const SETTLE_EVERY = 100
/**
 * The heap growth allowed over the mounts after the warm-up (RELIABILITY.md says why): a
 * fifth of what one leaked keeper per mount would hold, measured by the last test.
 */
const HEAP_BOUND = 1_048_576

/** Mounts whose keepers the teeth test keeps. */
const TEETH_MOUNTS = 100

declare global {
  var IS_REACT_ACT_ENVIRONMENT: boolean | undefined
}

let kratos: FakeKratos
let cookie: string
let probe: LeakProbe

beforeAll(async () => {
  globalThis.IS_REACT_ACT_ENVIRONMENT = true
  // One session for every mount: the fake runs in this process, and its store would grow.
  kratos = await startFakeKratos({ host: '127.0.0.1' })
  cookie = kratos.createSession('user@example.com').cookie
  // React DOM listens to `selectionchange` once per document, with its first root: made here,
  // before counting starts.
  const root = createRoot(document.createElement('div'))
  await act(async () => root.render(<p />))
  await act(async () => root.unmount())
  probe = installLeakProbe()
})
afterAll(async () => {
  probe?.uninstall()
  await kratos?.close()
})

const turn = () => new Promise<void>((resolve) => setImmediate(resolve))

function options(): SessionKeeperOptions {
  const { fetch, jar } = createCookieJarFetch()
  jar.set(cookie)
  return {
    baseUrl: kratos.url,
    fetch,
    tabSync: { channel: `session-keeper:provider-leaks-${process.pid}`, method: 'native' },
    pollInterval: '1h',
    hiddenPollInterval: '1h',
    extend: { url: '/api/session/extend' },
    autoExtend: { earliestPossibleExtend: '10m' },
  }
}

/** Every hook over the keeper's state, its countdown and its freshness. */
function Hooks({ onStatus, keep }: { onStatus: (status: string) => void; keep?: SessionKeeper[] }) {
  const keeper = useSessionKeeper()
  if (keep && !keep.includes(keeper)) keep.push(keeper)
  const status = useSession((state) => state.status)
  const { remaining, phase } = useExpiryCountdown({ every: '1s' })
  const { fresh, reason } = useFreshAuth({ maxAge: '5m' })
  onStatus(status)
  return <p>{`${status} ${phase} ${remaining} ${fresh} ${reason}`}</p>
}

/** Mounts the provider under StrictMode; resolves after the unmount (and, every so often, after the session arrived). */
async function mountOnce(settle: boolean, keep?: SessionKeeper[]): Promise<void> {
  const root = createRoot(document.createElement('div'))
  let authenticated: () => void = () => {}
  const arrived = new Promise<void>((resolve) => {
    authenticated = resolve
  })
  const onStatus = (status: string) => status === 'authenticated' && authenticated()
  await act(async () =>
    root.render(
      <StrictMode>
        <SessionKeeperProvider options={options()}>
          <Hooks onStatus={onStatus} keep={keep} />
        </SessionKeeperProvider>
      </StrictMode>,
    ),
  )
  if (settle) await act(() => arrived)
  await act(async () => root.unmount())
  await turn()
}

describe('SessionKeeperProvider mount/unmount under StrictMode (leaks)', () => {
  it(`should leave no timer, listener or channel behind after ${MOUNTS} mounts`, async () => {
    let baseline = 0
    for (let mount = 1; mount <= MOUNTS; mount++) {
      await mountOnce(mount % SETTLE_EVERY === 0)
      if (mount === WARM_UP) {
        await probe.timersDone()
        baseline = await heapAfterGc()
      }
    }
    await probe.timersDone()
    const left = probe.live()
    const growth = (await heapAfterGc()) - baseline
    figure('StrictMode provider mount/unmount: timers left over', left.timers, { max: 0 })
    figure('StrictMode provider mount/unmount: listeners left over', left.listeners, { max: 0 })
    figure('StrictMode provider mount/unmount: channels left open', left.channels, { max: 0 })
    figure('StrictMode provider mount/unmount: heap growth after GC (KiB)', Math.round(growth / 1024), {
      max: HEAP_BOUND / 1024,
    })
    expect(probe.origins()).toEqual([])
  })

  it('should see the heap grow by far more than the bound when each mount leaks its keeper (the bound has teeth)', async () => {
    const kept: SessionKeeper[] = []
    const before = await heapAfterGc()
    for (let mount = 1; mount <= TEETH_MOUNTS; mount++) await mountOnce(false, kept)
    await probe.timersDone()
    const perKeeper = ((await heapAfterGc()) - before) / kept.length
    figure('StrictMode provider: heap one leaked keeper holds (KiB)', Math.round(perKeeper / 1024), {
      min: Math.ceil((2 * HEAP_BOUND) / (MOUNTS - WARM_UP) / 1024),
    })
    expect(kept).toHaveLength(TEETH_MOUNTS)
  })
})
