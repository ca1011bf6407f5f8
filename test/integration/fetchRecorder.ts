/** What the keeper sent: method, URL and headers as they left the process. */
export interface RecordedRequest {
  method: string
  url: string
  headers: Headers
}

export interface FetchRecorder {
  fetch: typeof fetch
  calls: RecordedRequest[]
  /** Resolves with the next request the wrapped `fetch` sends. */
  nextCall(): Promise<RecordedRequest>
  /**
   * Holds back the response of the next request: `arrived` resolves once the server has answered
   * it, and the caller only sees the answer after `release()`. Lets a test order answers.
   */
  holdNextResponse(): { arrived: Promise<void>; release(): void }
}

/** Wraps `fetch` (by default the real one) to record requests and, on demand, delay an answer. */
export function createFetchRecorder(base: typeof fetch = globalThis.fetch): FetchRecorder {
  const calls: RecordedRequest[] = []
  const waiters: ((request: RecordedRequest) => void)[] = []
  let hold: { arrived: () => void; released: Promise<void> } | undefined
  const recorder: typeof fetch = async (input, init) => {
    const request = new Request(input, init)
    const record = { method: request.method, url: request.url, headers: new Headers(request.headers) }
    calls.push(record)
    for (const waiter of waiters.splice(0)) waiter(record)
    const held = hold
    hold = undefined
    const response = await base(request)
    if (held) {
      held.arrived()
      await held.released
    }
    return response
  }
  return {
    fetch: recorder,
    calls,
    nextCall: () => new Promise((resolve) => waiters.push(resolve)),
    holdNextResponse() {
      let arrived = () => {}
      let release = () => {}
      const arrivedPromise = new Promise<void>((resolve) => {
        arrived = resolve
      })
      hold = { arrived: () => arrived(), released: new Promise<void>((resolve) => (release = resolve)) }
      return { arrived: arrivedPromise, release: () => release() }
    },
  }
}
