/**
 * A JSON `Response` that no cache may keep: every answer of the extend handler goes through it.
 * Private to the package.
 *
 * @example
 * return jsonResponse(405, { error: { id: 'method_not_allowed', message: 'Use POST' } }, { Allow: 'POST' })
 */
export function jsonResponse(status: number, body: unknown, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { 'Content-Type': 'application/json', 'Cache-Control': 'no-store', ...headers },
  })
}
