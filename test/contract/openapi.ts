// Schema harness for the contract tests: validates the fake's JSON bodies against Kratos's OpenAPI spec.
//
// `kratos-openapi.json` is a byte-identical copy of Kratos `spec/api.json` (OpenAPI 3.0.3) at
// github.com/ory/kratos b86338da04a040247a07f46100a86dcfb3875909 (v26.2.0-202-gb86338da0), see
// FACTS.md §0 and §8 and README.md beside this file. Where the spec and Kratos's code disagree, FACTS.md
// wins: those few schemas are patched in memory (`SPEC_PATCHES`, one documented patch per mismatch); the
// file itself stays untouched. The other mismatches of FACTS §8 (whoami 401 without id, the return_to
// error id, Bearer, extend 200 vs 204) are about values, not shapes: the tests assert them exactly.
import { readFileSync } from 'node:fs'
import Ajv, { type ErrorObject, type ValidateFunction } from 'ajv'
import addFormats from 'ajv-formats'
import { expect } from 'vitest'
import { JSON_ERROR } from './facts.js'
import type { ErrorJson, Reply } from './http.js'

type Json = null | boolean | number | string | Json[] | { [key: string]: Json }
type JsonObject = { [key: string]: Json }

interface OpenApiOperation {
  operationId?: string
  responses: Record<string, { $ref?: string; content?: Record<string, { schema?: { $ref?: string } }> }>
}

interface OpenApiSpec {
  openapi: string
  paths: Record<string, Record<string, OpenApiOperation>>
  components: { schemas: Record<string, JsonObject> }
}

export const spec: OpenApiSpec = JSON.parse(
  readFileSync(new URL('./kratos-openapi.json', import.meta.url), 'utf8'),
) as OpenApiSpec

const SPEC_ID = 'kratos-openapi.json'
const SCHEMA_PREFIX = '#/components/schemas/'

/**
 * OpenAPI 3.0 → JSON Schema for Ajv: `nullable` without a `type` (e.g. `nullJsonRawMessage`) means
 * "anything, null included", which Ajv refuses to compile, so that `nullable` is dropped. `nullable: true`
 * next to a `type` is understood by Ajv itself.
 */
function toJsonSchema(node: Json): Json {
  if (Array.isArray(node)) return node.map(toJsonSchema)
  if (node === null || typeof node !== 'object') return node
  const out: JsonObject = {}
  for (const [key, value] of Object.entries(node)) {
    if (key === 'nullable' && node.type === undefined) continue
    out[key] = toJsonSchema(value)
  }
  return out
}

/** A component schema name of the spec, e.g. `session`, `loginFlow`, `errorGeneric`. */
export type SchemaName = string

const specSchemas = toJsonSchema(spec.components.schemas as Json) as Record<string, JsonObject>

function component(name: string): JsonObject {
  const schema = specSchemas[name]
  if (!schema) throw new Error(`kratos-openapi.json has no components.schemas.${name}`)
  return schema
}

function withProperties(name: string, properties: JsonObject, extra: JsonObject = {}): JsonObject {
  const schema = component(name)
  return { ...schema, ...extra, properties: { ...(schema.properties as JsonObject), ...properties } }
}

/**
 * Where Kratos's real wire format (FACTS.md) differs from the spec, the schema is corrected here, one
 * documented patch per mismatch; everything else is validated exactly as the spec says. `validateRaw`
 * checks against the unpatched spec, which openapi.test.ts uses to show each mismatch is real.
 */
export const SPEC_PATCHES: Readonly<Record<string, { why: string; schema: JsonObject }>> = {
  errorBrowserLocationChangeRequired: {
    why:
      'FACTS §8.3/§2: `error` is typed `errorGeneric`, i.e. `{error: {error: {…}}}`, but Kratos sends ' +
      '`{error: genericError, redirect_browser_to}`.',
    schema: withProperties(
      'errorBrowserLocationChangeRequired',
      { error: { $ref: '#/components/schemas/genericError' } },
      { required: ['error', 'redirect_browser_to'] },
    ),
  },
  genericError: {
    why:
      'Not in FACTS §8 (found here): `details` is `{type: object, additionalProperties: false}`, so only `{}` ' +
      'passes, yet FACTS §1 shows the whoami 403 `session_aal2_required` with `details.redirect_browser_to` ' +
      "(herodot's `details` is a `map[string]interface{}`).",
    schema: withProperties('genericError', { details: { type: 'object' } }),
  },
  sessionDevice: {
    why:
      'Not in FACTS §8 (found here): `ip_address`, `user_agent` and `location` are plain strings in the spec, ' +
      'but FACTS §1 says "All are strings and may be null" (Go pointers).',
    schema: withProperties('sessionDevice', {
      ip_address: { type: 'string', nullable: true },
      user_agent: { type: 'string', nullable: true },
      location: { type: 'string', nullable: true },
    }),
  },
}

function newAjv(schemas: Record<string, JsonObject>): Ajv {
  const ajv = new Ajv({ strict: false, allErrors: true, verbose: true })
  addFormats(ajv)
  // Formats the spec uses that ajv-formats does not define.
  ajv.addFormat('uuid4', /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/i)
  for (const name of ['uint8', 'uint32', 'uint64']) {
    ajv.addFormat(name, { type: 'number', validate: (n: number) => Number.isInteger(n) && n >= 0 })
  }
  ajv.addSchema({ $id: SPEC_ID, components: { schemas } })
  return ajv
}

const patched = newAjv({
  ...specSchemas,
  ...Object.fromEntries(Object.entries(SPEC_PATCHES).map(([name, patch]) => [name, patch.schema])),
})
const raw = newAjv(specSchemas)

const compiled = new Map<string, ValidateFunction>()

function validatorFor(ajv: Ajv, name: SchemaName): ValidateFunction {
  if (!(name in specSchemas)) throw new Error(`openapi: the spec has no components.schemas.${name}`)
  const key = `${ajv === raw ? 'raw' : 'patched'}:${name}`
  let validate = compiled.get(key)
  if (!validate) {
    validate = ajv.compile({ $ref: `${SPEC_ID}${SCHEMA_PREFIX}${name}` })
    compiled.set(key, validate)
  }
  return validate
}

function formatErrors(name: SchemaName, errors: readonly ErrorObject[]): string {
  return errors
    .map((e) => {
      const where = e.instancePath || '(root)'
      const params = Object.keys(e.params).length ? ` ${JSON.stringify(e.params)}` : ''
      const got = e.data === undefined ? '' : ` — got ${JSON.stringify(e.data)?.slice(0, 200)}`
      return `  ${name}${where === '(root)' ? '' : where}: ${e.message}${params} [schema ${e.schemaPath}]${got}`
    })
    .join('\n')
}

/** Validates `body` against schema `name`; returns readable errors, or `null` when it is valid. */
export function validate(name: SchemaName, body: unknown): string | null {
  const check = validatorFor(patched, name)
  if (check(body)) return null
  return formatErrors(name, check.errors ?? [])
}

/** Like {@link validate} but against the spec as published, without {@link SPEC_PATCHES}. */
export function validateRaw(name: SchemaName, body: unknown): string | null {
  const check = validatorFor(raw, name)
  if (check(body)) return null
  return formatErrors(name, check.errors ?? [])
}

/** Throws with every Ajv error and the body when `body` does not match schema `name`. */
export function expectSchema(body: unknown, name: SchemaName): void {
  const errors = validate(name, body)
  if (errors !== null) {
    throw new Error(
      `Body does not match OpenAPI schema "${name}":\n${errors}\nBody: ${JSON.stringify(body, null, 2)?.slice(0, 4000)}`,
    )
  }
}

/** The operation with this `operationId`, with its method and path. */
export function operation(operationId: string): { method: string; path: string; op: OpenApiOperation } {
  for (const [path, methods] of Object.entries(spec.paths)) {
    for (const [method, op] of Object.entries(methods)) {
      if (op.operationId === operationId) return { method: method.toUpperCase(), path, op }
    }
  }
  throw new Error(`openapi: no operation "${operationId}" in the spec`)
}

/**
 * The component schema the spec declares for `operationId` answering `status` (falling back to `default`),
 * or `null` when that response has no body (`emptyResponse`).
 */
export function responseSchema(operationId: string, status: number): SchemaName | null {
  const { op } = operation(operationId)
  const response = op.responses[String(status)] ?? op.responses.default
  if (!response) throw new Error(`openapi: ${operationId} declares no ${status} and no default response`)
  if (response.$ref === '#/components/responses/emptyResponse') return null
  const ref = response.content?.['application/json']?.schema?.$ref
  if (!ref?.startsWith(SCHEMA_PREFIX)) {
    throw new Error(`openapi: ${operationId} ${status} has no application/json component schema`)
  }
  return ref.slice(SCHEMA_PREFIX.length)
}

/**
 * Validates a response body against what the spec declares for `operationId` and `status`, and returns the
 * schema name used. Fails when the spec declares no body for that status but one was sent.
 */
export function expectOperationBody(operationId: string, status: number, body: unknown): SchemaName | null {
  const name = responseSchema(operationId, status)
  if (name === null) {
    if (body !== undefined && body !== null && body !== '') {
      throw new Error(`${operationId} ${status} is declared without a body, got ${JSON.stringify(body)}`)
    }
    return null
  }
  expectSchema(body, name)
  return name
}

/**
 * Expects `reply` to be exactly Kratos's JSON error `body` for `operationId`: its status, content
 * type, `Ory-Error-Id` header, and a body the spec declares for that status.
 */
export function expectError(reply: Reply, operationId: string, body: unknown): void {
  expect(reply.status, reply.text).toBe((body as ErrorJson).error.code)
  expect(reply.headers.get('content-type')).toBe(JSON_ERROR)
  expectOperationBody(operationId, reply.status, reply.body)
  expect(reply.body).toStrictEqual(body)
  expect(reply.headers.get('ory-error-id')).toBe((body as ErrorJson).error.id ?? '')
}
