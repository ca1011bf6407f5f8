// The schema harness itself: that it reads the spec the way the other tests rely on, that it can fail, and
// that the spec mismatches of FACTS.md §8 are real (the spec rejects Kratos's actual bodies).
import { describe, expect, it } from 'vitest'
import {
  aal2Required,
  browserLocationChangeRequired,
  NOT_FOUND,
  returnToForbidden,
  SESSION_INACTIVE,
  sessionRefreshRequired,
  WHOAMI_401,
} from './facts.js'
import {
  expectSchema,
  operation,
  responseSchema,
  SPEC_PATCHES,
  spec,
  validate,
  validateRaw,
} from './openapi.js'

const PUBLIC = 'https://kratos.example.test'
const SESSION = {
  id: '65dea6f4-5d15-4e61-9eb7-f30190c0b2e2',
  active: true,
  expires_at: '2022-12-31T13:50:30.427292Z',
  authenticated_at: '2022-12-01T13:50:30.825516Z',
  authenticator_assurance_level: 'aal1',
  authentication_methods: [
    { method: 'password', aal: 'aal1', completed_at: '2022-12-01T13:50:30.427375604Z' },
  ],
  issued_at: '2022-12-01T13:50:30.427292Z',
  identity: {
    id: '969d7a6e-3c7e-4f5b-9b1e-4a0b5f9b2c11',
    schema_id: 'default',
    schema_url: `${PUBLIC}/schemas/ZGVmYXVsdA`,
    state: 'active',
    traits: { email: 'user@example.org' },
    metadata_public: null,
    created_at: '2022-12-01T13:50:30.427292Z',
    updated_at: '2022-12-01T13:50:30.427292Z',
  },
  devices: [
    {
      id: '592515ee-6c71-4d3c-9a1d-3f3f0b4a4f6e',
      ip_address: null,
      user_agent: 'Mozilla/5.0',
      location: null,
    },
  ],
}

describe('openapi harness', () => {
  it('should load the OpenAPI 3.0.3 spec copied from Kratos b86338da04a0 (FACTS §0)', () => {
    expect(spec.openapi).toBe('3.0.3')
    expect(Object.keys(spec.components.schemas).length).toBeGreaterThan(100)
  })

  it.each<[string, string, string, number, string | null]>([
    ['toSession', 'GET', '/sessions/whoami', 200, 'session'],
    ['toSession', 'GET', '/sessions/whoami', 401, 'errorGeneric'],
    ['toSession', 'GET', '/sessions/whoami', 403, 'errorGeneric'],
    ['createBrowserLoginFlow', 'GET', '/self-service/login/browser', 200, 'loginFlow'],
    ['createBrowserLoginFlow', 'GET', '/self-service/login/browser', 303, null],
    ['createBrowserLoginFlow', 'GET', '/self-service/login/browser', 400, 'errorGeneric'],
    ['createBrowserLoginFlow', 'GET', '/self-service/login/browser', 401, 'errorGeneric'],
    ['createNativeLoginFlow', 'GET', '/self-service/login/api', 200, 'loginFlow'],
    ['getLoginFlow', 'GET', '/self-service/login/flows', 200, 'loginFlow'],
    ['getLoginFlow', 'GET', '/self-service/login/flows', 404, 'errorGeneric'],
    ['updateLoginFlow', 'POST', '/self-service/login', 200, 'successfulNativeLogin'],
    ['updateLoginFlow', 'POST', '/self-service/login', 400, 'loginFlow'],
    ['updateLoginFlow', 'POST', '/self-service/login', 403, 'errorGeneric'],
    ['updateLoginFlow', 'POST', '/self-service/login', 410, 'errorGeneric'],
    ['updateLoginFlow', 'POST', '/self-service/login', 422, 'errorBrowserLocationChangeRequired'],
    ['createBrowserLogoutFlow', 'GET', '/self-service/logout/browser', 200, 'logoutFlow'],
    ['createBrowserLogoutFlow', 'GET', '/self-service/logout/browser', 401, 'errorGeneric'],
    ['updateLogoutFlow', 'GET', '/self-service/logout', 204, null],
    ['updateLogoutFlow', 'GET', '/self-service/logout', 303, null],
    ['updateLogoutFlow', 'GET', '/self-service/logout', 400, 'errorGeneric'],
    ['performNativeLogout', 'DELETE', '/self-service/logout/api', 204, null],
    ['performNativeLogout', 'DELETE', '/self-service/logout/api', 403, 'errorGeneric'],
    ['extendSession', 'PATCH', '/admin/sessions/{id}/extend', 200, 'session'],
    ['extendSession', 'PATCH', '/admin/sessions/{id}/extend', 204, null],
    ['extendSession', 'PATCH', '/admin/sessions/{id}/extend', 404, 'errorGeneric'],
    ['getSession', 'GET', '/admin/sessions/{id}', 200, 'session'],
    ['createBrowserSettingsFlow', 'GET', '/self-service/settings/browser', 200, 'settingsFlow'],
    ['createBrowserSettingsFlow', 'GET', '/self-service/settings/browser', 401, 'errorGeneric'],
    ['getSettingsFlow', 'GET', '/self-service/settings/flows', 200, 'settingsFlow'],
    ['updateSettingsFlow', 'POST', '/self-service/settings', 200, 'settingsFlow'],
    ['updateSettingsFlow', 'POST', '/self-service/settings', 403, 'errorGeneric'],
  ])('should read %s (%s %s) %i as %s', (operationId, method, path, status, schema) => {
    const found = operation(operationId)
    expect([found.method, found.path]).toStrictEqual([method, path])
    expect(responseSchema(operationId, status)).toBe(schema)
  })

  it('should fail with readable Ajv errors naming the path and the rule', () => {
    const errors = validate('session', { ...SESSION, id: 42, authenticator_assurance_level: 'aal9' })
    expect(errors).toContain('session/id: must be string')
    expect(errors).toContain(
      'session/authenticator_assurance_level: must be equal to one of the allowed values',
    )
    expect(() => expectSchema({}, 'loginFlow')).toThrow(/must have required property 'id'/)
    expect(() => validate('noSuchSchema', {})).toThrow(/no components.schemas.noSuchSchema/)
  })

  it('should accept the FACTS §1 Session example, null device fields included (patched)', () => {
    expectSchema(SESSION, 'session')
  })

  it.each<[string, unknown, string]>([
    ['the whoami 401 (no id, §8.1)', WHOAMI_401, 'errorGeneric'],
    ['the return_to 400 (§8.2)', returnToForbidden('https://evil.example'), 'errorGeneric'],
    ['the logout 401', SESSION_INACTIVE, 'errorGeneric'],
    ['the extend 404', NOT_FOUND, 'errorGeneric'],
    [
      'the settings 403',
      sessionRefreshRequired(`${PUBLIC}/self-service/login/browser?refresh=true`),
      'needsPrivilegedSessionError',
    ],
    [
      'the whoami 403 (patched genericError.details)',
      aal2Required(PUBLIC),
      'errorAuthenticatorAssuranceLevelNotSatisfied',
    ],
    [
      'the login 422 (patched, §8.3)',
      browserLocationChangeRequired(`${PUBLIC}/self-service/login/browser?aal=aal2`),
      'errorBrowserLocationChangeRequired',
    ],
  ])('should accept FACTS body %s', (_, body, schema) => {
    expectSchema(body, schema)
  })

  it.each<[string, unknown, string, RegExp]>([
    [
      "the spec's double-nested errorBrowserLocationChangeRequired rejects Kratos's real 422 (§8.3)",
      browserLocationChangeRequired(`${PUBLIC}/self-service/login/browser?aal=aal2`),
      'errorBrowserLocationChangeRequired',
      /errorBrowserLocationChangeRequired\/error: must have required property 'error'/,
    ],
    [
      "the spec's genericError.details (additionalProperties: false) rejects the whoami 403's details",
      aal2Required(PUBLIC),
      'errorAuthenticatorAssuranceLevelNotSatisfied',
      /\/error\/details: must NOT have additional properties/,
    ],
    [
      "the spec's sessionDevice rejects null ip_address/location (FACTS §1: may be null)",
      SESSION,
      'session',
      /session\/devices\/0\/ip_address: must be string/,
    ],
  ])('should show the spec mismatch patched in SPEC_PATCHES: %s', (_, body, schema, message) => {
    expect(validateRaw(schema, body)).toMatch(message)
    expect(validate(schema, body)).toBeNull()
  })

  it('should patch exactly the documented schemas', () => {
    expect(Object.keys(SPEC_PATCHES).sort()).toStrictEqual([
      'errorBrowserLocationChangeRequired',
      'genericError',
      'sessionDevice',
    ])
  })
})
