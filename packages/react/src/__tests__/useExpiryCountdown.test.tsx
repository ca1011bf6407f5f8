import { render, screen } from '@testing-library/react'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { useExpiryCountdown } from '../useExpiryCountdown.js'
import { useSession } from '../useSession.js'
import {
  advance,
  installPage,
  kratosSession,
  MINUTE,
  removePage,
  SECOND,
  setHidden,
  testKeeper,
  withKeeper,
} from './kit.js'

beforeEach(installPage)
afterEach(removePage)

const renders = { countdown: 0, sibling: 0 }

function Countdown() {
  renders.countdown++
  const { remaining, phase, expiresAt } = useExpiryCountdown({ every: '1s' })
  return <p data-testid="countdown">{`${remaining} ${phase} ${expiresAt?.toISOString()}`}</p>
}

function Sibling() {
  renders.sibling++
  return <p>{useSession((state) => state.status)}</p>
}

function Remaining() {
  return <p>{useExpiryCountdown().remaining}</p>
}

function setup() {
  // Polls an hour apart: only the countdown wakes the page in these tests.
  const { kratos, keeper } = testKeeper({ pollInterval: '1h', hiddenPollInterval: '1h' })
  // The same answer to every check (a page shown again re-checks after 30 s).
  kratos.always({ status: 200, body: kratosSession({ expiresIn: 10 * MINUTE }) })
  renders.countdown = renders.sibling = 0
  render(
    <>
      <Countdown />
      <Sibling />
    </>,
    { wrapper: withKeeper(keeper) },
  )
  const shown = () => screen.getByTestId('countdown').textContent
  return { keeper, renders, shown }
}

describe('useExpiryCountdown', () => {
  it('should tick every `every` with the time left, re-rendering only its own component', async () => {
    const { renders, shown } = setup()
    expect(shown()).toBe('null null undefined')
    await advance(0)
    expect(shown()).toBe(`${10 * MINUTE} active 2026-03-02T10:10:00.000Z`)
    const before = { ...renders }

    await advance(SECOND)
    expect(shown()).toBe(`${10 * MINUTE - SECOND} active 2026-03-02T10:10:00.000Z`)
    for (let tick = 0; tick < 3; tick++) await advance(SECOND)
    expect(shown()).toBe(`${10 * MINUTE - 4 * SECOND} active 2026-03-02T10:10:00.000Z`)
    expect(renders.countdown).toBe(before.countdown + 4)
    expect(renders.sibling).toBe(before.sibling)
  })

  it('should hand React the same snapshot between ticks although the clock moves', async () => {
    const { keeper, shown } = setup()
    await advance(0)
    const before = shown()
    // Every read of the clock a second later than the one before: a snapshot taken from the
    // clock would differ on each read, and React would warn and re-render forever.
    let calls = 0
    const timeLeft = keeper.timeLeft
    keeper.timeLeft = () => (timeLeft() ?? 0) - SECOND * calls++
    const errors = vi.spyOn(console, 'error').mockImplementation(() => {})

    render(<Remaining />, { wrapper: withKeeper(keeper) })

    expect(shown()).toBe(before)
    expect(errors).not.toHaveBeenCalled()
  })

  it('should pause while the page is hidden and catch up when it is shown again', async () => {
    const { renders, shown } = setup()
    await advance(SECOND)
    setHidden(true)
    const hidden = renders.countdown

    await advance(30 * SECOND)
    expect(renders.countdown).toBe(hidden)

    setHidden(false)
    expect(shown()).toBe(`${10 * MINUTE - 31 * SECOND} active 2026-03-02T10:10:00.000Z`)
    await advance(SECOND)
    expect(shown()).toBe(`${10 * MINUTE - 32 * SECOND} active 2026-03-02T10:10:00.000Z`)
  })

  it('should follow the phase to expiring and expired', async () => {
    const { shown } = setup()
    await advance(0)
    await advance(5 * MINUTE)
    expect(shown()).toMatch(/^300000 expiring /)
    await advance(5 * MINUTE)
    expect(shown()).toMatch(/^0 expired /)
  })

  it('should hold its countdown subscription only while mounted', async () => {
    const { kratos, keeper } = testKeeper({ pollInterval: '1h', hiddenPollInterval: '1h' })
    kratos.always({ status: 200, body: kratosSession() })
    const subscribeCountdown = keeper.subscribeCountdown
    let active = 0
    keeper.subscribeCountdown = (every, listener) => {
      active++
      const unsubscribe = subscribeCountdown(every, listener)
      return () => {
        active--
        unsubscribe()
      }
    }
    const view = render(<Remaining />, { wrapper: withKeeper(keeper) })
    expect(active).toBe(1)
    view.unmount()
    expect(active).toBe(0)
  })
})
