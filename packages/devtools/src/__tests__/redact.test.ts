import { describe, expect, it } from 'vitest'
import { redact } from '../redact.js'

describe('redact', () => {
  it('should hide every credential and the traits at any depth, and keep the rest', () => {
    const at = new Date('2026-03-02T10:00:00.000Z')
    const value = {
      id: 's1',
      tokenized: 'jwt',
      expires_at: at,
      identity: { id: 'i1', traits: { email: 'a@b.c' } },
      nested: [{ session_token: 't', Cookie: 'c', csrf_token: 'x', password: 'p', ok: 1 }],
      error: new TypeError('boom'),
    }

    expect(redact(value)).toEqual({
      id: 's1',
      tokenized: '[redacted]',
      expires_at: '2026-03-02T10:00:00.000Z',
      identity: { id: 'i1', traits: '[redacted]' },
      nested: [
        {
          session_token: '[redacted]',
          Cookie: '[redacted]',
          csrf_token: '[redacted]',
          password: '[redacted]',
          ok: 1,
        },
      ],
      error: { name: 'TypeError', message: 'boom' },
    })
  })
})
