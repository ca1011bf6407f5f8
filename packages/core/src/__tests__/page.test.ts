// @vitest-environment node
// The page accessors without a page (issue 12): the core runs on a server or in a worker.
import { describe, expect, it } from 'vitest'
import { hasWindow, isHidden, pageLocation } from '../page.js'

describe('page without a window', () => {
  it('should say there is no window, not hidden, and no location', () => {
    expect(typeof window).toBe('undefined')
    expect(hasWindow()).toBe(false)
    expect(isHidden()).toBe(false)
    expect(pageLocation()).toBeUndefined()
  })
})
