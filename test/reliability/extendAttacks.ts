// Issue 14 part 7: the forged and cross-site requests the extend handler must refuse, each as
// a browser or an attacker's client would send it to https://app.example.com/api/session/extend
// with the victim's cookie, and the status and error id it must get. None may reach Kratos.

export const APP = 'https://app.example.com'
export const EXTEND_URL = `${APP}/api/session/extend`

/** One forged request: what it is, how it is sent, and the refusal it must get. */
export interface Attack {
  name: string
  method?: string
  headers: Record<string, string>
  body?: string
  status: 403 | 405
  id: 'cross_site_request' | 'method_not_allowed'
}

const FORM = 'application/x-www-form-urlencoded'
const CROSS_SITE = 403
const crossSite = (name: string, headers: Record<string, string>, body?: string): Attack => ({
  name,
  headers,
  body,
  status: CROSS_SITE,
  id: 'cross_site_request',
})

/** `Sec-Fetch-Site` saying the request did not come from the app's own pages. */
const fetchSite: Attack[] = [
  crossSite('Sec-Fetch-Site: cross-site, foreign Origin', {
    'sec-fetch-site': 'cross-site',
    origin: 'https://evil.example',
  }),
  crossSite('Sec-Fetch-Site: cross-site, no Origin', { 'sec-fetch-site': 'cross-site' }),
  crossSite("Sec-Fetch-Site: cross-site with the app's own Origin (forged Origin)", {
    'sec-fetch-site': 'cross-site',
    origin: APP,
  }),
  crossSite('Sec-Fetch-Site: none (typed or bookmarked, never a page script)', { 'sec-fetch-site': 'none' }),
  crossSite('Sec-Fetch-Site: two values merged', { 'sec-fetch-site': 'same-origin, cross-site' }),
  crossSite('Sec-Fetch-Site: mixed case', { 'sec-fetch-site': 'Same-Origin' }),
  crossSite('Sec-Fetch-Site: empty', { 'sec-fetch-site': '' }),
  crossSite(
    'Sec-Fetch-Site: cross-site form POST',
    { 'sec-fetch-site': 'cross-site', 'content-type': FORM },
    'a=1',
  ),
]

/** No `Sec-Fetch-Site` (an older browser, or a proxy that drops it) and an Origin that is not the app's. */
const origins: Attack[] = [
  crossSite('foreign Origin', { origin: 'https://evil.example' }),
  crossSite('Origin: null (sandboxed frame, data: URL)', { origin: 'null' }),
  crossSite('look-alike Origin (suffix)', { origin: 'https://app.example.com.evil.example' }),
  crossSite('look-alike Origin (prefix)', { origin: 'https://evilapp.example.com' }),
  crossSite('Origin with http: (scheme downgrade)', { origin: 'http://app.example.com' }),
  crossSite('Origin with another port', { origin: 'https://app.example.com:8443' }),
  crossSite('Origin in upper case (browsers never send it)', { origin: 'HTTPS://APP.EXAMPLE.COM' }),
  crossSite('Origin with a trailing slash', { origin: `${APP}/` }),
  crossSite('Origin with userinfo', { origin: 'https://app.example.com@evil.example' }),
]

/**
 * The bodies a cross-site page can POST without a CORS preflight (HTML forms, `sendBeacon`,
 * `no-cors` fetch): form-encoded, multipart and text/plain. From a browser that sends neither
 * `Sec-Fetch-Site` nor `Origin` (Firefox before 70 on form POSTs), they carry the victim's cookie.
 */
const simpleBodies: Attack[] = [
  crossSite('form-encoded POST, no Origin', { 'content-type': FORM }, 'extend=1'),
  crossSite('form-encoded POST, odd case and charset', {
    'content-type': 'Application/X-WWW-Form-Urlencoded; charset=UTF-8',
  }),
  crossSite('multipart form POST, no Origin', { 'content-type': 'multipart/form-data; boundary=x' }, '--x--'),
  crossSite('text/plain POST, no Origin', { 'content-type': 'text/plain' }, 'extend'),
  crossSite('text/plain POST with charset, no Origin', { 'content-type': 'text/plain;charset=UTF-8' }, '{}'),
  crossSite('text/plain POST, foreign Origin', {
    'content-type': 'text/plain',
    origin: 'https://evil.example',
  }),
  crossSite('form-encoded POST, Origin: null', { 'content-type': FORM, origin: 'null' }, 'a=1'),
]

/** Anything but POST, even from the app's own pages. */
const methods: Attack[] = ['GET', 'PUT', 'PATCH', 'DELETE', 'OPTIONS', 'HEAD', 'PROPFIND'].map((method) => ({
  name: `${method} from the app's own page`,
  method,
  headers: { 'sec-fetch-site': 'same-origin', origin: APP },
  status: 405,
  id: 'method_not_allowed',
}))

/** Every forged request of the suite. */
export const ATTACKS: readonly Attack[] = [...fetchSite, ...origins, ...simpleBodies, ...methods]
