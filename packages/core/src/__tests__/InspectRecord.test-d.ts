import { describe, expectTypeOf, it } from 'vitest'
import type { CheckReason, InspectRecord, ReauthFlowResult } from '../index.js'
import type { SessionKeeperError } from '../SessionKeeperError.js'

type Check = Extract<InspectRecord, { type: 'check' }>
type Flow = Extract<InspectRecord, { type: 'reauth-flow' }>

describe('InspectRecord', () => {
  it('should narrow on type, with the time on every record', () => {
    expectTypeOf<Check['why']>().toEqualTypeOf<CheckReason>()
    expectTypeOf<Check['error']>().toEqualTypeOf<SessionKeeperError | undefined>()
    expectTypeOf<Extract<InspectRecord, { type: 'message' }>['from']>().toEqualTypeOf<string>()
    expectTypeOf<InspectRecord['at']>().toEqualTypeOf<number>()
    expectTypeOf<Flow['step']>().toEqualTypeOf<'create' | 'submit'>()
    expectTypeOf<Flow['status']>().toEqualTypeOf<ReauthFlowResult['status'] | undefined>()
    // @ts-expect-error: a reauth-flow record keeps the status, never the result (its flow holds the CSRF token)
    expectTypeOf<Flow['result']>().toBeUnknown()
    // @ts-expect-error: no such record type
    expectTypeOf<Extract<InspectRecord, { type: 'answer' }>['id']>().toBeNumber()
  })
})
