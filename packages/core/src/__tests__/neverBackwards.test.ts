import { describe, expect, it } from 'vitest'
import { neverBackwards } from '../neverBackwards.js'

const HOUR = 3_600_000

/** A wall clock and a monotonic one, moved by hand. */
function clocks(wall: number) {
  const time = { wall, tick: 0 }
  const now = neverBackwards(
    () => time.wall,
    () => time.tick,
  )
  const pass = (ms: number) => {
    time.wall += ms
    time.tick += ms
  }
  return { time, now, pass }
}

describe('neverBackwards', () => {
  it('passes the wall clock through while it goes forward, jumps included', () => {
    const { time, now, pass } = clocks(1_000)
    expect(now()).toBe(1_000)
    pass(500)
    expect(now()).toBe(1_500)
    time.wall += HOUR // a device waking from an hour of sleep: the monotonic clock may not count it
    expect(now()).toBe(HOUR + 1_500)
  })

  it('carries on at the monotonic pace when the clock is set back, the jump ahead of the wall clock', () => {
    const { time, now, pass } = clocks(10_000)
    expect(now()).toBe(10_000)
    pass(5_000)
    time.wall -= HOUR // set back an hour, five seconds after the last reading
    expect(now()).toBe(15_000)
    pass(250)
    expect(now()).toBe(15_250)
    expect(now() - time.wall).toBe(HOUR)
  })

  it('ignores a wall clock a little behind the monotonic one (a time sync slewing), and never goes back', () => {
    const { time, now, pass } = clocks(10_000)
    now()
    pass(60_000)
    time.wall -= 400
    expect(now()).toBe(69_600)
    time.wall -= 300
    expect(now()).toBe(69_600)
    pass(1_000)
    expect(now()).toBe(70_300)
  })
})
