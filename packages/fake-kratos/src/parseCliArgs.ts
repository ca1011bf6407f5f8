import { parseArgs } from 'node:util'
import { parseDuration } from '@session-keeper/core'
import type { FakeKratosOptions } from './options.js'

/** Thrown for a bad command line; the CLI prints the message and exits 2. */
export class CliUsageError extends Error {
  override name = 'CliUsageError' as const
}

/** `--help` text; every flag maps to a Kratos config key. */
export const CLI_USAGE = `Usage: fake-kratos [flags]

A server that answers like Ory Kratos, for demos and tests. Durations use Ory's format (1h, 15m, 720h0m0s, 250ms).

  --port <n>                        port to listen on (default 4433; 0 picks a free one)
  --host <name>                     interface to listen on (default localhost)
  --public-url <url>                serve.public.base_url (default http://<host>:<port>)
  --lifespan <duration>             session.lifespan (default 24h)
  --earliest-possible-extend <d>    session.earliest_possible_extend (default: the lifespan)
  --privileged-max-age <duration>   selfservice.flows.settings.privileged_session_max_age (default 1h)
  --required-aal <aal>              session.whoami.required_aal: aal1 | highest_available (default highest_available)
  --cors-origin <origin>            enable CORS for this origin (repeat or comma-separate; * allows any)
  --expose-headers <list>           CORS exposed headers, comma-separated (default Content-Type)
  --allowed-return-url <url>        selfservice.allowed_return_urls entry (repeatable)
  --default-return-url <url>        selfservice.default_browser_return_url
  --faster-session-extend           admin extend answers 204 instead of 200 + Session
  --api-key <key>                   require Authorization: Bearer <key> on /admin/*
  --cacheable-sessions [<max-age>]  send Ory-Session-Cache-For (default max age 2m30s)
  --refresh-creates-new-session     a refresh login makes a new session id, as social sign-in does
  --cookie-name <name>              session.cookie.name (default ory_kratos_session)
  --cookie-domain <domain>          cookies.domain: Domain attribute of the cookies (default host-only)
  -h, --help                        show this help

Control API (JSON) under /__fake/: clock, faults, sessions, stats. See docs/06-testing.md.`

const FLAGS = {
  port: { type: 'string' },
  host: { type: 'string' },
  'public-url': { type: 'string' },
  lifespan: { type: 'string' },
  'earliest-possible-extend': { type: 'string' },
  'privileged-max-age': { type: 'string' },
  'required-aal': { type: 'string' },
  'cors-origin': { type: 'string', multiple: true },
  'expose-headers': { type: 'string' },
  'allowed-return-url': { type: 'string', multiple: true },
  'default-return-url': { type: 'string' },
  'faster-session-extend': { type: 'boolean' },
  'api-key': { type: 'string' },
  'cacheable-sessions': { type: 'boolean' },
  'refresh-creates-new-session': { type: 'boolean' },
  'cookie-name': { type: 'string' },
  'cookie-domain': { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const

/**
 * Turns the fake-kratos command line into {@link FakeKratosOptions}. Every bad or unknown flag
 * throws a {@link CliUsageError} that names it, so a typo never starts a misconfigured server.
 *
 * @example
 * parseCliArgs(['--port', '4433', '--lifespan', '1h'])
 * // { help: false, options: { port: 4433, lifespan: 3_600_000, requiredAal: 'highest_available', ... } }
 */
export function parseCliArgs(argv: readonly string[]): { help: boolean; options: FakeKratosOptions } {
  // `--cacheable-sessions` takes an optional value, which parseArgs cannot express: split it off.
  const args: string[] = []
  let cacheMaxAge: string | undefined
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string
    if (arg.startsWith('--cacheable-sessions=')) {
      cacheMaxAge = arg.slice('--cacheable-sessions='.length)
      args.push('--cacheable-sessions')
    } else if (arg === '--cacheable-sessions' && argv[i + 1] !== undefined && !argv[i + 1]?.startsWith('-')) {
      cacheMaxAge = argv[++i]
      args.push(arg)
    } else {
      args.push(arg)
    }
  }

  let values: ReturnType<typeof parseArgs<{ args: string[]; options: typeof FLAGS; strict: true }>>['values']
  try {
    ;({ values } = parseArgs({ args, options: FLAGS, strict: true, allowPositionals: false }))
  } catch (error) {
    throw new CliUsageError((error as Error).message.replace(/\. To specify a positional.*$/s, ''))
  }

  const duration = (flag: string, value: string | undefined) => {
    if (value === undefined) return undefined
    try {
      return parseDuration(value)
    } catch (error) {
      throw new CliUsageError(`--${flag}: ${(error as Error).message}`)
    }
  }
  const url = (flag: string, value: string | undefined) => {
    if (value !== undefined && !/^https?:$/.test(URL.parse(value)?.protocol ?? '')) {
      throw new CliUsageError(`--${flag}: expected an absolute http(s) URL, got ${JSON.stringify(value)}`)
    }
    return value
  }
  const list = (values: readonly string[] | undefined) =>
    values
      ?.flatMap((value) => value.split(','))
      .map((value) => value.trim())
      .filter(Boolean)

  let port = 4433
  if (values.port !== undefined) {
    port = Number(values.port)
    if (!/^\d+$/.test(values.port) || port > 65_535) {
      throw new CliUsageError(`--port: expected an integer 0..65535, got ${JSON.stringify(values.port)}`)
    }
  }
  const requiredAal = values['required-aal']
  if (requiredAal !== undefined && requiredAal !== 'aal1' && requiredAal !== 'highest_available') {
    throw new CliUsageError(
      `--required-aal: expected aal1 or highest_available, got ${JSON.stringify(requiredAal)}`,
    )
  }
  const origins = list(values['cors-origin'])
  for (const origin of origins ?? []) if (origin !== '*') url('cors-origin', origin)
  const exposedHeaders = list(values['expose-headers'] === undefined ? undefined : [values['expose-headers']])
  if (exposedHeaders && !origins) throw new CliUsageError('--expose-headers: needs --cors-origin')
  if (values['api-key'] === '') throw new CliUsageError('--api-key: must not be empty')

  const options: FakeKratosOptions = { port }
  const set = <K extends keyof FakeKratosOptions>(key: K, value: FakeKratosOptions[K] | undefined) => {
    if (value !== undefined) options[key] = value
  }
  set('host', values.host)
  set('publicUrl', url('public-url', values['public-url']))
  set('lifespan', duration('lifespan', values.lifespan))
  set('earliestPossibleExtend', duration('earliest-possible-extend', values['earliest-possible-extend']))
  set('privilegedSessionMaxAge', duration('privileged-max-age', values['privileged-max-age']))
  set('requiredAal', requiredAal)
  if (origins) options.cors = exposedHeaders ? { origins, exposedHeaders } : { origins }
  set(
    'allowedReturnUrls',
    values['allowed-return-url']?.map((value) => url('allowed-return-url', value) as string),
  )
  set('defaultReturnUrl', url('default-return-url', values['default-return-url']))
  set('fasterSessionExtend', values['faster-session-extend'])
  set('apiKey', values['api-key'])
  if (values['cacheable-sessions']) {
    const maxAge = duration('cacheable-sessions', cacheMaxAge)
    options.cacheableSessions = maxAge === undefined ? true : { maxAge }
  }
  set('refreshCreatesNewSession', values['refresh-creates-new-session'])
  set('cookieName', values['cookie-name'])
  set('cookieDomain', values['cookie-domain'])
  return { help: values.help === true, options }
}
