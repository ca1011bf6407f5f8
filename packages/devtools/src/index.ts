'use client'
// Public API of @session-keeper/devtools. In a production build (`process.env.NODE_ENV` is
// 'production', which bundlers replace) the export is a component that renders nothing, and the
// panel is left out of the bundle; `@session-keeper/devtools/production` always renders it.
import {
  SessionKeeperDevtools as Devtools,
  type SessionKeeperDevtoolsProps,
} from './SessionKeeperDevtools.js'

declare const process: { env: { NODE_ENV?: string } }

export type { DevtoolsPosition } from './styles.js'
export type { SessionKeeperDevtoolsProps }

/**
 * The devtools panel (see `@session-keeper/devtools/production` for the one that always renders);
 * `null` in production builds.
 *
 * @example
 * <SessionKeeperProvider options={{ baseUrl: 'https://auth.example.com' }}>
 *   <App />
 *   <SessionKeeperDevtools initialIsOpen={false} position="bottom-left" />
 * </SessionKeeperProvider>
 */
export const SessionKeeperDevtools: (
  props: SessionKeeperDevtoolsProps,
) => ReturnType<typeof Devtools> | null = process.env.NODE_ENV === 'production' ? () => null : Devtools
