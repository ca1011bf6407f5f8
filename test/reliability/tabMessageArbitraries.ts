// fast-check arbitraries for the tab-message fuzz (tabMessages.test.ts): valid messages of
// version 1, the same with one field broken or dropped, foreign versions, oversized and deeply
// nested payloads, and anything at all. `at` is an offset from "now", fixed when posted.
import fc from 'fast-check'
import { kratosSession } from '../../packages/core/src/__tests__/fakeKratosFetch.js'

export const STATUSES = ['authenticated', 'unauthenticated', 'aal2-required'] as const

/** A message before posting: `at` relative to the hand clock's now (never 0 or later, see the test). */
export type Draft = Record<string, unknown>

const special = fc.constantFrom<unknown>(
  Number.NaN,
  Number.POSITIVE_INFINITY,
  Number.NEGATIVE_INFINITY,
  -0,
  '1',
  '',
  null,
  undefined,
  [],
  {},
  true,
  2 ** 53,
  -1,
)
const anyField = fc.oneof(special, fc.anything({ maxDepth: 2 }))
const offset = fc.integer({ min: -20_000, max: -1 })

/** `depth` objects inside each other: JSON.stringify and recursive readers overflow on it. */
export function deep(depth: number): Record<string, unknown> {
  const root: Record<string, unknown> = {}
  let node = root
  for (let i = 0; i < depth; i++) {
    const next: Record<string, unknown> = {}
    node.a = next
    node = next
  }
  return root
}

const session = fc
  .record({
    id: fc.string({ minLength: 1, maxLength: 12 }),
    expiresIn: fc.integer({ min: 3_600_000, max: 86_400_000 }),
    authenticatedAgo: fc.nat(86_400_000),
    aal: fc.constantFrom('aal1', 'aal2'),
  })
  .map(({ id, ...options }) => kratosSession({ ...options, id: `fuzz-${id}`, now: 0 }))

/** Replaced when posted by a session of the right times: see `materialise` in the test. */
const stateMessage = fc.record({
  v: fc.constant(1),
  from: fc.string({ maxLength: 8 }),
  type: fc.constant('state'),
  at: offset,
  status: fc.constantFrom(...STATUSES),
  session: fc.option(session, { nil: null }),
  aal2RedirectTo: fc.option(fc.webUrl(), { nil: null }),
  clockSkew: fc.integer({ min: -600_000, max: 600_000 }),
})

const otherMessage = fc.oneof(
  fc.record({ v: fc.constant(1), from: fc.string(), type: fc.constant('hint'), at: offset }),
  fc.record({ v: fc.constant(1), from: fc.string(), type: fc.constant('ask'), maxAge: fc.nat(120_000) }),
  fc.record({ v: fc.constant(1), from: fc.string(), type: fc.constant('visible'), visible: fc.boolean() }),
  fc.record({ v: fc.constant(1), from: fc.string(), type: fc.constantFrom('roll-call', 'active') }),
)

const valid = fc.oneof({ weight: 3, arbitrary: stateMessage }, { weight: 2, arbitrary: otherMessage })

/** One field of a valid message replaced by something wrong, or dropped. */
const broken = fc.tuple(valid, fc.nat(), anyField, fc.boolean()).map(([message, index, value, drop]) => {
  const keys = Object.keys(message)
  const key = keys[index % keys.length] as string
  const copy: Draft = { ...message }
  if (drop) delete copy[key]
  else copy[key] = value
  return copy
})

const foreignVersion = fc
  .tuple(valid, fc.constantFrom<unknown>(0, 2, '1', 1.5, null, undefined, 'v1'))
  .map(([message, v]) => ({ ...message, v }))

const oversized = fc
  .tuple(stateMessage, fc.constantFrom('long string', 'deep traits', 'deep session', 'many devices'))
  .map(([message, kind]): Draft => {
    const base = kratosSession({ id: 'fuzz-oversized', now: 0 })
    const session =
      kind === 'long string'
        ? { ...base, identity: { ...base.identity, traits: { email: 'x'.repeat(200_000) } } }
        : kind === 'deep traits'
          ? { ...base, identity: { ...base.identity, traits: deep(20_000) } }
          : kind === 'deep session'
            ? { ...base, extra: deep(20_000) }
            : { ...base, devices: Array.from({ length: 20_000 }, (_, i) => ({ id: `d${i}` })) }
    return { ...message, status: 'authenticated', session, kind }
  })

/** Any message a tab may see on the channel, valid or not. */
export const tabMessage: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 4, arbitrary: valid },
  { weight: 3, arbitrary: broken },
  { weight: 1, arbitrary: foreignVersion },
  { weight: 1, arbitrary: oversized },
  { weight: 1, arbitrary: fc.anything({ maxDepth: 3 }) },
)
