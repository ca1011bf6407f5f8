'use client'
/**
 * `defaults` with `messages` over them; a key left out (or `undefined`) keeps its default.
 * Throws a TypeError naming `where` (the component and prop, `'<ExpiryWarning messages>'`) on a
 * value that is not an object, an unknown key, or a key of the wrong type, as the core does for
 * a bad option. Private to the package: every component with texts checks its prop with it.
 */
export function resolveMessages<T extends object>(
  where: string,
  defaults: T,
  messages: Partial<T> | undefined,
): T {
  const fail = (why: string): never => {
    throw new TypeError(`[@session-keeper/react] ${where} ${why}`)
  }
  if (messages === undefined) return defaults
  // An array fails below, on its first key ("0").
  if (typeof messages !== 'object' || !messages)
    fail(`must be an object of texts, got ${JSON.stringify(messages)}`)
  const resolved: Record<string, unknown> = { ...(defaults as Record<string, unknown>) }
  for (const [key, value] of Object.entries(messages)) {
    if (!Object.hasOwn(defaults, key)) fail(`has an unknown key "${key}"`)
    const type = typeof resolved[key]
    if (value === undefined) continue
    if (typeof value !== type) fail(`"${key}" must be a ${type}, got ${typeof value}`)
    resolved[key] = value
  }
  return resolved as unknown as T
}
