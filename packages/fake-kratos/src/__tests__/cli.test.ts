import { type ChildProcess, spawn } from 'node:child_process'
import { once } from 'node:events'
import { fileURLToPath } from 'node:url'
import { afterEach, describe, expect, it } from 'vitest'

const CLI = fileURLToPath(new URL('../cli.ts', import.meta.url))
const children: ChildProcess[] = []
afterEach(() => {
  for (const child of children.splice(0)) child.kill('SIGKILL')
})

/** Runs the CLI from source, as `pnpm fake-kratos` does. */
function cli(...args: string[]) {
  const child = spawn(
    process.execPath,
    ['--conditions=@session-keeper/source', '--import', 'tsx', CLI, ...args],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  )
  children.push(child)
  let stdout = ''
  let stderr = ''
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    stdout += chunk
  })
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
    stderr += chunk
  })
  const exited = once(child, 'exit').then(([code]) => ({ code: code as number | null, stdout, stderr }))
  return { child, exited, output: () => stdout }
}

// Each test starts Node with tsx, which takes seconds on a loaded 2-core machine.
describe('fake-kratos CLI', { timeout: 30_000 }, () => {
  it('should exit 2 naming an unknown flag', async () => {
    const { code, stderr } = await cli('--lifespn', '1h').exited
    expect(code).toBe(2)
    expect(stderr).toContain("Unknown option '--lifespn'")
  })

  it('should exit 2 naming a flag with a bad value', async () => {
    const { code, stderr } = await cli('--privileged-max-age', '15 minutes').exited
    expect(code).toBe(2)
    expect(stderr).toContain('--privileged-max-age: Invalid duration "15 minutes"')
  })

  it('should print the flags for --help and exit 0', async () => {
    const { code, stdout } = await cli('--help').exited
    expect(code).toBe(0)
    expect(stdout).toContain('--earliest-possible-extend')
  })

  it('should answer like Kratos on the port it prints, and stop cleanly on SIGTERM', async () => {
    const run = cli('--port', '0', '--host', '127.0.0.1', '--lifespan', '1h')
    while (!/listening on (\S+)/.test(run.output()))
      await once(run.child.stdout as NodeJS.EventEmitter, 'data')
    const url = /listening on (\S+)/.exec(run.output())?.[1]
    const res = await fetch(`${url}/sessions/whoami`)
    expect(res.status).toBe(401)
    run.child.kill('SIGTERM')
    expect((await run.exited).code).toBe(0)
  })
})
