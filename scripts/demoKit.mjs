// What `pnpm demo` (demo.mjs) and `pnpm demo:next` (demoNext.mjs) share: their knobs, the fake
// Kratos they start, and the banner they print once everything answers.

/** Where both demos start fake-kratos: run one demo at a time. */
export const FAKE_URL = 'http://localhost:4433'

/**
 * The knobs both demos read: DEMO_LIFESPAN (the fake's session lifespan, default 10m),
 * DEMO_EXPIRING (the app's warning before the end, 3m), DEMO_EXTEND_WINDOW (Kratos's
 * earliest_possible_extend: activity in the app's last window extends the session through its
 * backend route; 5m, none against a real project, which has its own), DEMO_KRATOS_FLAGS (more
 * fake-kratos flags, e.g. "--privileged-max-age 2m").
 */
export function demoSettings(external) {
  const env = (name) => process.env[name]?.trim()
  return {
    lifespan: env('DEMO_LIFESPAN') || '10m',
    expiring: env('DEMO_EXPIRING') || '3m',
    extendWindow: env('DEMO_EXTEND_WINDOW') || (external ? '' : '5m'),
    extraFlags: env('DEMO_KRATOS_FLAGS')?.split(/\s+/) ?? [],
  }
}

/** Starts fake-kratos for the app at `appUrl` under `supervisor`; resolves once it answers. */
export function startFake({ run, answering }, appUrl, { lifespan, extendWindow, extraFlags }) {
  const fake = run('fake-kratos', [
    '--conditions=@session-keeper/source',
    '--import',
    'tsx',
    'packages/fake-kratos/src/cli.ts',
    '--port',
    new URL(FAKE_URL).port,
    '--cors-origin',
    appUrl,
    '--expose-headers',
    'Content-Type,Date,Ory-Session-Cache-For',
    '--allowed-return-url',
    `${appUrl}/`,
    '--default-return-url',
    `${appUrl}/`,
    '--lifespan',
    lifespan,
    '--earliest-possible-extend',
    extendWindow,
    ...extraFlags,
  ])
  return answering(`${FAKE_URL}/sessions/whoami`, fake)
}

/** Prints the banner: `title` at `appUrl`, then `lines`, or the fake's accounts when `lines` is absent. */
export function printBanner(title, appUrl, { lifespan, expiring, extendWindow }, lines) {
  const shown = lines ?? [
    `fake Kratos at ${FAKE_URL} (sessions last ${lifespan}; the warning shows ${expiring} before the end;`,
    `  activity in the last ${extendWindow} extends the session through the app's /api/session/extend)`,
    'sign in as  user@example.com / password                 (no second factor)',
    '        or  mfa@example.com  / password + code 123456   (second factor)',
  ]
  console.log(
    `\n  ${title}: ${appUrl}/\n${shown.map((line) => `  ${line}\n`).join('')}  Ctrl-C stops both.\n`,
  )
}
