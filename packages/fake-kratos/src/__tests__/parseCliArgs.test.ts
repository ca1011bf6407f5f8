import { describe, expect, it } from 'vitest'
import { CliUsageError, parseCliArgs } from '../parseCliArgs.js'

describe('parseCliArgs', () => {
  it('should default to port 4433 and nothing else', () => {
    expect(parseCliArgs([])).toEqual({ help: false, options: { port: 4433 } })
  })

  it('should map every flag of the issue to its option, durations in Ory format', () => {
    const { options } = parseCliArgs([
      '--port',
      '4455',
      '--lifespan',
      '1h',
      '--earliest-possible-extend',
      '1h',
      '--privileged-max-age',
      '15m',
      '--required-aal',
      'highest_available',
      '--cors-origin',
      'http://localhost:5173',
      '--expose-headers',
      'Date,Ory-Session-Cache-For',
      '--faster-session-extend',
      '--api-key',
      'KEY',
    ])
    expect(options).toEqual({
      port: 4455,
      lifespan: 3_600_000,
      earliestPossibleExtend: 3_600_000,
      privilegedSessionMaxAge: 900_000,
      requiredAal: 'highest_available',
      cors: { origins: ['http://localhost:5173'], exposedHeaders: ['Date', 'Ory-Session-Cache-For'] },
      fasterSessionExtend: true,
      apiKey: 'KEY',
    })
  })

  it('should accept repeated and comma-separated CORS origins and return URLs', () => {
    const { options } = parseCliArgs([
      '--cors-origin',
      'http://a.test,http://b.test',
      '--cors-origin=http://c.test',
      '--allowed-return-url',
      'http://a.test/app',
      '--allowed-return-url',
      'http://b.test/',
    ])
    expect(options.cors).toEqual({ origins: ['http://a.test', 'http://b.test', 'http://c.test'] })
    expect(options.allowedReturnUrls).toEqual(['http://a.test/app', 'http://b.test/'])
  })

  it.each([
    [['--cacheable-sessions'], true],
    [['--cacheable-sessions', '30s'], { maxAge: 30_000 }],
    [['--cacheable-sessions=1m'], { maxAge: 60_000 }],
  ])('should read %j as cacheableSessions %j', (argv, expected) => {
    expect(parseCliArgs(argv).options.cacheableSessions).toEqual(expected)
  })

  it('should not take the next flag as the cacheable max age', () => {
    const { options } = parseCliArgs(['--cacheable-sessions', '--port', '1'])
    expect(options).toEqual({ port: 1, cacheableSessions: true })
  })

  it('should map --cookie-name and --cookie-domain to the cookie options', () => {
    const { options } = parseCliArgs([
      '--cookie-name',
      'ory_session_playground',
      '--cookie-domain',
      'playground.projects.oryapis.com',
    ])
    expect(options).toEqual({
      port: 4433,
      cookieName: 'ory_session_playground',
      cookieDomain: 'playground.projects.oryapis.com',
    })
  })

  it('should report --help', () => {
    expect(parseCliArgs(['-h']).help).toBe(true)
    expect(parseCliArgs(['--help']).help).toBe(true)
  })

  it.each([
    [['--prot', '1'], /--prot/],
    [['--port', 'abc'], /--port: expected an integer/],
    [['--port', '70000'], /--port: expected an integer/],
    [['--lifespan', '1 hour'], /--lifespan: Invalid duration "1 hour"/],
    [['--privileged-max-age=-5m'], /--privileged-max-age: Invalid duration "-5m"/],
    [['--privileged-max-age', '-5m'], /--privileged-max-age/],
    [['--required-aal', 'aal2'], /--required-aal: expected aal1 or highest_available, got "aal2"/],
    [['--cors-origin', 'localhost:5173'], /--cors-origin: expected an absolute http\(s\) URL/],
    [['--public-url', 'javascript:alert(1)'], /--public-url: expected an absolute http\(s\) URL/],
    [['--expose-headers', 'Date'], /--expose-headers: needs --cors-origin/],
    [['--api-key', ''], /--api-key: must not be empty/],
    [['--port'], /--port/],
    [['stray'], /stray/],
    [['--cacheable-sessions', '2 minutes'], /--cacheable-sessions: Invalid duration/],
  ])('should refuse %j with a message naming the flag', (argv, message) => {
    expect(() => parseCliArgs(argv)).toThrow(CliUsageError)
    expect(() => parseCliArgs(argv)).toThrow(message)
  })
})
