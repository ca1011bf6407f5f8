import type { SessionKeeperOptions } from '@session-keeper/core'
import { act } from '@testing-library/react'
import { hydrateRoot, type Root } from 'react-dom/client'
import { renderToString } from 'react-dom/server'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { RequireFreshAuth } from '../RequireFreshAuth.js'
import { SessionKeeperProvider } from '../SessionKeeperProvider.js'
import { useExpiryCountdown } from '../useExpiryCountdown.js'
import { useSession } from '../useSession.js'
import { advance, BASE, fakeKratosFetch, installPage, kratosSession, MINUTE, removePage } from './kit.js'

beforeEach(installPage)
afterEach(removePage)

function App({ options }: { options: SessionKeeperOptions }) {
  return (
    <SessionKeeperProvider options={options}>
      <Page />
    </SessionKeeperProvider>
  )
}

function Page() {
  const status = useSession((state) => state.status)
  const { remaining } = useExpiryCountdown()
  return (
    <main>
      <p>{`status: ${status}, remaining: ${remaining}`}</p>
      <RequireFreshAuth maxAge="5m" loading={<p>checking</p>}>
        <p>secret</p>
      </RequireFreshAuth>
    </main>
  )
}

describe('server rendering and hydration', () => {
  it.each([
    ['without a session (loading)', false],
    ['with an initialSession', true],
  ])(
    'should render on the server %s with no request and no timer, then hydrate without a mismatch',
    async (_, withSession) => {
      const errors = vi.spyOn(console, 'error')
      const recoverable = vi.fn()
      const kratos = fakeKratosFetch().always({ status: 200, body: kratosSession() })
      // The server and the browser each build their keeper from the same options.
      const initialSession = withSession ? JSON.parse(JSON.stringify(kratosSession())) : undefined
      const options = { baseUrl: BASE, fetch: kratos.fetch, tabSync: false, initialSession }

      const html = renderToString(<App options={options} />)
      expect(kratos.count).toBe(0)
      expect(vi.getTimerCount()).toBe(0)
      expect(html).toContain(`status: ${withSession ? 'authenticated' : 'loading'}, remaining: null`)
      // Freshness depends on the time, which the server does not decide: the gate stays closed.
      expect(html).toContain('checking')
      expect(html).not.toContain('secret')

      const container = document.createElement('div')
      container.innerHTML = html
      document.body.append(container)
      let root: Root | undefined
      await act(async () => {
        root = hydrateRoot(container, <App options={options} />, { onRecoverableError: recoverable })
      })
      await advance(0)
      expect(container.textContent).toContain(`status: authenticated, remaining: ${60 * MINUTE}`)
      expect(container.textContent).toContain('secret')
      expect(recoverable).not.toHaveBeenCalled()
      expect(errors).not.toHaveBeenCalled()
      act(() => root?.unmount())
      container.remove()
    },
  )
})
