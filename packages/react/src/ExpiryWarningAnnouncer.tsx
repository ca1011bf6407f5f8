'use client'
import { type CSSProperties, type ReactNode, useEffect, useRef, useState } from 'react'
import type { ExpiryWarningState } from './ExpiryWarningState.js'

/** Seconds left at which the live region speaks again after the opening announcement. */
export const ANNOUNCE_AT = [60, 30, 10] as const

/** Seconds as words: `3 minutes 59 seconds`, `1 minute`, `10 seconds`. */
export function spokenDuration(seconds: number): string {
  const unit = (n: number, word: string) => (n ? `${n} ${word}${n === 1 ? '' : 's'}` : '')
  const words = [unit(Math.floor(seconds / 60), 'minute'), unit(seconds % 60, 'second')]
  return words.filter(Boolean).join(' ') || '0 seconds'
}

/** The default announcements: on open, at each point of {@link ANNOUNCE_AT}, and at the end. */
export function announcement(stage: ExpiryWarningState['stage'], seconds: number, opening: boolean): string {
  if (stage === 'ended') return 'Your session has ended. Sign in again to continue; this page stays as it is.'
  if (!opening) return `${spokenDuration(seconds)} left before you are signed out.`
  return `Your session is about to end: you will be signed out in ${spokenDuration(seconds)}. Choose Stay signed in to keep working.`
}

// Read by screen readers, not shown: the usual visually-hidden pattern.
const HIDDEN: CSSProperties = {
  position: 'absolute',
  width: 1,
  height: 1,
  margin: -1,
  padding: 0,
  overflow: 'hidden',
  clip: 'rect(0 0 0 0)',
  whiteSpace: 'nowrap',
  border: 0,
}

/** The point of {@link ANNOUNCE_AT} that `seconds` has reached (the lowest at or above it), or Infinity above them all. */
const pointOf = (seconds: number) => Math.min(...ANNOUNCE_AT.filter((point) => seconds <= point), Infinity)

/**
 * A polite live region, always in the page so it exists before it speaks: once when the
 * warning opens (with the time really left), again when fewer seconds are left than the next
 * point of {@link ANNOUNCE_AT}, and when the session ends; never on every tick.
 */
export function ExpiryWarningAnnouncer({
  stage,
  seconds,
  counted,
}: {
  stage: ExpiryWarningState['stage'] | null
  seconds: number
  counted: boolean
}): ReactNode {
  const [message, setMessage] = useState('')
  const spoken = useRef<{ stage: string; point: number } | null>(null)
  const now = useRef(seconds)
  now.current = seconds
  const point = stage === 'expiring' ? pointOf(seconds) : 0
  useEffect(() => {
    if (!stage) {
      spoken.current = null
      setMessage('')
      return
    }
    if (!counted) return
    const last = spoken.current
    const opening = last?.stage !== stage
    if (last && !opening && point >= last.point) return
    spoken.current = { stage, point }
    setMessage(announcement(stage, now.current, opening))
  }, [stage, point, counted])
  return (
    <div role="status" aria-live="polite" aria-atomic="true" style={HIDDEN}>
      {message}
    </div>
  )
}
