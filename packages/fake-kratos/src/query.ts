/** Go's `url.QueryEscape`: everything but letters, digits and `-_.~` is escaped, spaces become `+`. */
export function goQueryEscape(value: string): string {
  return encodeURIComponent(value)
    .replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)
    .replace(/%20/g, '+')
}

/** Go's `url.Values.Encode`: keys sorted, so URLs built by Kratos read the same here. */
export function goEncodeQuery(values: Record<string, string | undefined>): string {
  return Object.keys(values)
    .sort()
    .flatMap((key) => {
      const value = values[key]
      return value === undefined ? [] : [`${goQueryEscape(key)}=${goQueryEscape(value)}`]
    })
    .join('&')
}
