import { act, fireEvent, render, screen, within } from '@testing-library/react'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import {
  advance,
  installPage,
  kratosSession,
  MINUTE,
  removePage,
  testKeeper,
  withKeeper,
} from '../../../react/src/__tests__/kit.js'
import { SessionKeeperDevtools } from '../SessionKeeperDevtools.js'

beforeEach(installPage)
afterEach(removePage)

const TOKEN = 'ory_st_never_shown'
const JWT = 'eyJhbGciOiJFUzI1NiJ9.never-shown'

/** A started keeper on a scripted Kratos, signed in for 10 more minutes, with the devtools. */
async function setup(options: Parameters<typeof testKeeper>[0] = {}, open = false) {
  const { kratos, keeper } = testKeeper({ pollInterval: '1m', ...options })
  kratos.always({
    status: 200,
    body: { ...kratosSession({ expiresIn: 10 * MINUTE, authenticatedAgo: 2 * MINUTE }), tokenized: JWT },
  })
  render(<SessionKeeperDevtools initialIsOpen={open} />, { wrapper: withKeeper(keeper) })
  act(() => void keeper.start())
  await advance(0)
  const panel = () => within(screen.getByRole('dialog', { name: 'Session keeper devtools' }))
  const field = (name: string) =>
    screen.getByRole('dialog').querySelector(`[data-field="${name}"]`)?.textContent
  return { kratos, keeper, panel, field }
}

describe('<SessionKeeperDevtools />', () => {
  it('should show a closed toggle button with the status and role, and open the panel on click', async () => {
    await setup()
    const toggle = screen.getByRole('button', { name: 'Session: authenticated · leader' })
    expect(toggle.getAttribute('aria-expanded')).toBe('false')
    expect(screen.queryByRole('dialog')).toBeNull()

    fireEvent.click(toggle)

    expect(screen.getByRole('dialog', { name: 'Session keeper devtools' })).toBeTruthy()
    fireEvent.click(screen.getByRole('button', { name: 'Close devtools' }))
    expect(screen.queryByRole('dialog')).toBeNull()
  })

  it('should show the state live: status, phase, time left on the server clock, aal, authenticated_at', async () => {
    const { field } = await setup({}, true)

    expect(field('status')).toBe('authenticated')
    expect(field('phase')).toBe('active')
    expect(field('time left')).toBe('10 min 0 s')
    expect(field('aal')).toBe('aal1')
    expect(field('authenticated_at')).toBe('2026-03-02T09:58:00.000Z (2 min 0 s ago)')
    expect(field('stale')).toBe('false')
    await advance(MINUTE / 2)
    expect(field('time left')).toBe('9 min 30 s')
  })

  it('should show the session JSON collapsed, without its tokenized JWT', async () => {
    const { panel } = await setup({}, true)
    const details = panel().getByText('session JSON').closest('details')

    expect(details?.open).toBe(false)
    expect(details?.textContent).toContain('"id": "session-1"')
    expect(details?.textContent).toContain('"tokenized": "[redacted]"')
    expect(screen.getByRole('dialog').textContent).not.toContain(JWT)
  })

  it("should show this tab's role, the next deadlines and the check that ran, with why", async () => {
    const { panel } = await setup({}, true)

    expect(panel().getByText('leader').getAttribute('data-role')).toBe('leader')
    const deadlines = within(panel().getByRole('region', { name: 'Deadlines' }))
    expect(deadlines.getAllByRole('listitem').map((item) => item.textContent)).toEqual([
      'next pollin 1 min 0 s',
      'expiry warning (expiring)in 5 min 0 s',
    ])
    const log = within(panel().getByRole('region', { name: 'Event log' }))
    expect(log.getByText(/check \(start\) → authenticated in \d+ ms/)).toBeTruthy()
  })

  it('should check now on click, and log it as asked by the app', async () => {
    const { kratos, panel } = await setup({}, true)
    const before = kratos.count

    fireEvent.click(panel().getByRole('button', { name: 'Check now' }))
    await advance(0)

    expect(kratos.count).toBe(before + 1)
    expect(panel().getByText(/check \(app\) → authenticated/)).toBeTruthy()
  })

  it('should log a failed check with the class of its error, and show the error and stale', async () => {
    const { kratos, panel, field } = await setup({ onError: () => {} }, true)
    kratos.fail()

    fireEvent.click(panel().getByRole('button', { name: 'Check now' }))
    await advance(0)

    expect(panel().getByText(/check \(app\) → NetworkError: whoami failed/)).toBeTruthy()
    expect(field('stale')).toBe('true')
    expect(field('error')).toMatch(/^NetworkError: /)
    expect(panel().getByText('retry (backoff or Retry-After)')).toBeTruthy()
  })

  it('should copy a redacted report: the state and log, never the token, the JWT or the traits', async () => {
    const writeText = vi.fn<(text: string) => Promise<void>>(async () => {})
    vi.stubGlobal('navigator', { ...navigator, clipboard: { writeText } })
    const { panel } = await setup({ sessionToken: TOKEN }, true)

    fireEvent.click(panel().getByRole('button', { name: 'Copy report' }))
    await advance(0)

    expect(panel().getByRole('status').textContent).toBe('report copied')
    const text = writeText.mock.calls[0]?.[0] ?? ''
    const report = JSON.parse(text)
    expect(report.state).toMatchObject({ status: 'authenticated', role: 'leader', stale: false })
    expect(report.session.identity.traits).toBe('[redacted]')
    expect(report.page).toBe('https://app.example/settings')
    expect(report.log.some((line: string) => /check \(start\)/.test(line))).toBe(true)
    for (const secret of [TOKEN, JWT, 'user@example.org']) expect(text).not.toContain(secret)
  })
})
