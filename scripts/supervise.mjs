// The process handling both demos share (`pnpm demo`, `pnpm demo:next`): children started
// detached, stopped together on Ctrl-C or SIGTERM, and the demo ending with the code of the
// first child that dies.
import { spawn } from 'node:child_process'
import { fileURLToPath } from 'node:url'

const ROOT = fileURLToPath(new URL('..', import.meta.url))

/**
 * A supervisor for the children of the demo called `label` (the prefix of its messages).
 *
 * @example
 * const demo = supervise('demo')
 * const fake = demo.run('fake-kratos', ['packages/fake-kratos/dist/cli.js'])
 * await demo.answering('http://localhost:4433/sessions/whoami', fake)
 */
export function supervise(label) {
  /** @type {Map<string, import('node:child_process').ChildProcess>} */
  const children = new Map()
  let stopping = false
  let exitCode = 0

  function stop(signal) {
    stopping = true
    for (const child of children.values()) child.kill(signal)
    // A child that ignores the signal must not keep the demo (or its port) alive.
    setTimeout(() => {
      for (const child of children.values()) child.kill('SIGKILL')
    }, 5_000).unref()
    if (children.size === 0) process.exit(exitCode)
  }

  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(signal, () => stop(signal))
  // Last resort (an exception in the demo script): never leave detached children behind.
  process.on('exit', () => {
    for (const child of children.values()) child.kill('SIGKILL')
  })

  /** Runs `node ...args` from the repo root. Detached (own process group), so a terminal's Ctrl-C
   * reaches each child once, from us, and never twice. */
  function run(name, args, env = {}) {
    const child = spawn(process.execPath, args, {
      cwd: ROOT,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'inherit', 'inherit'],
      detached: true,
    })
    children.set(name, child)
    child.on('error', (error) => {
      console.error(`${label}: could not start ${name}: ${error.message}`)
    })
    child.on('exit', (code, signal) => {
      children.delete(name)
      if (!stopping) {
        console.error(
          `${label}: ${name} ${signal ? `was killed by ${signal}` : `exited with code ${code}`}, stopping`,
        )
        exitCode = code ?? 1
        stop('SIGTERM')
      }
      if (children.size === 0) process.exit(exitCode)
    })
    return child
  }

  /** Resolves once `url` answers at all (any status), or rejects when `child` exits first. */
  async function answering(url, child) {
    const deadline = Date.now() + 60_000
    while (Date.now() < deadline) {
      if (stopping || child.exitCode !== null || child.signalCode !== null) throw new Error('exited')
      try {
        await fetch(url, { signal: AbortSignal.timeout(2_000) })
        return
      } catch {
        await new Promise((resolve) => setTimeout(resolve, 200))
      }
    }
    throw new Error(`${url} did not answer within 60 s`)
  }

  /** After a failed start: a child that exited has already stopped the rest; anything else stops them now. */
  function failed(error) {
    if (!stopping) {
      console.error(`${label}: ${error.message}, stopping`)
      exitCode = 1
      stop('SIGTERM')
    }
  }

  return { run, answering, failed }
}
