import { createHash, randomBytes, timingSafeEqual } from 'node:crypto'
import type { Context } from './context.js'
import { appendSetCookie, serializeCookie } from './cookies.js'
import { badRequest, forbidden, type KratosError } from './errors.js'
import { getCookie } from './request.js'

const TOKEN_LENGTH = 32
// nosurf's cookie lifetime (MaxAge, one year).
const MAX_AGE = 365 * 24 * 3600

/** Kratos names the anti-CSRF cookie after its public URL (x/nosurf.go `CSRFCookieName`). */
export const csrfCookieName = (ctx: Context) =>
  `csrf_token_${createHash('sha256').update(`${ctx.config.publicUrl}/`).digest('hex')}`

// nosurf tokens: the cookie holds the raw token; forms carry it masked with a one-time pad,
// and verification accepts either form.
function unmask(token: string | undefined): Buffer | null {
  if (!token) return null
  const bytes = Buffer.from(token, 'base64')
  if (bytes.length === TOKEN_LENGTH) return bytes
  if (bytes.length !== 2 * TOKEN_LENGTH) return null
  const pad = bytes.subarray(0, TOKEN_LENGTH)
  return Buffer.from(bytes.subarray(TOKEN_LENGTH).map((byte, i) => byte ^ (pad[i] as number)))
}

/** Whether two tokens (raw or masked) are the same secret. */
export function sameCsrfToken(a: string | undefined, b: string | undefined): boolean {
  const x = unmask(a)
  const y = unmask(b)
  return x !== null && y !== null && timingSafeEqual(x, y)
}

/** The raw token of the request's anti-CSRF cookie, if it has a valid one. */
export const csrfCookieToken = (ctx: Context) => {
  const value = getCookie(ctx.req, csrfCookieName(ctx))
  return unmask(value)?.length === TOKEN_LENGTH ? value : undefined
}

/**
 * `GenerateCSRFToken`: a masked form token for the request's anti-CSRF cookie, setting a new
 * HttpOnly cookie first when the request has none (FACTS §7).
 */
export function generateCsrfToken(ctx: Context, regenerate = false): string {
  let raw = regenerate ? undefined : csrfCookieToken(ctx)
  if (!raw) {
    raw = randomBytes(TOKEN_LENGTH).toString('base64')
    appendSetCookie(ctx, serializeCookie(ctx, csrfCookieName(ctx), raw, MAX_AGE))
  }
  const pad = randomBytes(TOKEN_LENGTH)
  const secret = Buffer.from(raw, 'base64')
  return Buffer.concat([pad, secret.map((byte, i) => byte ^ (pad[i] as number))]).toString('base64')
}

const DOCS = 'https://www.ory.sh/kratos/docs/debug/csrf'
const AJAX_HINT =
  "We detected an AJAX call, please ensure that CORS is enabled and configured correctly, and that your AJAX code sends cookies and has credentials enabled. For further debugging, check your Browser's Network Tab to see what cookies are included or excluded."
const SERVER_HINT =
  "We detected a regular browser or server-side call. To debug browser calls check your Browser's Network Tab to see what cookies are included or excluded. If you are calling from a server ensure that the appropriate cookies are being forwarded and that the SDK method is called correctly."

/** `x.CSRFErrorReason`: 403 `security_csrf_violation` whose details say what was missing. */
export function csrfError(ctx: Context, sentToken: string): KratosError {
  // Kratos calls a request without Origin "AJAX"; copied as is.
  const hint = ctx.req.headers.origin ? SERVER_HINT : AJAX_HINT
  let details: Record<string, string>
  if (!ctx.req.headers.cookie)
    details = { hint, reject_reason: 'The HTTP Cookie Header is empty or not set.' }
  else if (!getCookie(ctx.req, csrfCookieName(ctx)))
    details = {
      hint,
      reject_reason: 'The HTTP Cookie Header was set but did not include the anti-CSRF cookie.',
    }
  else if (!sentToken)
    details = {
      hint: 'The anti-CSRF cookie was found but the CSRF token was not included in the HTTP request body (csrf_token) nor in the HTTP Header (X-CSRF-Token).',
    }
  else
    details = {
      hint: AJAX_HINT,
      reject_reason:
        'The HTTP Cookie Header was set and a CSRF token was sent but they do not match. We recommend deleting all cookies for this domain and retrying the flow.',
    }
  return forbidden({
    id: 'security_csrf_violation',
    reason:
      'Please retry the flow and optionally clear your cookies. The request was rejected to protect you from Cross-Site-Request-Forgery (CSRF) which could cause account takeover, leaking personal information, and other serious security issues.',
    details: { docs: DOCS, ...details },
    message: 'the request was rejected to protect you from Cross-Site-Request-Forgery',
  })
}

/** `flow.EnsureCSRF` for browser flows: the form's or header's token must match the cookie. */
export function ensureCsrf(ctx: Context, form: Record<string, unknown>): void {
  const header = ctx.req.headers['x-csrf-token']
  const sent =
    (typeof form.csrf_token === 'string' && form.csrf_token) || (typeof header === 'string' ? header : '')
  if (!sameCsrfToken(csrfCookieToken(ctx), sent)) throw csrfError(ctx, sent)
}

const API_FLOW_HINT =
  'The flow however was initiated as an API request. To prevent potential misuse and mitigate several attack vectors including CSRF, the request has been blocked. Please consult the documentation.'

/**
 * `flow.EnsureCSRF` by flow type (selfservice/flow/request.go): browser flows need the token;
 * API flows need none but refuse a request with an `Origin` header or any cookie but
 * Cloudflare's (400), so that a browser cannot use them.
 */
export function ensureFlowCsrf(ctx: Context, type: 'browser' | 'api', form: Record<string, unknown>): void {
  if (type === 'browser') {
    ensureCsrf(ctx, form)
    return
  }
  if (ctx.req.headers.origin) {
    throw badRequest({
      reason: `The HTTP Request Header included the "Origin" key, indicating that this request was made as part of an AJAX request in a Browser. ${API_FLOW_HINT}`,
    })
  }
  const cookies = (ctx.req.headers.cookie ?? '')
    .split(';')
    .map((part) => part.slice(0, part.indexOf('=')).trim())
    .filter((name) => name && !/^(__cf|_cf|cf_)/.test(name))
  if (cookies.length) {
    throw badRequest({
      reason: `The HTTP Request Header included the "Cookie" key, indicating that this request was made by a Browser. ${API_FLOW_HINT}`,
      details: { 'found cookies': cookies },
    })
  }
}
