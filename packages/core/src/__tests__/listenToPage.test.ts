// @vitest-environment jsdom
// The page listeners alone (issue 12): exactly these are added, and removing them removes them all.
import { afterEach, describe, expect, it, vi } from 'vitest'
import { listenToPage } from '../listenToPage.js'

afterEach(() => {
  vi.restoreAllMocks()
})

describe('listenToPage', () => {
  it('should add the wake-up and activity listeners, and remove exactly those', () => {
    const docAdd = vi.spyOn(document, 'addEventListener')
    const docRemove = vi.spyOn(document, 'removeEventListener')
    const winAdd = vi.spyOn(window, 'addEventListener')
    const winRemove = vi.spyOn(window, 'removeEventListener')
    const onWake = vi.fn()
    const onActivity = vi.fn()
    const unlisten = listenToPage(onWake, ['pointerdown', 'keydown'], onActivity)

    const passive = { capture: true, passive: true }
    expect(docAdd.mock.calls).toEqual([['visibilitychange', onWake]])
    expect(winAdd.mock.calls).toEqual([
      ['pageshow', onWake],
      ['focus', onWake],
      ['online', onWake],
      ['pointerdown', onActivity, passive],
      ['keydown', onActivity, passive],
    ])
    expect(docRemove).not.toHaveBeenCalled()
    expect(winRemove).not.toHaveBeenCalled()

    unlisten()
    expect(docRemove.mock.calls).toEqual(docAdd.mock.calls)
    expect(winRemove.mock.calls).toEqual(winAdd.mock.calls)
  })

  it('should call onWake for page events and onActivity for activity events until removed', () => {
    const onWake = vi.fn()
    const onActivity = vi.fn()
    const unlisten = listenToPage(onWake, ['keydown'], onActivity)
    document.dispatchEvent(new Event('visibilitychange'))
    window.dispatchEvent(new Event('focus'))
    window.dispatchEvent(new Event('online'))
    window.dispatchEvent(new Event('pageshow'))
    window.dispatchEvent(new Event('keydown'))
    window.dispatchEvent(new Event('pointerdown'))
    expect(onWake.mock.calls.map(([event]) => (event as Event).type)).toEqual([
      'visibilitychange',
      'focus',
      'online',
      'pageshow',
    ])
    expect(onActivity).toHaveBeenCalledTimes(1)

    unlisten()
    window.dispatchEvent(new Event('focus'))
    window.dispatchEvent(new Event('keydown'))
    document.dispatchEvent(new Event('visibilitychange'))
    expect(onWake).toHaveBeenCalledTimes(4)
    expect(onActivity).toHaveBeenCalledTimes(1)
  })
})
