import type { CSSProperties } from 'react'

/** Where the toggle button and the panel sit. */
export type DevtoolsPosition = 'bottom-right' | 'bottom-left' | 'top-right' | 'top-left'

const FONT = 'ui-monospace, SFMono-Regular, Menlo, Consolas, monospace'

/** The corner offsets of `position`. */
export function corner(position: DevtoolsPosition, gap: number): CSSProperties {
  const [vertical, horizontal] = position.split('-') as ['top' | 'bottom', 'left' | 'right']
  return { position: 'fixed', [vertical]: gap, [horizontal]: gap, zIndex: 2147483000 }
}

/** The panel's inline styles: no stylesheet, so nothing of the app's CSS leaks in or out. */
export const styles = {
  button: {
    font: `600 12px ${FONT}`,
    color: '#f5f7fa',
    background: '#1f2a37',
    border: '1px solid #3b4a5c',
    borderRadius: 999,
    padding: '6px 12px',
    cursor: 'pointer',
    boxShadow: '0 2px 8px rgba(0,0,0,.3)',
  },
  panel: {
    font: `12px/1.45 ${FONT}`,
    color: '#e6edf3',
    background: '#111820',
    border: '1px solid #3b4a5c',
    borderRadius: 8,
    width: 'min(560px, calc(100vw - 24px))',
    maxHeight: 'min(640px, calc(100vh - 72px))',
    overflow: 'auto',
    boxShadow: '0 8px 32px rgba(0,0,0,.45)',
    textAlign: 'left',
  },
  header: {
    display: 'flex',
    alignItems: 'center',
    gap: 8,
    padding: '8px 12px',
    borderBottom: '1px solid #2a3645',
    position: 'sticky',
    top: 0,
    background: '#111820',
  },
  title: { font: `700 13px ${FONT}`, margin: 0, flex: 1 },
  action: {
    font: `12px ${FONT}`,
    color: '#e6edf3',
    background: '#243244',
    border: '1px solid #3b4a5c',
    borderRadius: 4,
    padding: '3px 8px',
    cursor: 'pointer',
  },
  section: { padding: '8px 12px', borderBottom: '1px solid #2a3645' },
  heading: { font: `700 11px ${FONT}`, textTransform: 'uppercase', color: '#8b9bb0', margin: '0 0 6px' },
  grid: { display: 'grid', gridTemplateColumns: 'max-content 1fr', gap: '2px 12px', margin: 0 },
  term: { color: '#8b9bb0' },
  value: { margin: 0, overflowWrap: 'anywhere' },
  pre: { margin: '6px 0 0', maxHeight: 220, overflow: 'auto', background: '#0b1016', padding: 8 },
  list: { listStyle: 'none', margin: 0, padding: 0 },
  log: { listStyle: 'none', margin: 0, padding: 0, maxHeight: 200, overflow: 'auto' },
  time: { color: '#8b9bb0', marginRight: 8 },
  bar: { height: 6, background: '#4f8cc9', borderRadius: 3, minWidth: 2 },
  good: { color: '#6fd08c' },
  warn: { color: '#f0b84f' },
  bad: { color: '#f47c7c' },
} satisfies Record<string, CSSProperties>
