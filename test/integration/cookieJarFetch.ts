// A `fetch` with a cookie jar, so the keeper can run in cookie mode from Node: it stores every
// `Set-Cookie` of a reply and sends the stored cookies back, as a browser would for one site.
// Domain, path and expiry are ignored except deletions (`Max-Age<=0`): every request here goes to
// one fake Kratos, and its clock is not the jar's concern.

/** Name → value of the cookies a browser would send back. */
export interface CookieJar {
  get(name: string): string | undefined
  /** Adds a `name=value` pair, e.g. the `cookie` of fake-kratos's `createSession()`. */
  set(pair: string): void
  delete(name: string): void
  names(): string[]
  /** The `Cookie` header value, `''` when the jar is empty. */
  header(): string
}

export interface CookieJarFetch {
  fetch: typeof fetch
  jar: CookieJar
}

function createJar(): CookieJar {
  const cookies = new Map<string, string>()
  return {
    get: (name) => cookies.get(name),
    set(pair) {
      const eq = pair.indexOf('=')
      if (eq <= 0) throw new TypeError(`not a name=value cookie: ${JSON.stringify(pair)}`)
      cookies.set(pair.slice(0, eq).trim(), pair.slice(eq + 1).trim())
    },
    delete: (name) => void cookies.delete(name),
    names: () => [...cookies.keys()],
    header: () => [...cookies].map(([name, value]) => `${name}=${value}`).join('; '),
  }
}

/** Applies one `Set-Cookie` line: stores the pair, or deletes it when `Max-Age` is 0 or less. */
function store(jar: CookieJar, line: string) {
  const [pair = '', ...attributes] = line.split(';')
  const name = pair.slice(0, pair.indexOf('=')).trim()
  if (!name) return
  const maxAge = attributes
    .map((attribute) => attribute.trim().split('='))
    .find(([key]) => key?.toLowerCase() === 'max-age')?.[1]
  if (maxAge !== undefined && Number(maxAge) <= 0) jar.delete(name)
  else jar.set(pair)
}

/**
 * A `fetch` that sends the jar's cookies (unless the request sets `Cookie` itself) and stores
 * the reply's `Set-Cookie`s. Redirects are not followed (`redirect: 'manual'` is the default
 * here), so cookies set on a 303 are not lost.
 *
 * @example
 * const { fetch, jar } = createCookieJarFetch()
 * jar.set(kratos.createSession('user@example.com').cookie)
 * createSessionKeeper({ baseUrl: kratos.url, fetch })
 */
export function createCookieJarFetch(base: typeof fetch = globalThis.fetch): CookieJarFetch {
  const jar = createJar()
  const jarFetch: typeof fetch = async (input, init) => {
    const request = new Request(input, { redirect: 'manual', ...init })
    const cookie = jar.header()
    if (cookie && !request.headers.has('cookie')) request.headers.set('cookie', cookie)
    const response = await base(request)
    for (const line of response.headers.getSetCookie()) store(jar, line)
    return response
  }
  return { fetch: jarFetch, jar }
}
