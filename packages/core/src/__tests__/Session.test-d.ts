import type { Session as OrySession } from '@ory/client-fetch'
import { describe, expectTypeOf, it } from 'vitest'
import type { Session } from '../types.js'

describe('Session', () => {
  it('should be assignable to and from @ory/client-fetch Session', () => {
    expectTypeOf<OrySession>().toExtend<Session>()
    expectTypeOf<Session>().toExtend<OrySession>()
  })
})
