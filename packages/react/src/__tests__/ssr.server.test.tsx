// @vitest-environment node
import { parseSession } from '@session-keeper/core'
import { renderToString } from 'react-dom/server'
import { describe, expect, it, vi } from 'vitest'
import { fakeKratosFetch, kratosSession } from '../../../core/src/__tests__/fakeKratosFetch.js'
import { RequireFreshAuth } from '../RequireFreshAuth.js'
import { SessionKeeperProvider } from '../SessionKeeperProvider.js'
import { useExpiryCountdown } from '../useExpiryCountdown.js'
import { useSession } from '../useSession.js'

function Page() {
  const email = useSession((state) => state.session?.identity?.traits.email)
  const { phase } = useExpiryCountdown()
  return (
    <RequireFreshAuth aal="aal1" loading={<p>{`${email} ${phase}`}</p>}>
      <p>secret</p>
    </RequireFreshAuth>
  )
}

describe('server rendering without a DOM', () => {
  it('should render from the initial state with no window, no request and no timer', () => {
    vi.useFakeTimers()
    const kratos = fakeKratosFetch()
    expect(typeof window).toBe('undefined')
    const html = renderToString(
      <SessionKeeperProvider
        options={{
          baseUrl: 'https://auth.example',
          fetch: kratos.fetch,
          initialSession: parseSession(kratosSession()),
        }}
      >
        <Page />
      </SessionKeeperProvider>,
    )
    expect(html).toBe('<p>user@example.org active</p>')
    expect(kratos.count).toBe(0)
    expect(vi.getTimerCount()).toBe(0)
    vi.useRealTimers()
  })
})
