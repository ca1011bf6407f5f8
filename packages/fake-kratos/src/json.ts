// Go's json.Encoder HTML-escapes these (FACTS §0): `&` in a URL goes out as \u0026.
const GO_ESCAPED = /[<>&\u2028\u2029]/g

/**
 * Serializes like Go's `json.Encoder` with default settings: HTML-escaped `<`, `>`, `&`,
 * U+2028 and U+2029, and a trailing newline. Parsed, it is identical to `JSON.stringify`.
 */
export function goJson(value: unknown): string {
  return `${JSON.stringify(value).replace(GO_ESCAPED, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)}\n`
}

/** A timestamp as Go marshals `time.Time` (RFC 3339 in UTC, trailing zeros of the fraction dropped). */
export function goTime(ms: number): string {
  return new Date(ms).toISOString().replace(/\.?0+Z$/, 'Z')
}
