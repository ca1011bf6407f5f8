// Public API of @session-keeper/core. Explicit named exports only: anything not listed here
// is private to the package and may change without notice.
export { type Duration, parseDuration } from './parseDuration.js'
