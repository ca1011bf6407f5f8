// What the docs' code blocks may use without declaring it: the values a reader already has in
// their app (a keeper, their own components and API client). Nothing here stands in for a
// package: every import in a block resolves to the real public entry point.
import type { SessionKeeper } from '@session-keeper/core'
import type { ReactNode } from 'react'

/** A stand-in for the app's own HTTP client (ky-like), used by the action examples. */
interface AppApi {
  get(url: string): { json<T = unknown>(): Promise<T> }
  post(url: string, options?: { json?: unknown }): { json<T = unknown>(): Promise<T> }
  patch(url: string, options?: { json?: unknown }): { json<T = unknown>(): Promise<T> }
  delete(url: string): { json<T = unknown>(): Promise<T> }
}

declare global {
  /** The app's keeper (`createSessionKeeper(...)`, or `useSessionKeeper()` in React). */
  const keeper: SessionKeeper
  /** The app's own API client. */
  const api: AppApi
  /** The incoming request in server examples. */
  const request: Request
  /** Kratos's public URL in server examples. */
  const baseUrl: string
  /** The page's root element. */
  const root: HTMLElement
  /** The app's logger. */
  const logger: { info(message: string): void; warn(message: string): void }
  /** The app's router navigation (React Router's `useNavigate()` result). */
  const navigate: (to: string) => void
  /** The app's own feedback helpers. */
  function showSaved(): void
  function showError(error: unknown): void
  function startExport(): Promise<void>
  /** The app's own components. */
  function App(): ReactNode
  function Home(): ReactNode
  function ChangePassword(): ReactNode
  function ApiKeys(): ReactNode
  function KeyList(): ReactNode
  function Billing(): ReactNode
  function DeleteAccount(): ReactNode
  function Spinner(): ReactNode
}
