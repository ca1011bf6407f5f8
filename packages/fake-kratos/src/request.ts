import type { IncomingMessage } from 'node:http'
import { badRequest } from './errors.js'

const MAX_BODY = 1 << 20

/** Reads the raw request body (capped at 1 MiB). */
export async function readRaw(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = []
  let size = 0
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length
    if (size > MAX_BODY) throw badRequest({ reason: 'The request body is too large.' })
    chunks.push(chunk)
  }
  return Buffer.concat(chunks).toString('utf8')
}

const isJsonContentType = (req: IncomingMessage) =>
  (req.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase() === 'application/json'

/**
 * Reads a self-service form body, JSON or `application/x-www-form-urlencoded`, as Kratos's
 * decoder accepts both. Form fields keep their first value, like Go's `r.Form.Get`.
 */
export async function readForm(req: IncomingMessage): Promise<Record<string, unknown>> {
  const raw = await readRaw(req)
  if (isJsonContentType(req)) {
    try {
      const parsed: unknown = raw ? JSON.parse(raw) : {}
      if (parsed && typeof parsed === 'object' && !Array.isArray(parsed))
        return parsed as Record<string, unknown>
    } catch {}
    throw badRequest({ reason: 'Unable to decode JSON payload: the body must be a JSON object.' })
  }
  const form: Record<string, string> = {}
  for (const [key, value] of new URLSearchParams(raw)) if (!(key in form)) form[key] = value
  return form
}

/** A string field of a decoded form, `''` when absent or not a string. */
export const field = (form: Record<string, unknown>, name: string): string => {
  const value = form[name]
  return typeof value === 'string' ? value : ''
}

/** The first cookie of that name, like Go's `r.Cookie`. */
export function getCookie(req: IncomingMessage, name: string): string | undefined {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const eq = part.indexOf('=')
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim()
  }
  return undefined
}

// golang/gddo httputil.NegotiateContentType, which Kratos uses for content negotiation.
function negotiate(req: IncomingMessage, offers: string[], fallback: string): string {
  const specs = (req.headers.accept ?? '')
    .split(',')
    .map((part) => {
      const [value = '', ...params] = part.split(';').map((s) => s.trim())
      const q = params.find((p) => p.toLowerCase().startsWith('q='))
      return { value: value.toLowerCase(), q: q ? Number(q.slice(2)) : 1 }
    })
    .filter((spec) => spec.value && Number.isFinite(spec.q))
  let best = fallback
  let bestQ = -1
  let bestWild = 3
  for (const offer of offers) {
    for (const spec of specs) {
      if (spec.q === 0 || spec.q < bestQ) continue
      if (spec.value === '*/*') {
        if (spec.q > bestQ || bestWild > 2) [bestQ, bestWild, best] = [spec.q, 2, offer]
      } else if (spec.value.endsWith('/*')) {
        if (offer.startsWith(spec.value.slice(0, -1)) && (spec.q > bestQ || bestWild > 1))
          [bestQ, bestWild, best] = [spec.q, 1, offer]
      } else if (spec.value === offer && (spec.q > bestQ || bestWild > 0)) {
        ;[bestQ, bestWild, best] = [spec.q, 0, offer]
      }
    }
  }
  return best
}

/**
 * `x.IsJSONRequest`: a JSON body, or an `Accept` that prefers JSON over HTML. `fetch()`'s
 * default `*\/*` counts as a browser (FACTS §0).
 */
export function isJsonRequest(req: IncomingMessage): boolean {
  return (
    isJsonContentType(req) ||
    negotiate(req, ['text/html', 'text/*', '*/*', 'application/json'], 'text/html') === 'application/json'
  )
}

/** `sendFlowAsRedirectOrJSON` negotiation: only `Accept` counts (x/http.go:122). */
export function acceptsJson(req: IncomingMessage): boolean {
  return negotiate(req, ['text/html', 'application/json'], 'text/html') === 'application/json'
}
