// The event log and the copied report over in-page re-authentication (`reauth-flow` records):
// each attempt and its outcome shows, a failure as bad, and neither holds a CSRF token or a value.
import { act, fireEvent, render, screen, within } from '@testing-library/react'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { passwordFlow, totpFlow } from '../../../core/src/__tests__/kratosFlows.js'
import { advance, BASE, installPage, removePage, staleKeeper } from '../../../react/src/__tests__/kit.js'
import { SessionKeeperDevtools } from '../SessionKeeperDevtools.js'
import { styles } from '../styles.js'

beforeEach(installPage)
afterEach(removePage)

const PASSWORD = 'correct horse battery staple'
const CSRF = 'csrf-value-never-shown'
const CODE = '918273'

/** A password flow and, after Kratos's 422, its aal2 step, both with a CSRF node. */

/** The devtools, open, over a keeper that went through a wrong password, a second step and a refusal. */
async function reauthenticated() {
  const { kratos, keeper } = await staleKeeper()
  render(<SessionKeeperDevtools keeper={keeper} initialIsOpen />)
  kratos.reply(200, passwordFlow('flow-1', CSRF)).reply(400, passwordFlow('flow-1', CSRF))
  kratos
    .reply(422, {
      error: { id: 'browser_location_change_required', code: 422 },
      redirect_browser_to: `${BASE}/self-service/login/browser?aal=aal2`,
    })
    .reply(200, totpFlow('flow-2', CSRF))
  kratos.reply(403, { error: { id: 'security_csrf_violation', code: 403 } })
  await act(async () => {
    const flow = await keeper.createReauthFlow({ maxAge: '5m', aal: 'aal2' })
    await flow.submit({ method: 'password', password: 'wrong' })
    const next = await flow.submit({ method: 'password', password: PASSWORD })
    if (next.status !== 'next') throw new Error(`expected next, got ${next.status}`)
    await next.flow.submit({ method: 'totp', totp_code: CODE }).catch(() => {})
  })
  const panel = within(screen.getByRole('dialog', { name: 'Session keeper devtools' }))
  return { panel, log: within(panel.getByRole('region', { name: 'Event log' })) }
}

describe('<SessionKeeperDevtools /> over in-page re-authentication', () => {
  it('should log each reauth flow attempt and its outcome, newest first, the failure as bad', async () => {
    const { log } = await reauthenticated()

    const items = log.getAllByRole('listitem').filter((item) => item.dataset.type === 'reauth-flow')
    expect(items.map((item) => item.textContent?.replace(/^\d\d:\d\d:\d\d\.\d{3}/, ''))).toEqual([
      'reauth flow submit failed: ReauthFlowError: Kratos refused the login flow (403 security_csrf_violation) (flow flow-2)',
      'reauth flow submit → next (flow flow-1)',
      'reauth flow submit → invalid (flow flow-1)',
      'reauth flow created (flow flow-1)',
    ])
    // jsdom gives the colour back as rgb(): set the bad one on an element to compare alike.
    const bad = document.createElement('i')
    bad.style.color = styles.bad.color
    expect(items.map((item) => item.style.color)).toEqual([bad.style.color, '', '', ''])
  })

  it('should copy a report with the attempts, never the CSRF token, the password or the code', async () => {
    const writeText = vi.fn<(text: string) => Promise<void>>(async () => {})
    vi.stubGlobal('navigator', { ...navigator, clipboard: { writeText } })
    const { panel } = await reauthenticated()

    fireEvent.click(panel.getByRole('button', { name: 'Copy report' }))
    await advance(0)

    const text = writeText.mock.calls[0]?.[0] ?? ''
    const log: string[] = JSON.parse(text).log
    expect(log.filter((line) => line.includes('reauth flow'))).toHaveLength(4)
    for (const secret of [CSRF, PASSWORD, CODE]) expect(text).not.toContain(secret)
    expect(screen.getByRole('dialog').textContent).not.toContain(CSRF)
  })
})
