// Issue 14 part 3: hostile return_to values, checked in real Chromium by the keeper's own check
// (core's checkReturnTo, bundled into a page on the app's origin, so it runs on Chromium's URL
// parser as it does in production) and by Chromium's navigation itself, and in Node by the same
// check. A value the keeper accepts must be one the browser navigates to on an allowed origin.
import { fileURLToPath } from 'node:url'
import fc from 'fast-check'
import type { Page } from 'playwright-core'
import { build, type Rolldown } from 'vite'
import { beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { checkReturnTo } from '../../packages/core/src/checkReturnTo.js'
import { setupChromium } from '../e2e/browser.js'
import { figure } from './figure.js'
import { ALLOWED, HOSTILE, PAGE, SAME_ORIGIN } from './redirectCorpus.js'

/** What the check and the browser made of one value, in the page. */
interface Verdict {
  value: string
  /** checkReturnTo's normalised URL, or null when it refused. */
  accepted: string | null
  /** Chromium's `new URL(value, location.href)`, or null when it throws. */
  resolved: { href: string; origin: string; protocol: string; userinfo: boolean } | null
  /** What an `<a href>` in the page resolves to (the document's own URL completion). */
  anchor: string
}

declare global {
  interface Window {
    returnToCheck: { checkReturnTo: typeof checkReturnTo }
  }
}

/** core's checkReturnTo as a script for the page (bundled in memory, nothing written). */
async function bundleCheck(): Promise<string> {
  const entry = fileURLToPath(new URL('../../packages/core/src/checkReturnTo.ts', import.meta.url))
  const output = (await build({
    configFile: false,
    logLevel: 'silent',
    build: { write: false, minify: false, lib: { entry, formats: ['iife'], name: 'returnToCheck' } },
  })) as Rolldown.RolldownOutput | Rolldown.RolldownOutput[]
  const first = Array.isArray(output) ? output[0] : output
  if (!first) throw new Error('vite built no bundle of checkReturnTo')
  // Init scripts may run inside a function: name the global explicitly.
  return `${first.output[0].code}\nwindow.returnToCheck = returnToCheck`
}

/** Both verdicts for every value, in one round trip. */
function judge(page: Page, values: readonly string[]): Promise<Verdict[]> {
  return page.evaluate(
    ({ values, allowed }) =>
      values.map((value) => {
        let accepted: string | null = null
        try {
          accepted = window.returnToCheck.checkReturnTo(value, allowed)
        } catch (error) {
          // Only a refusal counts as one: a missing bundle or a crash must fail the test.
          if ((error as Error).name !== 'UnsafeReturnToError') throw error
        }
        let resolved: Verdict['resolved'] = null
        try {
          const { href, origin, protocol, username, password } = new URL(value, location.href)
          resolved = { href, origin, protocol, userinfo: Boolean(username || password) }
        } catch {}
        const anchor = document.createElement('a')
        anchor.href = value
        return { value, accepted, resolved, anchor: anchor.href }
      }),
    { values, allowed: ALLOWED },
  )
}

/** Chromium takes it to an allowed origin over http(s), with no userinfo to mislead the user. */
const onAllowedOrigin = (verdict: Verdict) =>
  verdict.resolved !== null &&
  !verdict.resolved.userinfo &&
  (verdict.resolved.protocol === 'https:' || verdict.resolved.protocol === 'http:') &&
  ALLOWED.includes(verdict.resolved.origin)

/** Where the tab really goes on `location.assign(value)` from PAGE (routes answer every URL). */
async function navigate(page: Page, value: string): Promise<string> {
  await page.goto(PAGE)
  const moved = page.waitForEvent('framenavigated', (frame) => frame === page.mainFrame())
  await page.evaluate((target) => location.assign(target), value)
  await moved
  return page.url()
}

let script = ''
beforeAll(async () => {
  script = await bundleCheck()
})

const chromium = setupChromium({
  setup: async (context) => {
    // Every URL answers with an empty page here: no request leaves the machine.
    await context.route('**/*', (route) =>
      route.fulfill({ status: 200, contentType: 'text/html', body: '<!doctype html><title>page</title>' }),
    )
    await context.addInitScript({ content: script })
  },
})

describe('hostile return_to values', () => {
  let verdicts: Verdict[] = []
  const all = [...HOSTILE, ...SAME_ORIGIN].map(([, value]) => value)

  // Contexts are per test (setupChromium): the first test's page judges the corpus for all.
  beforeEach(async () => {
    if (verdicts.length > 0) return
    await chromium.page.goto(PAGE)
    verdicts = await judge(chromium.page, all)
  })

  it('should refuse every hostile value, in Chromium and in Node', () => {
    expect(HOSTILE.length).toBeGreaterThanOrEqual(60)
    const hostile = verdicts.slice(0, HOSTILE.length)
    const refusedInChromium = hostile.filter((verdict) => verdict.accepted === null)
    const refusedInNode = HOSTILE.filter(([, value]) => {
      try {
        checkReturnTo(value, ALLOWED, 'returnTo', PAGE)
        return false
      } catch {
        return true
      }
    })
    figure('hostile return_to values (count)', HOSTILE.length, { min: 60 })
    figure(
      'hostile return_to values refused in Chromium (%)',
      (100 * refusedInChromium.length) / HOSTILE.length,
      { min: 100 },
    )
    figure('hostile return_to values refused in Node (%)', (100 * refusedInNode.length) / HOSTILE.length, {
      min: 100,
    })
  })

  it('should hold only values Chromium takes off the allowed origins (or to userinfo) or that carry ambiguous characters', () => {
    // The corpus itself is checked: a "hostile" value the browser keeps on origin proves nothing.
    const ambiguous = /[\\\s\p{Cc}]/u
    const notHostile = verdicts
      .slice(0, HOSTILE.length)
      .filter((verdict) => onAllowedOrigin(verdict) && !ambiguous.test(verdict.value) && verdict.value !== '')
      .map((verdict) => verdict.value)
    expect(notHostile).toEqual([])
  })

  it('should agree with Chromium on where every accepted value leads', () => {
    const disagree = verdicts
      .filter((verdict) => verdict.accepted !== null)
      .filter(
        (verdict) =>
          !onAllowedOrigin(verdict) ||
          verdict.resolved?.href !== verdict.accepted ||
          verdict.anchor !== verdict.accepted,
      )
    figure('accepted return_to values Chromium resolves elsewhere', disagree.length, { max: 0 })
    expect(disagree).toEqual([])
  })

  it('should accept the same-origin paths and URLs as Node does', () => {
    const node = SAME_ORIGIN.map(([, value]) => checkReturnTo(value, ALLOWED, 'returnTo', PAGE))
    const inChromium = verdicts.slice(HOSTILE.length).map((verdict) => verdict.accepted)
    expect(inChromium).toEqual(node)
  })

  it('should land on the accepted URL when Chromium navigates to the value or to what the check returned', async () => {
    const page = chromium.page
    let wrong = 0
    for (const verdict of verdicts.filter((each) => each.accepted !== null)) {
      const accepted = verdict.accepted as string
      for (const target of [verdict.value, accepted]) {
        const landed = await navigate(page, target)
        if (landed !== accepted || !ALLOWED.includes(new URL(landed).origin)) wrong++
      }
    }
    figure('accepted return_to navigations landing elsewhere in Chromium', wrong, { max: 0 })
  })
})

describe('generated return_to values', () => {
  it('should accept no generated value that Chromium resolves off the allowed origins', async () => {
    await chromium.page.goto(PAGE)
    const piece = fc.constantFrom(
      '/',
      '//',
      '\\',
      '.',
      '..',
      '%2F',
      '%2e',
      '%5C',
      '@',
      ':',
      '#',
      '?',
      ' ',
      '\t',
      '\n',
      'https:',
      'http:',
      'javascript:',
      'data:',
      'app.example',
      'admin.example',
      'evil.example',
      'ａｐｐ',
      '。',
      'xn--pp-6kc',
      ':443',
      ':8443',
      '%40',
      'a',
      'user:pass@',
    )
    const hostileish = fc.array(piece, { minLength: 1, maxLength: 8 }).map((pieces) => pieces.join(''))
    const values = fc.sample(fc.oneof(hostileish, fc.webUrl(), fc.webPath(), fc.string()), {
      numRuns: 5_000,
      seed: 14,
    })
    const verdicts = await judge(chromium.page, values)
    const escaped = verdicts.filter(
      (verdict) =>
        verdict.accepted !== null &&
        (!onAllowedOrigin(verdict) || verdict.resolved?.href !== verdict.accepted),
    )
    figure('generated return_to values checked in Chromium', values.length, { min: 5_000 })
    // The property means something only if the check accepts a good share of them.
    const accepted = verdicts.filter((verdict) => verdict.accepted !== null).length
    figure('generated return_to values the check accepted', accepted, { min: 500 })
    figure('generated return_to values accepted off the allowed origins', escaped.length, { max: 0 })
    expect(escaped).toEqual([])
  })
})
