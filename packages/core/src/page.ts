// The page the keeper runs in, read on demand: nothing here runs at import, so the core loads
// on a server, in a worker or in tests without a window.

/** Whether a browser page is there (not on a server or in a worker). */
export const hasWindow = (): boolean => typeof window !== 'undefined'

/** Whether the page is off screen; `false` without a page. */
export const isHidden = (): boolean => hasWindow() && document.visibilityState === 'hidden'

/** The page's `location`, or `undefined` without a page. */
export const pageLocation = (): Location | undefined => (hasWindow() ? location : undefined)
