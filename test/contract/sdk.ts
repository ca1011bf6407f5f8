// Ory's own SDK (@ory/client-fetch) pointed at a fake: the clients as an app configures them, and the
// error an SDK call rejects with, read back as Kratos sent it.
import { Configuration, FrontendApi, IdentityApi, ResponseError } from '@ory/client-fetch'
import { expect } from 'vitest'
import { createCookieJarFetch } from '../integration/cookieJarFetch.js'
import type { Fake } from './fake.js'
import type { ErrorJson } from './http.js'

/**
 * A `FrontendApi` as a SPA configures it: `Accept: application/json` (without it Kratos answers
 * browser flows with 303s, FACTS §0) and credentials included. `jar` gives it a browser's cookie
 * jar (its `fetch` keeps every `Set-Cookie`); without one it is an app sending `X-Session-Token`.
 */
export function frontendFor(fake: Fake, fetchApi?: typeof fetch): FrontendApi {
  return new FrontendApi(
    new Configuration({
      basePath: fake.url,
      headers: { Accept: 'application/json' },
      credentials: 'include',
      ...(fetchApi && { fetchApi }),
    }),
  )
}

/** A `FrontendApi` over a fresh cookie jar, holding `cookie` (a `name=value` pair) when given. */
export function browserFor(fake: Fake, cookie?: string) {
  const { fetch, jar } = createCookieJarFetch()
  if (cookie) jar.set(cookie)
  return { frontend: frontendFor(fake, fetch), jar }
}

/** The admin `IdentityApi`, with the Ory API key as its access token when the fake needs one. */
export function identityApiFor(fake: Fake, accessToken?: string): IdentityApi {
  return new IdentityApi(new Configuration({ basePath: fake.url, ...(accessToken && { accessToken }) }))
}

export interface SdkFailure {
  status: number
  headers: Headers
  /** The body as Kratos sent it. */
  body: ErrorJson & Record<string, unknown>
}

/**
 * Expects `call` to reject with the SDK's `ResponseError` and returns its response: status,
 * headers and the JSON body.
 */
export async function sdkFailure(call: Promise<unknown>): Promise<SdkFailure> {
  const error: unknown = await call.then(
    (value) => {
      throw new Error(`expected the SDK call to reject, it resolved with ${JSON.stringify(value)}`)
    },
    (reason: unknown) => reason,
  )
  expect(error).toBeInstanceOf(ResponseError)
  const { response } = error as ResponseError
  return { status: response.status, headers: response.headers, body: await response.json() }
}

/** {@link sdkFailure}, also checking the status, `error.id` and the `Ory-Error-Id` header Kratos sends. */
export async function expectSdkError(
  call: Promise<unknown>,
  status: number,
  id: string | undefined,
): Promise<SdkFailure> {
  const failure = await sdkFailure(call)
  expect(failure.status, JSON.stringify(failure.body)).toBe(status)
  expect(failure.body.error.id).toBe(id)
  expect(failure.body.error.code).toBe(status)
  expect(failure.headers.get('ory-error-id')).toBe(id ?? '')
  return failure
}
