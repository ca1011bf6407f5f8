// The step-up URL alone (issue 12).
import { describe, expect, it, vi } from 'vitest'
import { UnsafeReturnToError } from '../SessionKeeperError.js'
import { stepUpUrl } from '../stepUpUrl.js'

const BASE = 'https://auth.example'
const PAGE = 'https://app.example/settings?tab=2'

describe('stepUpUrl', () => {
  it("should take Kratos's redirect on baseUrl's origin and add return_to when it is missing", () => {
    const url = new URL(stepUpUrl(`${BASE}/self-service/login/browser?aal=aal2`, BASE, PAGE, vi.fn()))
    expect(url.origin + url.pathname).toBe(`${BASE}/self-service/login/browser`)
    expect(url.searchParams.get('aal')).toBe('aal2')
    expect(url.searchParams.get('return_to')).toBe(PAGE)
  })

  it('should keep a return_to Kratos already set', () => {
    const redirect = `${BASE}/self-service/login/browser?aal=aal2&return_to=${encodeURIComponent('https://app.example/')}`
    const url = new URL(stepUpUrl(redirect, BASE, PAGE, vi.fn()))
    expect(url.searchParams.getAll('return_to')).toEqual(['https://app.example/'])
  })

  it('should refuse a redirect elsewhere, log why, and use the aal2 login instead', () => {
    const log = vi.fn()
    const url = stepUpUrl('https://evil.example/login', BASE, PAGE, log)
    expect(url).toBe(`${BASE}/self-service/login/browser?aal=aal2&return_to=${encodeURIComponent(PAGE)}`)
    expect(log).toHaveBeenCalledWith('error', { error: expect.any(UnsafeReturnToError) })
    expect(String(log.mock.calls[0]?.[1].error.message)).toContain('redirect_browser_to')
  })

  it('should use the aal2 login when Kratos sent no redirect, with no return_to without a page', () => {
    expect(stepUpUrl(undefined, BASE, undefined, vi.fn())).toBe(`${BASE}/self-service/login/browser?aal=aal2`)
  })
})
