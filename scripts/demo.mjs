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
import { buildCore } from './buildCore.mjs'
import { demoSettings, FAKE_URL, printBanner, startFake } from './demoKit.mjs'
import { supervise } from './supervise.mjs'

const APP_URL = 'http://localhost:5173'
const orySdkUrl = process.env.ORY_SDK_URL?.trim()
const external = orySdkUrl ? '/.ory' : process.env.VITE_KRATOS_URL?.trim()
const kratosUrl = external || FAKE_URL
const settings = demoSettings(external)

const supervisor = supervise('demo')
const { run, answering, failed } = supervisor

const waits = []
if (!external) waits.push(startFake(supervisor, APP_URL, settings))
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
    VITE_EXPIRING_THRESHOLD: process.env.VITE_EXPIRING_THRESHOLD || settings.expiring,
    VITE_EARLIEST_POSSIBLE_EXTEND: settings.extendWindow,
  },
)
waits.push(answering(APP_URL, vite))

try {
  await Promise.all(waits)
  const lines = orySdkUrl
    ? [`Ory project ${orySdkUrl}, proxied at ${APP_URL}/.ory`]
    : external && [`Kratos at ${kratosUrl}`]
  printBanner('session-keeper demo', APP_URL, settings, lines || undefined)
} catch (error) {
  failed(error)
}
