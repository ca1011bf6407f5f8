/** Keys whose values never leave the keeper: credentials, and the identity's own data. */
const SECRET = /token|cookie|secret|password|csrf|traits|tokenized/i

/**
 * A copy of `value` fit to show or share: the value of every key that names a credential
 * (`session_token`, `tokenized`, `cookie`, `csrf_token`, `password`…) or the identity's traits
 * becomes `'[redacted]'`; Dates become ISO strings; errors become `{ name, message }`.
 *
 * @example
 * redact({ id: 's1', tokenized: 'eyJ…' }) // { id: 's1', tokenized: '[redacted]' }
 */
export function redact(value: unknown, depth = 0): unknown {
  if (value instanceof Date) return value.toISOString()
  if (value instanceof Error) return { name: value.name, message: value.message }
  if (value === null || typeof value !== 'object') return value
  if (depth > 12) return '[deep]'
  if (Array.isArray(value)) return value.map((item) => redact(item, depth + 1))
  return Object.fromEntries(
    Object.entries(value).map(([key, item]) => [
      key,
      SECRET.test(key) ? '[redacted]' : redact(item, depth + 1),
    ]),
  )
}
