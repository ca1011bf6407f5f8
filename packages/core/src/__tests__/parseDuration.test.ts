import { describe, expect, it } from 'vitest'
import { parseDuration } from '../parseDuration.js'

describe('parseDuration', () => {
  it.each([
    ['720h0m0s', 720 * 3_600_000],
    ['1h1m10s', 3_670_000],
    ['15m', 900_000],
    ['10s', 10_000],
    ['250ms', 250],
    ['1.5h', 5_400_000],
    ['.5s', 500],
    ['1500us', 1.5],
    ['2000000ns', 2],
    ['0', 0],
    [0, 0],
    [60_000, 60_000],
  ])('should parse %j as %d ms', (input, expected) => {
    expect(parseDuration(input)).toBe(expected)
  })

  it.each(['', '1', '1x', 'h', '1h ', ' 1h', '-1s', '+1s', '1h-1m', '1..5s', 'NaN', 'Infinity'])(
    'should throw a TypeError that quotes %j',
    (input) => {
      expect(() => parseDuration(input)).toThrow(TypeError)
      expect(() => parseDuration(input)).toThrow(JSON.stringify(input))
    },
  )

  it.each([-1, Number.NaN, Number.POSITIVE_INFINITY])('should reject %d milliseconds', (input) => {
    expect(() => parseDuration(input)).toThrow(/Invalid duration/)
  })

  it('should reject values that are neither numbers nor strings', () => {
    expect(() => parseDuration(null as unknown as string)).toThrow(/Invalid duration null/)
  })
})
