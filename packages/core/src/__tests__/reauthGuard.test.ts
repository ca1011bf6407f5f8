// @vitest-environment jsdom
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { REAUTH_LOOP_WINDOW, reauthGuard } from '../reauthGuard.js'

const T = Date.parse('2026-03-02T10:00:00.000Z')

beforeEach(() => sessionStorage.clear())
afterEach(() => {
  vi.unstubAllGlobals()
  vi.restoreAllMocks()
  sessionStorage.clear()
})

describe('reauthGuard', () => {
  it('should use a 60 s window', () => {
    expect(REAUTH_LOOP_WINDOW).toBe(60_000)
  })

  it('should not report a loop the first time, and remember the requirement in sessionStorage', () => {
    expect(reauthGuard('aal2:', T)).toBe(false)
    expect(sessionStorage.length).toBe(1)
  })

  it('should report a loop for the same requirement within 60 s', () => {
    reauthGuard('undefined:300000', T)

    expect(reauthGuard('undefined:300000', T + 1)).toBe(true)
    expect(reauthGuard('undefined:300000', T + 59_999)).toBe(true)
  })

  it('should not report a loop once 60 s have passed since the first attempt', () => {
    reauthGuard('aal2:', T)
    expect(reauthGuard('aal2:', T + 30_000)).toBe(true)

    expect(reauthGuard('aal2:', T + 60_000)).toBe(false)
  })

  it('should not report a loop for a different requirement', () => {
    reauthGuard('aal2:', T)

    expect(reauthGuard('undefined:300000', T + 1_000)).toBe(false)
  })

  it('should forget the requirement when called with null', () => {
    reauthGuard('aal2:', T)

    expect(reauthGuard(null, T + 1_000)).toBe(false)
    expect(reauthGuard('aal2:', T + 2_000)).toBe(false)
  })

  it('should not report a loop when the clock went backwards', () => {
    reauthGuard('aal2:', T)

    expect(reauthGuard('aal2:', T - 1_000)).toBe(false)
  })

  it('should survive a corrupted entry', () => {
    for (let i = 0; i < sessionStorage.length; i++) sessionStorage.setItem(sessionStorage.key(i) ?? '', '{')
    reauthGuard('aal2:', T)
    const key = sessionStorage.key(0) ?? ''
    sessionStorage.setItem(key, '{not json')

    expect(reauthGuard('aal2:', T + 1_000)).toBe(false)
  })

  it('should disable itself, not throw, when sessionStorage is blocked', () => {
    vi.spyOn(Storage.prototype, 'getItem').mockImplementation(() => {
      throw new DOMException('The operation is insecure.', 'SecurityError')
    })

    expect(reauthGuard('aal2:', T)).toBe(false)
    expect(reauthGuard('aal2:', T + 1)).toBe(false)
  })

  it('should not throw when sessionStorage is full', () => {
    vi.spyOn(Storage.prototype, 'setItem').mockImplementation(() => {
      throw new DOMException('Quota exceeded', 'QuotaExceededError')
    })

    expect(reauthGuard('aal2:', T)).toBe(false)
  })

  it('should not throw when there is no sessionStorage', () => {
    vi.stubGlobal('sessionStorage', undefined)

    expect(reauthGuard('aal2:', T)).toBe(false)
  })
})
