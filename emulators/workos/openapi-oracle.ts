// Test support: checks what the emulator sends against WorkOS's own OpenAPI specification (@workos/openapi-spec).
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { Ajv2020, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormatsPlugin from 'ajv-formats';
import { parse } from 'yaml';
import { matchDeviation, type SpecDeviation } from './spec-deviations';

/** One thing the emulator sent that WorkOS's spec does not allow (and no listed deviation explains). */
export interface SpecViolation {
  /** `POST /user_management/authenticate 400` or `event authentication.mfa_succeeded`. */
  readonly where: string;
  /** JSON pointer into the body (`''` for the body itself). */
  readonly instancePath: string;
  /** The JSON-Schema keyword that failed, e.g. `required`, `unevaluatedProperties`, `const`. */
  readonly keyword: string;
  readonly message: string;
}

/** A response as the emulator wrote it. */
export interface ObservedResponse {
  readonly method: string;
  /** URL path, e.g. `/auth/challenges/auth_challenge_01…/verify`. */
  readonly path: string;
  readonly status: number;
  readonly contentType: string | null;
  readonly body: string;
}

type Schema = Record<string, unknown>;
type Spec = {
  paths: Record<
    string,
    Record<
      string,
      {
        responses?: Record<string, { content?: Record<string, { schema?: Schema }> }>;
        requestBody?: { content?: Record<string, { schema?: Schema }> };
      }
    >
  >;
  components: { schemas: Record<string, Schema> };
};

const SPEC_ID = 'https://workos.test/openapi-spec';
const OPEN_SPEC_ID = 'https://workos.test/openapi-spec-open';
const HTTP_METHODS = new Set(['get', 'post', 'put', 'patch', 'delete']);

/**
 * WorkOS's schemas leave `additionalProperties` open almost everywhere, so an invented field would pass unseen.
 * For successful responses and events the oracle closes every object schema (`unevaluatedProperties: false`,
 * which sees through `allOf`/`oneOf`) except the members of an `allOf` (their siblings add properties): the
 * emulator may send only what the spec names. Error bodies stay open: spec 0.1.0 often documents only `message`,
 * while the SDK reads `code`, `errors` and `error_description` from any error. References move to one absolute
 * document so inline path schemas resolve them too; duplicate `required` entries (a defect of spec 0.1.0) are
 * dropped so the schemas pass Ajv's meta-schema check.
 */
function prepare(node: unknown, close: boolean, inAllOf = false): unknown {
  if (Array.isArray(node)) return node.map((item) => prepare(item, close));
  if (typeof node !== 'object' || node === null) return node;
  const out: Schema = {};
  for (const [key, value] of Object.entries(node)) {
    if (key === '$ref' && typeof value === 'string')
      out.$ref = value.replace('#/components/schemas/', `${close ? SPEC_ID : OPEN_SPEC_ID}#/$defs/`);
    else if (key === 'allOf' && Array.isArray(value)) out.allOf = value.map((member) => prepare(member, close, true));
    else if (key === 'example' || key === 'examples') out[key] = value;
    // The spec repeats names in a few `required` lists (e.g. `ConnectionList`), which the meta-schema forbids.
    else if (key === 'required' && Array.isArray(value)) out.required = [...new Set(value)];
    else out[key] = prepare(value, close);
  }
  const objectLike = 'properties' in out || 'allOf' in out || 'oneOf' in out || 'anyOf' in out;
  const open = 'additionalProperties' in out || 'unevaluatedProperties' in out || 'patternProperties' in out;
  if (close && objectLike && !open && !inAllOf && out.type !== 'array') out.unevaluatedProperties = false;
  return out;
}

function loadSpec(): Spec {
  const require = createRequire(import.meta.url);
  return parse(readFileSync(require.resolve('@workos/openapi-spec/spec'), 'utf8')) as Spec;
}

/** A spec path template as a matcher; literal segments beat `{param}` ones. */
function compileTemplate(template: string): { template: string; pattern: RegExp; params: number } {
  const pattern = new RegExp(`^${template.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\{[^}]+\}/g, '[^/]+')}$`);
  return { template, pattern, params: (template.match(/\{/g) ?? []).length };
}

/** The `code` (or OAuth `error`) of a JSON error body, for naming an undocumented answer. */
function errorCode(raw: string): string {
  try {
    const body = JSON.parse(raw) as Record<string, unknown>;
    return String(body.code ?? body.error ?? 'no code');
  } catch {
    return 'not JSON';
  }
}

/** The value at a JSON pointer of `body` (for naming what a failed alternative held). */
function at(body: unknown, pointer: string): unknown {
  let node = body;
  for (const part of pointer.split('/').slice(1))
    node =
      typeof node === 'object' && node !== null
        ? (node as Record<string, unknown>)[part.replace(/~1/g, '/').replace(/~0/g, '~')]
        : undefined;
  return node;
}

/**
 * Ajv's errors as violations. A failed `oneOf`/`anyOf` becomes one violation naming the value's `code`/`error`
 * (its branches' own complaints would only list every alternative that did not fit).
 */
function describeErrors(
  errors: readonly ErrorObject[] | null | undefined,
  body: unknown,
): Array<Pick<SpecViolation, 'instancePath' | 'keyword' | 'message'>> {
  const all = errors ?? [];
  const alternatives = all
    .filter((e) => e.keyword === 'oneOf' || e.keyword === 'anyOf')
    .map((e) => e.schemaPath.replace(/\/(oneOf|anyOf)$/, ''));
  const inside = (e: ErrorObject) =>
    alternatives.some((path) => e.schemaPath.startsWith(`${path}/`) && !/\/(oneOf|anyOf)$/.test(e.schemaPath));
  return all
    .filter((e) => !inside(e))
    .map((e) => {
      const value = at(body, e.instancePath) as Record<string, unknown> | undefined;
      const detail =
        e.keyword === 'unevaluatedProperties'
          ? String((e.params as { unevaluatedProperty?: string }).unevaluatedProperty)
          : e.keyword === 'oneOf' || e.keyword === 'anyOf'
            ? String(value?.code ?? value?.error ?? 'no code')
            : undefined;
      return {
        instancePath: e.instancePath,
        keyword: e.keyword,
        message: `${e.message ?? 'invalid'}${detail === undefined ? '' : ` (${detail})`}`,
      };
    });
}

/** Validates emulator responses and webhook payloads against WorkOS's OpenAPI spec, minus the listed deviations. */
export interface OpenApiOracle {
  /** Violations of one HTTP response (none for routes the spec does not describe, e.g. the hosted page's form). */
  checkResponse(response: ObservedResponse): SpecViolation[];
  /** Violations of one webhook payload (`{ id, event, data, created_at, object }`). */
  checkEvent(payload: unknown): SpecViolation[];
  /** Violations of an `auditLogs.createEvent` request body's `event` against the spec's request schema. */
  checkAuditLogEvent(event: unknown): SpecViolation[];
}

/**
 * Builds the oracle (parses the 1 MB spec once; schemas compile on first use).
 * Validation is Ajv's (JSON Schema 2020-12, the dialect of OpenAPI 3.1) with ajv-formats for `date-time` & co.
 */
export function createOpenApiOracle(deviations: readonly SpecDeviation[]): OpenApiOracle {
  const spec = loadSpec();
  // `strict: false`: the spec carries OpenAPI and vendor annotations (`example`, `discriminator`, `x-*`) that are not JSON Schema.
  const ajv = new Ajv2020({ strict: false, allErrors: true, validateFormats: true });
  (addFormatsPlugin as unknown as (a: Ajv2020) => void)(ajv);
  ajv.addSchema({ $id: SPEC_ID, $defs: prepare(spec.components.schemas, true) as Schema });
  ajv.addSchema({ $id: OPEN_SPEC_ID, $defs: prepare(spec.components.schemas, false) as Schema });
  const templates = Object.keys(spec.paths)
    .map(compileTemplate)
    .sort((a, b) => a.params - b.params);
  const compiled = new Map<string, ValidateFunction>();

  function validator(key: string, schema: Schema, close: boolean): ValidateFunction {
    let validate = compiled.get(key);
    if (validate === undefined) {
      validate = ajv.compile(prepare(schema, close) as Schema);
      compiled.set(key, validate);
    }
    return validate;
  }

  function filtered(
    where: string,
    found: Array<Pick<SpecViolation, 'instancePath' | 'keyword' | 'message'>>,
  ): SpecViolation[] {
    return found.map((f) => ({ where, ...f })).filter((v) => matchDeviation(deviations, v) === undefined);
  }

  const eventSchemas = new Map<string, Schema>();
  const eventSchema = spec.components.schemas.EventSchema as { allOf?: Array<{ oneOf?: Schema[] }> } | undefined;
  for (const member of eventSchema?.allOf ?? []) {
    for (const branch of member.oneOf ?? []) {
      const variants = (branch.allOf as Schema[] | undefined) ?? [branch];
      for (const variant of variants) {
        const name = (variant.properties as Record<string, { const?: string }> | undefined)?.event?.const;
        if (name !== undefined) eventSchemas.set(name, branch);
      }
    }
  }

  return {
    checkResponse(response) {
      const method = response.method.toLowerCase();
      if (!HTTP_METHODS.has(method)) return [];
      const match = templates.find(
        (t) => t.pattern.test(response.path) && spec.paths[t.template]?.[method] !== undefined,
      );
      if (match === undefined) return [];
      const operation = spec.paths[match.template]![method]!;
      const where = `${response.method} ${match.template} ${response.status}`;
      const declared = operation.responses?.[String(response.status)] ?? operation.responses?.default;
      if (declared === undefined) {
        const message = `status ${response.status} is not among the documented ${Object.keys(operation.responses ?? {}).join(', ')} (${errorCode(response.body)})`;
        return filtered(where, [{ instancePath: '', keyword: 'status', message }]);
      }
      const schema = declared.content?.['application/json']?.schema;
      if (schema === undefined) return [];
      if (!(response.contentType ?? '').includes('application/json'))
        return filtered(where, [
          {
            instancePath: '',
            keyword: 'content-type',
            message: `expected application/json, got ${response.contentType}`,
          },
        ]);
      let body: unknown;
      try {
        body = JSON.parse(response.body);
      } catch {
        return filtered(where, [{ instancePath: '', keyword: 'json', message: 'body is not JSON' }]);
      }
      const success = response.status >= 200 && response.status < 300;
      const validate = validator(`${method} ${match.template} ${response.status}`, schema, success);
      return validate(body) ? [] : filtered(where, describeErrors(validate.errors, body));
    },
    checkEvent(payload) {
      const name = typeof payload === 'object' && payload !== null ? (payload as { event?: unknown }).event : undefined;
      const where = `event ${String(name)}`;
      const schema = typeof name === 'string' ? eventSchemas.get(name) : undefined;
      if (schema === undefined)
        return filtered(where, [
          { instancePath: '/event', keyword: 'event', message: 'no event of this name in the spec' },
        ]);
      const validate = validator(where, schema, true);
      return validate(payload) ? [] : filtered(where, describeErrors(validate.errors, payload));
    },
    checkAuditLogEvent(event) {
      const schema = spec.components.schemas.AuditLogEventDto;
      if (schema === undefined) throw new Error('the spec has no AuditLogEventDto');
      const validate = validator('AuditLogEventDto', { $ref: '#/components/schemas/AuditLogEventDto' }, true);
      return validate(event) ? [] : filtered('request AuditLogEventDto', describeErrors(validate.errors, event));
    },
  };
}
