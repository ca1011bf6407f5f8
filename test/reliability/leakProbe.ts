// Issue 14 part 6: instrumentation that counts what is still live, installed by the leak tests
// before anything under test runs. It wraps the globals the keeper, its libraries and React can
// hold on to: timers (`setTimeout`/`clearTimeout`, `setInterval`/`clearInterval`), listeners on
// `window` and `document` (`addEventListener`/`removeEventListener`, with the DOM's own rules:
// one entry per type, listener and capture; `once` and `signal` end it too) and BroadcastChannels
// (the constructor and `close`). Everything live keeps the stack that made it, so a leak names
// its origin.

/** What is live now, by kind. */
export interface LiveCounts {
  timers: number
  listeners: number
  channels: number
}

export interface LeakProbe {
  live(): LiveCounts
  /** Where each live thing was made (a few stack frames), for the failure message. */
  origins(): string[]
  /**
   * Resolves once no timer is live, or after `within` ms with timers still live (they then
   * count as left over). A keeper's libraries may stop with a timer already set (for
   * broadcast-channel, a stopped election's 3 s fallback wait): those run out by themselves,
   * and only what outlives them is a leak. Woken by the timers themselves, not by polling.
   */
  timersDone(within?: number): Promise<void>
  /** Puts every wrapped global back. */
  uninstall(): void
}

type Handle = ReturnType<typeof setTimeout>
type Options = boolean | AddEventListenerOptions | undefined

/** A few frames of the caller's stack, the probe's own left out. */
function origin(kind: string): string {
  const frames = (new Error().stack ?? '').split('\n').slice(1)
  const outside = frames.filter((frame) => !frame.includes('leakProbe'))
  return `${kind} ${outside.slice(0, 4).join(' <')}`
}

/** A timer handle as a key: Node's Timeout objects and browsers' numbers alike. */
const timerKey = (handle: unknown) =>
  typeof handle === 'object' && handle !== null ? Number(handle) : handle

function wrapTimers(live: Map<unknown, string>, changed: () => void, undo: Array<() => void>) {
  const real = {
    setTimeout: globalThis.setTimeout,
    setInterval: globalThis.setInterval,
    clearTimeout: globalThis.clearTimeout,
    clearInterval: globalThis.clearInterval,
  }
  const clear = (handle: unknown) => {
    if (live.delete(timerKey(handle))) changed()
  }
  globalThis.setTimeout = ((callback: (...args: unknown[]) => void, ms?: number, ...args: unknown[]) => {
    const handle: Handle = real.setTimeout(
      (...given: unknown[]) => {
        clear(handle)
        callback(...given)
      },
      ms,
      ...args,
    )
    live.set(timerKey(handle), origin('setTimeout'))
    return handle
  }) as typeof setTimeout
  globalThis.setInterval = ((callback: (...args: unknown[]) => void, ms?: number, ...args: unknown[]) => {
    const handle = real.setInterval(callback, ms, ...args)
    live.set(timerKey(handle), origin('setInterval'))
    return handle
  }) as typeof setInterval
  // Either clear ends either kind, in Node and in browsers.
  globalThis.clearTimeout = ((handle?: Handle) => {
    clear(handle)
    real.clearTimeout(handle)
  }) as typeof clearTimeout
  globalThis.clearInterval = ((handle?: Handle) => {
    clear(handle)
    real.clearInterval(handle)
  }) as typeof clearInterval
  undo.push(() => Object.assign(globalThis, real))
  return real
}

function wrapListeners(
  target: EventTarget,
  name: string,
  live: Map<string, string>,
  undo: Array<() => void>,
) {
  const add = target.addEventListener
  const remove = target.removeEventListener
  const own = Object.hasOwn(target, 'addEventListener')
  const ids = new WeakMap<object, number>()
  let next = 0
  const key = (type: string, listener: unknown, options: Options) => {
    if (typeof listener !== 'object' && typeof listener !== 'function') return undefined
    if (listener === null) return undefined
    if (!ids.has(listener)) ids.set(listener, ++next)
    const capture = typeof options === 'boolean' ? options : Boolean(options?.capture)
    return `${name} ${type} #${ids.get(listener)} ${capture ? 'capture' : 'bubble'}`
  }
  target.addEventListener = function (type: string, listener: unknown, options?: Options) {
    const id = key(type, listener, options)
    const signal = typeof options === 'object' ? options.signal : undefined
    if (id && !signal?.aborted && !live.has(id)) {
      live.set(id, origin(`${name}.addEventListener('${type}')`))
      signal?.addEventListener('abort', () => live.delete(id), { once: true })
      if (typeof options === 'object' && options.once) {
        // Fired once, it is gone: a listener of our own, after it, says so.
        add.call(this, type, () => live.delete(id), { once: true, capture: options.capture })
      }
    }
    return add.call(this, type, listener as EventListener, options)
  }
  target.removeEventListener = function (
    type: string,
    listener: unknown,
    options?: boolean | EventListenerOptions,
  ) {
    const id = key(type, listener, options)
    if (id) live.delete(id)
    return remove.call(this, type, listener as EventListener, options)
  }
  undo.push(() => {
    if (own) Object.assign(target, { addEventListener: add, removeEventListener: remove })
    else {
      delete (target as Partial<EventTarget>).addEventListener
      delete (target as Partial<EventTarget>).removeEventListener
    }
  })
}

function wrapChannels(live: Map<object, string>, undo: Array<() => void>) {
  const Real = globalThis.BroadcastChannel
  class CountedChannel extends Real {
    constructor(name: string) {
      super(name)
      live.set(this, origin(`BroadcastChannel('${name}')`))
    }
    override close() {
      live.delete(this)
      super.close()
    }
  }
  globalThis.BroadcastChannel = CountedChannel
  undo.push(() => {
    globalThis.BroadcastChannel = Real
  })
}

/**
 * Wraps the globals and starts counting: call it before the code under test creates anything
 * (it counts only what is made after). `window` and `document` are those of the environment
 * (jsdom); without them only timers and channels are counted.
 *
 * @example
 * const probe = installLeakProbe()
 * keeper.start(); keeper.stop()
 * await probe.timersDone()
 * expect(probe.live()).toEqual({ timers: 0, listeners: 0, channels: 0 })
 * probe.uninstall()
 */
export function installLeakProbe(): LeakProbe {
  const timers = new Map<unknown, string>()
  const listeners = new Map<string, string>()
  const channels = new Map<object, string>()
  const undo: Array<() => void> = []
  const waiters = new Set<() => void>()
  const real = wrapTimers(
    timers,
    () => {
      if (timers.size === 0) for (const wake of [...waiters]) wake()
    },
    undo,
  )
  if (typeof window !== 'undefined') wrapListeners(window, 'window', listeners, undo)
  if (typeof document !== 'undefined') wrapListeners(document, 'document', listeners, undo)
  wrapChannels(channels, undo)
  return {
    live: () => ({ timers: timers.size, listeners: listeners.size, channels: channels.size }),
    origins: () => [...timers.values(), ...listeners.values(), ...channels.values()],
    timersDone: (within = 10_000) =>
      new Promise<void>((resolve) => {
        if (timers.size === 0) return resolve()
        // The deadline's own timer is the real one, so it is not counted.
        const deadline = real.setTimeout(wake, within)
        function wake() {
          real.clearTimeout(deadline)
          waiters.delete(wake)
          resolve()
        }
        waiters.add(wake)
      }),
    uninstall() {
      for (const step of undo.splice(0).reverse()) step()
    },
  }
}
