import { type ChildProcess, spawn } from 'node:child_process'
import { createServer } from 'node:net'
import { fileURLToPath } from 'node:url'
import { startFakeKratos } from '@session-keeper/fake-kratos'
import type { Request } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { rewriteLocation, rewriteSetCookie } from '../../examples/react-app/oryProxy.js'
import { setupChromium } from './browser.js'
import { type FakeKratos, startOryProxyDemo } from './servers.js'

// The demo's `ORY_SDK_URL` mode in real Chromium: the Vite dev server proxies `/.ory` to an Ory
// project, here fake-kratos on another site (127.0.0.1, the app is on localhost) that sets its
// cookies for its own domain. Everything the browser does must go through `<app>/.ory`: the
// fake's cookies only reach the app when the proxy made them first-party. First with the real
// vite.config.ts loaded in-process on a free port, then with the real `pnpm demo` script on :5173.

const ROOT = fileURLToPath(new URL('../..', import.meta.url))
/** The ports `scripts/demo.mjs` uses. */
const DEMO_ORIGIN = 'http://localhost:5173'

/** Every request the browser made in the test. */
let requests: Request[]

/** Chromium, a fresh context and page per test, recording its requests; each test ends with no page error. */
const chromium = setupChromium({
  setup: (context) => {
    requests = []
    context.on('request', (request) => requests.push(request))
  },
})

const signInLink = () => chromium.page.getByRole('link', { name: 'Sign in', exact: true })
const email = () => chromium.page.getByTestId('session-email')

/** Status of `<app>/.ory/sessions/whoami` as the page sees it (same origin, cookie included). */
const whoamiStatus = (appOrigin: string) =>
  chromium.page.evaluate(async (url) => {
    const response = await fetch(url, { credentials: 'include', headers: { Accept: 'application/json' } })
    return response.status
  }, `${appOrigin}/.ory/sessions/whoami`)

/** Asserts that no request of the test went to the fake's origin itself. */
function expectNothingSentToKratos(kratos: FakeKratos) {
  const origin = new URL(kratos.url).origin
  const direct = requests.map((request) => request.url()).filter((url) => new URL(url).origin === origin)
  expect(direct).toEqual([])
}

/**
 * From the signed-out app through the fake's login page, served on the app's origin under
 * `/.ory`, back to the signed-in app; asserts each hop on the way.
 */
async function signIn(appOrigin: string) {
  const ory = `${appOrigin}/.ory`
  await chromium.page.goto(`${appOrigin}/`)
  const href = new URL((await signInLink().getAttribute('href')) ?? '')
  expect(`${href.origin}${href.pathname}`).toBe(`${ory}/self-service/login/browser`)
  expect(href.searchParams.get('return_to')).toBe(`${appOrigin}/`)

  // The fake's 303 to its login page comes back through the proxy.
  const flowRedirect = chromium.page.waitForResponse((r) =>
    r.url().startsWith(`${ory}/self-service/login/browser`),
  )
  await signInLink().click()
  const redirect = await flowRedirect
  expect(redirect.status()).toBe(303)
  expect(await redirect.headerValue('location')).toMatch(
    new RegExp(`^${literal(ory)}/ui/login\\?flow=[0-9a-f-]+$`),
  )
  await chromium.page.waitForURL((url) => url.href.startsWith(`${ory}/ui/login?flow=`))
  // The form posts through the proxy too (the proxy rewrote the fake's URL in the page).
  const form = chromium.page.locator('form').filter({ has: chromium.page.locator('input[name="password"]') })
  expect(await form.getAttribute('action')).toMatch(new RegExp(`^${literal(ory)}/self-service/login\\?flow=`))

  await chromium.page.locator('input[name="identifier"]').fill('user@example.com')
  await chromium.page.locator('input[name="password"]').fill('password')
  const submitted = chromium.page.waitForResponse(
    (r) => r.request().method() === 'POST' && r.url().startsWith(`${ory}/self-service/login?flow=`),
  )
  const whoami = chromium.page.waitForResponse(
    (r) => r.url() === `${ory}/sessions/whoami` && r.status() === 200,
  )
  await chromium.page.getByRole('button', { name: 'Sign in' }).click()
  const response = await submitted
  expect(response.status()).toBe(303)
  expect(await response.headerValue('location')).toBe(`${appOrigin}/`)
  const setCookie = (await response.headerValues('set-cookie')).find((c) =>
    c.startsWith('ory_kratos_session='),
  )
  expect(setCookie).toMatch(/; HttpOnly; SameSite=Lax$/)
  expect(setCookie).not.toMatch(/domain=/i)

  await chromium.page.waitForURL(`${appOrigin}/`)
  // The keeper asks the proxy, not the fake, whether the session is there.
  await whoami
  await email().waitFor()
  expect(await email().textContent()).toBe('user@example.com')
}

/** The session and anti-CSRF cookies are host-only cookies of the app's host, none for the fake's. */
async function expectFirstPartyCookies(appOrigin: string) {
  const cookies = await chromium.context.cookies()
  const appHost = new URL(appOrigin).hostname
  const session = cookies.find((c) => c.name === 'ory_kratos_session')
  expect(session).toMatchObject({ domain: appHost, path: '/', httpOnly: true, sameSite: 'Lax' })
  expect(cookies.some((c) => c.name.startsWith('csrf_token_'))).toBe(true)
  expect(cookies.map((c) => c.domain).filter((domain) => domain !== appHost)).toEqual([])
}

/** "Sign out": the logout flow and its logout_url both through the proxy, back to signed out. */
async function signOut(appOrigin: string) {
  const ory = `${appOrigin}/.ory`
  const flow = chromium.page.waitForResponse((r) => r.url() === `${ory}/self-service/logout/browser`)
  const logout = chromium.page.waitForResponse((r) => r.url().startsWith(`${ory}/self-service/logout?`))
  await chromium.page.getByRole('button', { name: 'Sign out' }).click()
  expect((await flow).status()).toBe(200)
  expect((await logout).status()).toBe(204)
  await signInLink().waitFor()
  expect(await email().count()).toBe(0)
  expect((await chromium.context.cookies()).some((c) => c.name === 'ory_kratos_session')).toBe(false)
  expect(await whoamiStatus(appOrigin)).toBe(401)
}

/** `text` as a literal in a RegExp. */
const literal = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')

// What fake-kratos on plain http cannot send: an Ory Network project's Secure cookies, and
// Locations that are relative or point elsewhere.
describe('oryProxy rewrites', () => {
  const cookie =
    'ory_session_x=v; Path=/; Domain=x.projects.oryapis.com; Max-Age=60; HttpOnly; Secure; SameSite=None'

  it('drops Domain, and on a plain-http app Secure too, with SameSite=None made Lax', () => {
    expect(rewriteSetCookie(cookie, false)).toBe(
      'ory_session_x=v; Path=/; Max-Age=60; HttpOnly; SameSite=Lax',
    )
    expect(rewriteSetCookie(cookie, true)).toBe(
      'ory_session_x=v; Path=/; Max-Age=60; HttpOnly; Secure; SameSite=None',
    )
  })

  it('sends project Locations, absolute or path-absolute, back through /.ory and keeps others', () => {
    const project = 'https://x.projects.oryapis.com'
    const app = 'http://localhost:5173/.ory'
    expect(rewriteLocation(`${project}/ui/login?flow=1`, project, app)).toBe(`${app}/ui/login?flow=1`)
    expect(rewriteLocation('/ui/login?flow=1', project, app)).toBe(`${app}/ui/login?flow=1`)
    expect(rewriteLocation('http://localhost:5173/', project, app)).toBe('http://localhost:5173/')
    expect(rewriteLocation('//evil.example/x', project, app)).toBe('//evil.example/x')
  })
})

describe('ORY_SDK_URL proxy mode: vite.config.ts against fake-kratos on another site', () => {
  let demo: Awaited<ReturnType<typeof startOryProxyDemo>>

  beforeAll(async () => {
    demo = await startOryProxyDemo()
  })

  afterAll(async () => {
    await demo?.close()
  })

  it('signs in through the login page served under /.ory and returns to the app', async () => {
    await signIn(demo.appOrigin)
    expectNothingSentToKratos(demo.kratos)
  })

  it('makes the session cookie first-party to the app origin', async () => {
    await signIn(demo.appOrigin)
    await expectFirstPartyCookies(demo.appOrigin)
    // The cookie the fake set for 127.0.0.1 is the one the app's host now sends.
    expect(await whoamiStatus(demo.appOrigin)).toBe(200)
  })

  it('sends every whoami to <app>/.ory/sessions/whoami, never to the project', async () => {
    await signIn(demo.appOrigin)
    await chromium.page.reload()
    await email().waitFor()
    const whoamis = requests.map((r) => r.url()).filter((url) => url.includes('/sessions/whoami'))
    expect(whoamis.length).toBeGreaterThanOrEqual(2)
    expect(new Set(whoamis)).toEqual(new Set([`${demo.appOrigin}/.ory/sessions/whoami`]))
    expectNothingSentToKratos(demo.kratos)
  })

  it('signs out through the proxy', async () => {
    await signIn(demo.appOrigin)
    await signOut(demo.appOrigin)
    expectNothingSentToKratos(demo.kratos)
  })
})

/** Rejects if `port` on localhost is taken: `pnpm demo` needs it and would exit. */
async function expectPortFree(port: number) {
  const server = createServer()
  await new Promise<void>((resolve, reject) =>
    server
      .once('error', (error) =>
        reject(new Error(`port ${port} is taken; pnpm demo needs it (${error.message})`)),
      )
      .listen(port, 'localhost', resolve),
  )
  await new Promise<void>((resolve) => server.close(() => resolve()))
}

/** Resolves once `scripts/demo.mjs` prints its banner (both servers answer), rejects if it exits. */
function demoReady(child: ChildProcess): Promise<void> {
  return new Promise((resolve, reject) => {
    let output = ''
    const onData = (chunk: Buffer) => {
      output += chunk.toString()
      if (output.includes('session-keeper demo:')) resolve()
    }
    child.stdout?.on('data', onData)
    child.stderr?.on('data', (chunk: Buffer) => {
      output += chunk.toString()
    })
    child.once('exit', (code) => reject(new Error(`pnpm demo exited with ${code}:\n${output}`)))
  })
}

describe('pnpm demo with ORY_SDK_URL: scripts/demo.mjs as docs/07-recipes.md runs it', () => {
  let kratos: FakeKratos
  let demo: ChildProcess | undefined

  beforeAll(async () => {
    await expectPortFree(Number(new URL(DEMO_ORIGIN).port))
    kratos = await startFakeKratos({
      host: '127.0.0.1',
      port: 0,
      cookieDomain: '127.0.0.1',
      allowedReturnUrls: [`${DEMO_ORIGIN}/`],
      defaultReturnUrl: `${DEMO_ORIGIN}/`,
    })
    demo = spawn(process.execPath, ['scripts/demo.mjs'], {
      cwd: ROOT,
      env: { ...process.env, ORY_SDK_URL: kratos.url, VITE_KRATOS_URL: '' },
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    await demoReady(demo)
  })

  afterAll(async () => {
    if (demo && demo.exitCode === null && demo.signalCode === null) {
      const exited = new Promise((resolve) => demo?.once('exit', resolve))
      demo.kill('SIGTERM')
      await exited
    }
    await kratos?.close()
  })

  it('signs in and out through the /.ory proxy the demo starts, cookies first-party', async () => {
    await signIn(DEMO_ORIGIN)
    await expectFirstPartyCookies(DEMO_ORIGIN)
    await signOut(DEMO_ORIGIN)
    expectNothingSentToKratos(kratos)
  })
})
