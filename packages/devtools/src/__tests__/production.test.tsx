// The default export renders nothing in a production build (NODE_ENV read when the module
// loads, as bundlers replace it); the /production entry always renders. size-limit checks that
// the production bundle of the default export holds none of the panel.
import { render, screen } from '@testing-library/react'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { installPage, removePage, testKeeper } from '../../../react/src/__tests__/kit.js'

beforeEach(installPage)
afterEach(async () => {
  vi.unstubAllEnvs()
  vi.resetModules()
  await removePage()
})

async function load(env: string, entry: '../index.js' | '../production.js') {
  vi.stubEnv('NODE_ENV', env)
  vi.resetModules()
  return (await import(entry)) as typeof import('../index.js')
}

describe('production builds', () => {
  it('should render nothing from the default entry when NODE_ENV is production', async () => {
    const { SessionKeeperDevtools } = await load('production', '../index.js')
    const { keeper } = testKeeper()

    const { container } = render(<SessionKeeperDevtools keeper={keeper} initialIsOpen />)

    expect(container.innerHTML).toBe('')
  })

  it('should render the panel from the default entry in development', async () => {
    const { SessionKeeperDevtools } = await load('development', '../index.js')
    const { keeper } = testKeeper()

    render(<SessionKeeperDevtools keeper={keeper} initialIsOpen />)

    expect(screen.getByRole('dialog', { name: 'Session keeper devtools' })).toBeTruthy()
  })

  it('should render the panel from /production even when NODE_ENV is production', async () => {
    const { SessionKeeperDevtools } = await load('production', '../production.js')
    const { keeper } = testKeeper()

    render(<SessionKeeperDevtools keeper={keeper} initialIsOpen />)

    expect(screen.getByRole('dialog', { name: 'Session keeper devtools' })).toBeTruthy()
  })
})
