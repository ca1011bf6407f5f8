/** Request counts keyed by `METHOD /path` (no query), as `GET /__fake/stats` reports them. */
export interface Stats {
  count(key: string): void
  snapshot(): { requests: Record<string, number> }
  reset(): void
}

export function createStats(): Stats {
  let requests: Record<string, number> = {}
  return {
    count(key) {
      requests[key] = (requests[key] ?? 0) + 1
    },
    snapshot: () => ({ requests: { ...requests } }),
    reset() {
      requests = {}
    },
  }
}
