import { onTestFinished, vi } from 'vitest'

/** An in-memory `Storage` (only what the keeper's loop guard uses is meaningful). */
function createStorage(): Storage {
  const items = new Map<string, string>()
  return {
    get length() {
      return items.size
    },
    key: (index) => [...items.keys()][index] ?? null,
    getItem: (key) => items.get(key) ?? null,
    setItem: (key, value) => void items.set(key, String(value)),
    removeItem: (key) => void items.delete(key),
    clear: () => items.clear(),
  }
}

/**
 * The few browser globals the keeper reads (`window`, `document`, `location`, `sessionStorage`), so that
 * `start()`, `return_to` and redirects can run in Node. Undone when the test finishes, after the
 * keepers made later in the test have stopped (finish hooks run last-registered first).
 */
export interface BrowserGlobals {
  window: EventTarget
  document: EventTarget & { visibilityState: DocumentVisibilityState }
  /** Every URL passed to `location.assign`, in order. */
  assigned: string[]
  /** Sets `document.visibilityState` and dispatches `visibilitychange`. */
  setVisibility(state: DocumentVisibilityState): void
}

export function stubBrowserGlobals(href: string): BrowserGlobals {
  const url = new URL(href)
  const window = new EventTarget()
  const document = Object.assign(new EventTarget(), { visibilityState: 'visible' as DocumentVisibilityState })
  const assigned: string[] = []
  const location = {
    href: url.href,
    origin: url.origin,
    assign: (target: string | URL) => void assigned.push(String(target)),
  }
  vi.stubGlobal('window', window)
  vi.stubGlobal('document', document)
  vi.stubGlobal('location', location)
  vi.stubGlobal('sessionStorage', createStorage())
  onTestFinished(() => void vi.unstubAllGlobals())
  return {
    window,
    document,
    assigned,
    setVisibility(state) {
      document.visibilityState = state
      document.dispatchEvent(new Event('visibilitychange'))
    },
  }
}
