#!/usr/bin/env node
// `pnpm demo`: fake-kratos on :4433 and the example app (Vite dev server) on :5173, together.
// Ctrl-C or SIGTERM stops both; when either one dies the other is stopped and the demo exits
// with the dead one's code.
//
// The fake's session lasts DEMO_LIFESPAN (default 10m) and the app warns DEMO_EXPIRING before
// the end (default 3m), so the expiry dialog shows within minutes; any fake-kratos flag can be
// added through DEMO_KRATOS_FLAGS (e.g. "--privileged-max-age 2m"). DEMO_EXTEND_WINDOW (default
// 5m) is Kratos's earliest_possible_extend: activity then extends the session (issue 7).
//
// Against a real Ory project no fake is started:
// - ORY_SDK_URL=https://<project>.projects.oryapis.com pnpm demo: the Vite dev server proxies
//   /.ory to the project (same-origin cookies, as Ory's tunnel gives) and the app uses /.ory;
// - VITE_KRATOS_URL=<url> pnpm demo: the app talks to <url> directly (the session cookie must be
//   same-site with the app, e.g. `ory tunnel --dev http://localhost:5173` and http://localhost:4000).
import { spawn } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { buildCore } from './buildCore.mjs'

const ROOT = fileURLToPath(new URL('..', import.meta.url))
const APP_URL = 'http://localhost:5173'
const FAKE_URL = 'http://localhost:4433'
const orySdkUrl = process.env.ORY_SDK_URL?.trim()
const external = orySdkUrl ? '/.ory' : process.env.VITE_KRATOS_URL?.trim()
const kratosUrl = external || FAKE_URL
const lifespan = process.env.DEMO_LIFESPAN?.trim() || '10m'
const expiring = process.env.DEMO_EXPIRING?.trim() || '3m'
// Kratos's earliest_possible_extend: activity in the app's last DEMO_EXTEND_WINDOW extends the
// session through the app's backend route. Against a real project, set it as the project has it.
const extendWindow = process.env.DEMO_EXTEND_WINDOW?.trim() || (external ? '' : '5m')
const extraFlags = process.env.DEMO_KRATOS_FLAGS?.trim().split(/\s+/) ?? []

/** @type {Map<string, import('node:child_process').ChildProcess>} */
const children = new Map()
let stopping = false
let exitCode = 0

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
    console.error(`demo: could not start ${name}: ${error.message}`)
  })
  child.on('exit', (code, signal) => {
    children.delete(name)
    if (!stopping) {
      console.error(
        `demo: ${name} ${signal ? `was killed by ${signal}` : `exited with code ${code}`}, stopping`,
      )
      exitCode = code ?? 1
      stop('SIGTERM')
    }
    if (children.size === 0) process.exit(exitCode)
  })
  return child
}

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
// Last resort (an exception in this script): never leave detached children behind.
process.on('exit', () => {
  for (const child of children.values()) child.kill('SIGKILL')
})

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

const waits = []
if (!external) {
  const fake = run('fake-kratos', [
    '--conditions=@session-keeper/source',
    '--import',
    'tsx',
    'packages/fake-kratos/src/cli.ts',
    '--port',
    new URL(FAKE_URL).port,
    '--cors-origin',
    APP_URL,
    '--expose-headers',
    'Content-Type,Date,Ory-Session-Cache-For',
    '--allowed-return-url',
    `${APP_URL}/`,
    '--default-return-url',
    `${APP_URL}/`,
    '--lifespan',
    lifespan,
    '--earliest-possible-extend',
    extendWindow,
    ...extraFlags,
  ])
  waits.push(answering(`${FAKE_URL}/sessions/whoami`, fake))
}
// The app's backend route (examples/react-app/extendRoute.ts) runs core's published code.
buildCore()
const vite = run(
  'vite',
  [
    'node_modules/vite/bin/vite.js',
    '--config',
    'examples/react-app/vite.config.ts',
    '--host',
    'localhost',
    '--port',
    new URL(APP_URL).port,
    '--strictPort',
    '--logLevel',
    'warn',
    '--clearScreen',
    'false',
  ],
  {
    VITE_KRATOS_URL: kratosUrl,
    VITE_EXPIRING_THRESHOLD: process.env.VITE_EXPIRING_THRESHOLD || expiring,
    VITE_EARLIEST_POSSIBLE_EXTEND: extendWindow,
  },
)
waits.push(answering(APP_URL, vite))

try {
  await Promise.all(waits)
  const lines = orySdkUrl
    ? [`Ory project ${orySdkUrl}, proxied at ${APP_URL}/.ory`]
    : external
      ? [`Kratos at ${kratosUrl}`]
      : [
          `fake Kratos at ${kratosUrl} (sessions last ${lifespan}; the warning shows ${expiring} before the end;`,
          `  activity in the last ${extendWindow} extends the session through the app's /api/session/extend)`,
          'sign in as  user@example.com / password                 (no second factor)',
          '        or  mfa@example.com  / password + code 123456   (second factor)',
        ]
  console.log(
    `\n  session-keeper demo: ${APP_URL}/\n${lines.map((line) => `  ${line}\n`).join('')}  Ctrl-C stops both.\n`,
  )
} catch (error) {
  // A child that exited has already started the shutdown; anything else is a timeout.
  if (!stopping) {
    console.error(`demo: ${error.message}, stopping`)
    exitCode = 1
    stop('SIGTERM')
  }
}
