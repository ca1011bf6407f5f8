import { describe, expect, it } from 'vitest'
import { reauthReason } from '../reauthReason.js'
import {
  AAL2_REQUIRED,
  kratosResponse,
  kyHttpError,
  LOCATION_CHANGE_REQUIRED,
  REFRESH_REQUIRED,
} from './kratosErrors.js'

describe('reauthReason', () => {
  it.each([
    ['session_refresh_required', REFRESH_REQUIRED],
    ['session_aal2_required', AAL2_REQUIRED],
    ['browser_location_change_required', LOCATION_CHANGE_REQUIRED],
  ])('should recognise %s as a ky HTTPError, a Response and a parsed body', async (id, body) => {
    const expected = { id, redirectTo: body.redirect_browser_to }
    expect(await reauthReason(kyHttpError(body))).toEqual(expected)
    expect(await reauthReason(kratosResponse(body))).toEqual(expected)
    expect(await reauthReason(JSON.parse(JSON.stringify(body)))).toEqual(expected)
  })

  it('should leave the response body for the caller to read', async () => {
    const response = kratosResponse(REFRESH_REQUIRED)
    await reauthReason(response)
    expect(await response.json()).toEqual(REFRESH_REQUIRED)
  })

  it('should fall back to the Ory-Error-Id header when the body was already read', async () => {
    const error = kyHttpError(AAL2_REQUIRED)
    await error.response.text()
    expect(await reauthReason(error)).toEqual({ id: 'session_aal2_required', redirectTo: null })
  })

  it('should ignore other Kratos errors, other statuses and anything that is not a Kratos answer', async () => {
    const csrf = { error: { id: 'security_csrf_violation', code: 403 } }
    const inactive = { error: { id: 'session_inactive', code: 401 } }
    expect(await reauthReason(kratosResponse(csrf))).toBeNull()
    expect(await reauthReason(kratosResponse(inactive))).toBeNull()
    expect(await reauthReason(csrf)).toBeNull()
    // The right id under the wrong status is not Kratos speaking.
    expect(await reauthReason(new Response(JSON.stringify(REFRESH_REQUIRED), { status: 422 }))).toBeNull()
    expect(await reauthReason(new Response('<html>', { status: 403 }))).toBeNull()
    expect(await reauthReason(new TypeError('Failed to fetch'))).toBeNull()
    expect(await reauthReason(null)).toBeNull()
    expect(await reauthReason('session_refresh_required')).toBeNull()
  })
})
