'use client'
import { type CSSProperties, type ReactNode, useEffect, useRef, useState } from 'react'
import type { ExpiryWarningState } from './ExpiryWarningState.js'
import type { ExpiryWarningMessages } from './expiryWarningMessages.js'

/** Seconds left at which the live region speaks again after the opening announcement. */
export const ANNOUNCE_AT = [60, 30, 10] as const

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
 * point of {@link ANNOUNCE_AT}, and when the session ends; never on every tick. What it says
 * comes from `messages`.
 */
export function ExpiryWarningAnnouncer({
  stage,
  seconds,
  counted,
  messages,
}: {
  stage: ExpiryWarningState['stage'] | null
  seconds: number
  counted: boolean
  messages: ExpiryWarningMessages
}): ReactNode {
  const [message, setMessage] = useState('')
  const spoken = useRef<{ stage: string; point: number } | null>(null)
  // Read when speaking, not a reason to speak: neither a tick nor a new `messages` object is.
  const latest = useRef({ seconds, messages })
  latest.current = { seconds, messages }
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
    const { seconds: left, messages: say } = latest.current
    setMessage(
      stage === 'ended'
        ? say.announceEnded
        : opening
          ? say.announceExpiring(left)
          : say.announceRemaining(left),
    )
  }, [stage, point, counted])
  return (
    <div role="status" aria-live="polite" aria-atomic="true" style={HIDDEN}>
      {message}
    </div>
  )
}
