import { render, screen } from '@testing-library/react'
import { version } from 'react'
import { version as domVersion } from 'react-dom'
import { renderToString } from 'react-dom/server'
import { describe, expect, it } from 'vitest'

// The "react" project runs the suite on React 19, "react-18" on React 18.3 (aliases in
// vitest.config.ts). Testing Library and react-dom must use the same copy, or hooks break.
function Version() {
  return <p>{version}</p>
}

describe('React under test', () => {
  it('should run each project on its own React, with react-dom and Testing Library on the same copy', ({
    task,
  }) => {
    expect(version.split('.')[0]).toBe(task.file.projectName === 'react-18' ? '18' : '19')
    expect(domVersion).toBe(version)
    render(<Version />)
    expect(screen.getByText(version).tagName).toBe('P')
    expect(renderToString(<Version />)).toBe(`<p>${version}</p>`)
  })
})
