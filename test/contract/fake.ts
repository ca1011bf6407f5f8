// Starting the fake and driving it through its HTTP control API (`/__fake/*`), with a frozen clock that
// only moves when a test moves it, so times in bodies and headers can be asserted exactly.

import { type FakeKratosOptions, startFakeKratos } from '@session-keeper/fake-kratos'
import { expect } from 'vitest'
import {
  bodyOf,
  CookieJar,
  csrfToken,
  type FlowJson,
  type NativeLoginJson,
  type Reply,
  request,
  type SessionJson,
} from './http.js'

export type { FakeKratosOptions }

/** Where every fake's clock starts. The base clock is frozen: only the control API moves it. */
export const START = Date.parse('2030-01-01T00:00:00.000Z')

export const SECOND = 1_000
export const MINUTE = 60 * SECOND
export const HOUR = 60 * MINUTE
export const DAY = 24 * HOUR

export const USER = { email: 'user@example.com', password: 'password' } as const
export const MFA = { email: 'mfa@example.com', password: 'password', totpCode: '123456' } as const

export const DEFAULT_COOKIE = 'ory_kratos_session'

export interface CreatedSession {
  session: SessionJson
  session_token: string
  /** `name=value` for a Cookie header. */
  cookie: string
}

type Server = Awaited<ReturnType<typeof startFakeKratos>>

export class Fake {
  /** The fake's time in epoch ms, as this harness moved it. */
  now = START

  private constructor(
    readonly server: Server,
    /** Base URL without a trailing slash; also `serve.public.base_url` unless `publicUrl` was given. */
    readonly url: string,
  ) {}

  static async start(options: FakeKratosOptions = {}): Promise<Fake> {
    const server = await startFakeKratos({ now: () => START, ...options })
    return new Fake(server, server.url.replace(/\/+$/, ''))
  }

  close(): Promise<void> {
    return this.server.close()
  }

  /** `url` + `path`. */
  at(path: string): string {
    return `${this.url}${path}`
  }

  private async control(method: string, path: string, json?: unknown): Promise<Reply> {
    const reply = await request(this.at(`/__fake${path}`), { method, json })
    if (reply.status < 200 || reply.status > 299) {
      throw new Error(`control API ${method} /__fake${path} answered ${reply.status}: ${reply.text}`)
    }
    return reply
  }

  /** Moves the fake's clock forward by `ms` (`POST /__fake/clock {"advance": ms}`). */
  async advance(ms: number): Promise<number> {
    await this.control('POST', '/clock', { advance: ms })
    this.now += ms
    return this.now
  }

  /** Sets the fake's clock (`POST /__fake/clock {"set": iso}`). */
  async setClock(at: number): Promise<number> {
    await this.control('POST', '/clock', { set: new Date(at).toISOString() })
    this.now = at
    return this.now
  }

  /**
   * Gives a test a clean slate: jumps the clock a week ahead (past every session and flow an earlier test
   * made, with the default 24h lifespan) and clears faults and stats.
   */
  async isolate(): Promise<void> {
    await this.advance(7 * DAY)
    await this.control('DELETE', '/faults')
    await this.control('DELETE', '/stats')
  }

  /** `POST /__fake/sessions {"identity": email, "aal"?}`. */
  async createSession(email: string, aal?: 'aal1' | 'aal2'): Promise<CreatedSession> {
    const reply = await this.control(
      'POST',
      '/sessions',
      aal ? { identity: email, aal } : { identity: email },
    )
    return bodyOf<CreatedSession>(reply)
  }

  /** `POST /__fake/sessions/{id}/revoke`. */
  async revoke(id: string): Promise<void> {
    await this.control('POST', `/sessions/${id}/revoke`)
  }

  /** A jar holding the created session's cookie. */
  static jarOf(created: CreatedSession): CookieJar {
    return new CookieJar().add(created.cookie)
  }

  whoami(
    options: { jar?: CookieJar; headers?: Record<string, string>; method?: string } = {},
  ): Promise<Reply> {
    return request(this.at('/sessions/whoami'), { ...options, accept: 'json' })
  }

  /** Creates a browser login flow as a SPA (`Accept: application/json`) and expects 200. */
  async browserLoginFlow(jar: CookieJar, query = ''): Promise<FlowJson> {
    const reply = await request(this.at(`/self-service/login/browser${query}`), { accept: 'json', jar })
    expect(reply.status, reply.text).toBe(200)
    return bodyOf<FlowJson>(reply)
  }

  /** Submits a password login to a browser flow as a SPA. */
  submitPassword(
    jar: CookieJar,
    flow: FlowJson,
    who: { email: string; password: string },
    extra: Record<string, string> = {},
  ): Promise<Reply> {
    return request(this.at(`/self-service/login?flow=${flow.id}`), {
      method: 'POST',
      accept: 'json',
      jar,
      json: {
        method: 'password',
        identifier: who.email,
        password: who.password,
        csrf_token: csrfToken(flow),
        ...extra,
      },
    })
  }

  /** Submits a TOTP code to a browser flow as a SPA. */
  submitTotp(jar: CookieJar, flow: FlowJson, code: string): Promise<Reply> {
    return request(this.at(`/self-service/login?flow=${flow.id}`), {
      method: 'POST',
      accept: 'json',
      jar,
      json: { method: 'totp', totp_code: code, csrf_token: csrfToken(flow) },
    })
  }

  /** A full SPA password login; returns the jar holding the session cookie and the login body. */
  async loginBrowser(
    who: { email: string; password: string },
    jar = new CookieJar(),
  ): Promise<{ jar: CookieJar; login: NativeLoginJson }> {
    const flow = await this.browserLoginFlow(jar)
    const reply = await this.submitPassword(jar, flow, who)
    expect(reply.status, reply.text).toBe(200)
    return { jar, login: bodyOf<NativeLoginJson>(reply) }
  }
}

/** The ISO time `ms` in epoch ms, compared by value (Go prints `…00Z`, JS `….000Z`). */
export function ms(iso: string | undefined): number {
  if (iso === undefined) throw new Error('expected a timestamp, got undefined')
  const value = Date.parse(iso)
  if (Number.isNaN(value)) throw new Error(`not a timestamp: ${iso}`)
  return value
}
