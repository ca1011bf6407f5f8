/**
 * Listens to the page events that wake the keeper (`visibilitychange` on `document`;
 * `pageshow`, `focus` and `online` on `window`) and to `activityEvents` (captured, passive).
 * Returns the function that removes them all.
 *
 * @example
 * const unlisten = listenToPage(onWake, ['pointerdown', 'keydown'], extension.onActivity)
 */
export function listenToPage(
  onWake: (event: Event) => void,
  activityEvents: readonly string[],
  onActivity: () => void,
): () => void {
  const listen = (method: 'addEventListener' | 'removeEventListener') => {
    document[method]('visibilitychange', onWake)
    for (const type of ['pageshow', 'focus', 'online']) window[method](type, onWake)
    for (const type of activityEvents) window[method](type, onActivity, { capture: true, passive: true })
  }
  listen('addEventListener')
  return () => listen('removeEventListener')
}
