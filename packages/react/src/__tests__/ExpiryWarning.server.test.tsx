// @vitest-environment node
import { parseSession } from '@session-keeper/core'
import { renderToString } from 'react-dom/server'
import { describe, expect, it, vi } from 'vitest'
import { fakeKratosFetch, kratosSession } from '../../../core/src/__tests__/fakeKratosFetch.js'
import { ExpiryWarning } from '../ExpiryWarning.js'
import { SessionKeeperProvider } from '../SessionKeeperProvider.js'

describe('ExpiryWarning on the server', () => {
  it('should render only its empty live region for an expiring session: no countdown before the clock is known, no request, no timer', () => {
    vi.useFakeTimers()
    const kratos = fakeKratosFetch()
    const html = renderToString(
      <SessionKeeperProvider
        options={{
          baseUrl: 'https://auth.example',
          fetch: kratos.fetch,
          initialSession: parseSession(kratosSession({ expiresIn: 2 * 60_000 })),
        }}
      >
        <ExpiryWarning />
      </SessionKeeperProvider>,
    )
    expect(html).toMatch(/^<div role="status" aria-live="polite" aria-atomic="true" style="[^"]+"><\/div>$/)
    expect(kratos.count).toBe(0)
    expect(vi.getTimerCount()).toBe(0)
    vi.useRealTimers()
  })
})
