#!/usr/bin/env node
// `pnpm demo:next`: fake-kratos on :4433 and the Next.js example (examples/next-app, a
// production build served by `next start`) on :3000, together. The build runs first when the app
// or the packages changed since the last one (about 30 s on two cores), else it is reused.
// Ctrl-C or SIGTERM stops both; when either one dies the other is stopped and the demo exits
// with the dead one's code. It uses :4433 as `pnpm demo` does: run one demo at a time.
//
// The same knobs as `pnpm demo`: DEMO_LIFESPAN (default 10m), DEMO_EXPIRING (3m),
// DEMO_EXTEND_WINDOW (5m), DEMO_KRATOS_FLAGS; POLL_INTERVAL sets the keeper's pollInterval.
//
// Against a real Kratos or Ory project no fake is started: KRATOS_URL=<url> pnpm demo:next (the
// session cookie must reach the app's host, e.g. `ory tunnel --dev http://localhost:3000` and
// KRATOS_URL=http://localhost:4000); KRATOS_ADMIN_URL and ORY_API_KEY for the extend route.
import { buildNextApp } from './buildNextApp.mjs'
import { demoSettings, FAKE_URL, printBanner, startFake } from './demoKit.mjs'
import { supervise } from './supervise.mjs'

const APP_URL = 'http://localhost:3000'
const external = process.env.KRATOS_URL?.trim()
const kratosUrl = external || FAKE_URL
const settings = demoSettings(external)

console.log('demo:next: building the Next.js example if it changed (about 30 s when it did)…')
try {
  await buildNextApp()
} catch (error) {
  console.error(`demo:next: ${error.message}`)
  process.exit(1)
}

const supervisor = supervise('demo:next')
const { run, answering, failed } = supervisor
const waits = []
if (!external) waits.push(startFake(supervisor, APP_URL, settings))
// Settings are read by the app's server at request time (examples/next-app/app/settings.ts).
const next = run(
  'next',
  [
    'examples/next-app/node_modules/next/dist/bin/next',
    'start',
    'examples/next-app',
    '--port',
    new URL(APP_URL).port,
    '--hostname',
    'localhost',
  ],
  {
    NODE_ENV: 'production',
    NEXT_TELEMETRY_DISABLED: '1',
    KRATOS_URL: kratosUrl,
    EXPIRING_THRESHOLD: process.env.EXPIRING_THRESHOLD || settings.expiring,
    EARLIEST_POSSIBLE_EXTEND: settings.extendWindow,
  },
)
waits.push(answering(APP_URL, next))

try {
  await Promise.all(waits)
  printBanner(
    'session-keeper Next.js demo',
    APP_URL,
    settings,
    external ? [`Kratos at ${kratosUrl}`] : undefined,
  )
} catch (error) {
  failed(error)
}
