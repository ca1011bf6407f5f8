import { describe, expect, it } from 'vitest'
import { checkReturnTo } from '../checkReturnTo.js'
import { UnsafeReturnToError } from '../SessionKeeperError.js'

const APP = 'https://app.example'
const ALLOWED = [APP, 'https://admin.example', 'http://localhost:5173']

describe('checkReturnTo', () => {
  it.each([
    [`${APP}/settings?tab=1#mfa`, `${APP}/settings?tab=1#mfa`],
    [APP, `${APP}/`],
    ['HTTPS://APP.EXAMPLE/Path', `${APP}/Path`],
    ['https://app.example:443/x', `${APP}/x`],
    ['https://admin.example/users', 'https://admin.example/users'],
    ['http://localhost:5173/', 'http://localhost:5173/'],
    [`${APP}/%5C%5Cevil.example`, `${APP}/%5C%5Cevil.example`],
  ])('should allow %j and return it normalised', (value, expected) => {
    expect(checkReturnTo(value, ALLOWED)).toBe(expected)
  })

  it.each<[string, unknown]>([
    ['javascript:', 'javascript:alert(1)'],
    ['javascript: in mixed case', 'JavaScript:alert(1)'],
    ['javascript: after whitespace', '  javascript:alert(1)'],
    ['data:', 'data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg=='],
    ['vbscript:', 'vbscript:msgbox(1)'],
    ['a protocol-relative //host', '//evil.example/'],
    ['a protocol-relative host with backslashes', '\\\\evil.example/'],
    ['a backslash path trick', '/\\evil.example/'],
    ['backslashes after the scheme', 'https:\\\\evil.example/'],
    ['a scheme without slashes', 'https:evil.example'],
    ['a backslash before userinfo', `${APP}\\@evil.example/`],
    ['userinfo pointing elsewhere', 'https://app.example@evil.example/'],
    ['userinfo on the allowed host', 'https://user:pass@app.example/'],
    ['another origin', 'https://evil.example/'],
    ['a lookalike subdomain', 'https://app.example.evil.example/'],
    ['a subdomain of an allowed origin', 'https://sub.app.example/'],
    ['another port', 'https://app.example:8443/'],
    ['another scheme', 'http://app.example/'],
    ['a path with no page to resolve it against', '/settings'],
    ['a bare host with no page', 'app.example/settings'],
    ['a leading space', ' https://app.example/'],
    ['a newline', 'https://app.example/\nLocation: https://evil.example'],
    ['a tab in the host', 'https://app.exa\tmple/'],
    ['a NUL byte', 'https://app.example/\u0000'],
    ['an empty string', ''],
    ['null', null],
    ['undefined', undefined],
    ['a number', 42],
    ['a URL object', new URL(`${APP}/`)],
  ])('should refuse %s with UnsafeReturnToError', (_, value) => {
    expect(() => checkReturnTo(value, ALLOWED)).toThrow(UnsafeReturnToError)
  })

  const PAGE = `${APP}/settings/password?step=2#form`
  it.each([
    ['/account', `${APP}/account`],
    ['/x?y=1#z', `${APP}/x?y=1#z`],
    ['?q=1', `${APP}/settings/password?q=1`],
    ['#top', `${APP}/settings/password?step=2#top`],
    ['x/y', `${APP}/settings/x/y`],
    ['../../up', `${APP}/up`],
    ['/a/../../../b', `${APP}/b`],
    ['https:same-scheme-relative', `${APP}/settings/same-scheme-relative`],
    ['//app.example/x', `${APP}/x`],
    ['https://admin.example/users', 'https://admin.example/users'],
    ['/%2F%2Fevil.example', `${APP}/%2F%2Fevil.example`],
  ])('should resolve %j against the page and allow it', (value, expected) => {
    expect(checkReturnTo(value, ALLOWED, 'returnTo', PAGE)).toBe(expected)
  })

  it.each([
    ['//evil.example/x', /: off-origin: https:\/\/evil\.example;/],
    ['///evil.example/x', /: off-origin: https:\/\/evil\.example;/],
    ['', /: empty;/],
    ['/\\evil.example', /: unparseable;/],
    ['\\\\evil.example', /: unparseable;/],
    ['/\tevil', /: unparseable;/],
    ['/x\ny', /: unparseable;/],
    [' /account', /: unparseable;/],
    ['http:evil.example', /: off-origin: http:\/\/evil\.example;/],
    ['javascript:alert(1)', /: not http\(s\): javascript:;/],
    ['data:text/html,x', /: not http\(s\): data:;/],
    ['//user@app.example/', /: off-origin: userinfo;/],
    ['https://[::1', /: unparseable;/],
  ])('should refuse the path form %j against the page, naming the reason', (value, reason) => {
    expect(() => checkReturnTo(value, ALLOWED, 'returnTo', PAGE)).toThrow(reason)
  })

  it('should name the allowed origins in the message', () => {
    expect(() => checkReturnTo('https://evil.example/', ALLOWED)).toThrow(
      'Unsafe returnTo "https://evil.example/": off-origin: https://evil.example; allowed: https://app.example,https://admin.example,http://localhost:5173',
    )
    // No page (no location) to resolve a path against.
    expect(() => checkReturnTo('/x', ['https://app.example'])).toThrow(
      'Unsafe returnTo "/x": unparseable; allowed: https://app.example',
    )
  })

  it('should refuse everything when no origin is allowed', () => {
    expect(() => checkReturnTo(`${APP}/`, [])).toThrow(UnsafeReturnToError)
  })

  it('should name what it checked in the message', () => {
    expect(() => checkReturnTo('https://evil.example/', ALLOWED, 'logout_url')).toThrow(/logout_url/)
    expect(() => checkReturnTo('https://evil.example/', ALLOWED)).toThrow(/returnTo/)
  })
})
