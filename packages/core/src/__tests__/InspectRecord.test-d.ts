import { describe, expectTypeOf, it } from 'vitest'
import type { CheckReason, InspectRecord } from '../index.js'
import type { SessionKeeperError } from '../SessionKeeperError.js'

type Check = Extract<InspectRecord, { type: 'check' }>

describe('InspectRecord', () => {
  it('should narrow on type, with the time on every record', () => {
    expectTypeOf<Check['why']>().toEqualTypeOf<CheckReason>()
    expectTypeOf<Check['error']>().toEqualTypeOf<SessionKeeperError | undefined>()
    expectTypeOf<Extract<InspectRecord, { type: 'message' }>['from']>().toEqualTypeOf<string>()
    expectTypeOf<InspectRecord['at']>().toEqualTypeOf<number>()
    // @ts-expect-error: no such record type
    expectTypeOf<Extract<InspectRecord, { type: 'answer' }>['id']>().toBeNumber()
  })
})
