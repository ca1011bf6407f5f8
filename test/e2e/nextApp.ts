import { type ChildProcess, spawn } from 'node:child_process'
import { buildNextApp, NEXT_APP } from '../../scripts/buildNextApp.mjs'
import { type DemoServers, type ExtraKratosOptions, HOST, startPair } from './servers.js'

/**
 * The leader's whoami cadence in {@link startNextApp}: well past the leader election (1 to 3 s
 * after load here), so a whoami sent when the tab wins it is told apart from the first poll.
 */
export const NEXT_POLL_INTERVAL = '10s'

/** Resolves once `next start` says it is ready; rejects with its output when it exits first. */
function ready(child: ChildProcess): Promise<void> {
  return new Promise((resolve, reject) => {
    let output = ''
    const read = (chunk: Buffer) => {
      output += chunk
      if (/Ready in/.test(output)) resolve()
    }
    child.stdout?.on('data', read)
    child.stderr?.on('data', read)
    child.once('error', reject)
    child.once('exit', (code) => reject(new Error(`next start exited with code ${code}:\n${output}`)))
  })
}

/** `next start` of the built example on `port`, against `kratosUrl`; resolves once it serves. */
async function serveNext(port: number, env: Record<string, string>): Promise<{ close(): Promise<void> }> {
  const child = spawn(
    process.execPath,
    [`${NEXT_APP}node_modules/next/dist/bin/next`, 'start', '--port', String(port), '--hostname', HOST],
    {
      cwd: NEXT_APP,
      env: { ...process.env, ...env, NODE_ENV: 'production', NEXT_TELEMETRY_DISABLED: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  )
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
  const close = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM')
    await exited
  }
  try {
    await ready(child)
  } catch (error) {
    await close()
    throw error
  }
  return { close }
}

/**
 * The Next.js example as shipped (`next build`, cached by scripts/buildNextApp.mjs, then `next
 * start`) against fake-kratos on the same host: the fake's host-only session cookie reaches both,
 * so the app's server reads the session from the request, and the browser's keeper talks to the
 * fake directly (CORS for the app's origin, `Date` exposed), as in the Vite demo. The keeper is
 * on `window.sessionKeeper` (`SESSION_KEEPER_E2E=1`) and polls every {@link NEXT_POLL_INTERVAL}.
 */
export async function startNextApp({
  kratos,
  earliestPossibleExtend,
}: {
  kratos?: ExtraKratosOptions
  earliestPossibleExtend?: string
} = {}): Promise<DemoServers> {
  await buildNextApp()
  return startPair(
    (appOrigin) => ({
      ...kratos,
      earliestPossibleExtend,
      host: HOST,
      port: 0,
      cors: { origins: [appOrigin], exposedHeaders: ['Content-Type', 'Date'] },
      allowedReturnUrls: [`${appOrigin}/`],
      defaultReturnUrl: `${appOrigin}/`,
    }),
    (port, fake) =>
      serveNext(port, {
        KRATOS_URL: fake.url,
        POLL_INTERVAL: NEXT_POLL_INTERVAL,
        EARLIEST_POSSIBLE_EXTEND: earliestPossibleExtend ?? '',
        SESSION_KEEPER_E2E: '1',
      }),
  )
}
