'use client'
import { ExpiryWarning, useSession } from '@session-keeper/react'
import Link from 'next/link'
import { usePathname } from 'next/navigation'
import type { ReactNode } from 'react'
import { Header } from './Header'
import { NotSignedIn } from './NotSignedIn'

const PAGES = [
  ['/', 'Home'],
  ['/account-security', 'Account security'],
  ['/billing', 'Billing'],
] as const

/** The signed-in frame around the pages (header, navigation, expiry warning), or why there is none. */
export function AppShell({ children }: { children: ReactNode }) {
  const status = useSession((state) => state.status)
  const pathname = usePathname()
  if (status !== 'authenticated') {
    return (
      <div className="app">
        <NotSignedIn />
      </div>
    )
  }
  return (
    <div className="app">
      <Header />
      <div className="layout">
        <nav aria-label="Main">
          <ul>
            {PAGES.map(([href, label]) => (
              <li key={href}>
                <Link href={href} aria-current={pathname === href ? 'page' : undefined}>
                  {label}
                </Link>
              </li>
            ))}
          </ul>
        </nav>
        <main>{children}</main>
      </div>
      {/* The warning before the end (WCAG 2.2.1): extends through the route handler, else signs in again in the page. */}
      <ExpiryWarning />
    </div>
  )
}
