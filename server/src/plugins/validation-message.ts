// Turns Ajv's validation errors into one sentence a client developer can act
// on, naming the parameter ("unknown query parameter \"foo\"") instead of
// Ajv's "querystring must NOT have additional properties".
import type { FastifySchemaValidationError, SchemaErrorDataVar } from 'fastify/types/schema.js';

const PLACE: Record<string, string> = {
  querystring: 'query parameter',
  params: 'path parameter',
  body: 'field',
  headers: 'header',
};

function describeOne(error: FastifySchemaValidationError, all: FastifySchemaValidationError[], place: string): string {
  const path = error.instancePath.replace(/^\//, '').replace(/\//g, '.');
  const params = error.params as Record<string, unknown>;
  const named = (name: string) => `${place} "${name}"`;
  const subject = path ? named(path) : place === 'field' ? 'body' : place;
  switch (error.keyword) {
    case 'additionalProperties':
      return `unknown ${named(String(params.additionalProperty))}`;
    case 'required':
      return `missing required ${named([path, params.missingProperty].filter(Boolean).join('.'))}`;
    case 'type':
      return `${subject} must be ${params.type === 'integer' ? 'an integer' : `a ${params.type}`}`;
    case 'minimum':
    case 'maximum':
    case 'exclusiveMinimum':
    case 'exclusiveMaximum':
      return `${subject} ${error.message ?? 'is out of range'}`;
    case 'pattern':
      return `${subject} must match ${String(params.pattern)}`;
    case 'anyOf': {
      // A union of literals (e.g. kind): list the allowed values from its branches.
      const allowed = all
        .filter((e) => e.instancePath === error.instancePath && e.keyword === 'const')
        .map((e) => JSON.stringify((e.params as { allowedValue: unknown }).allowedValue));
      return allowed.length ? `${subject} must be one of ${allowed.join(', ')}` : `${subject} ${error.message ?? 'is invalid'}`;
    }
    case 'const':
      return `${subject} must be ${JSON.stringify(params.allowedValue)}`;
    case 'enum':
      return `${subject} must be one of ${(params.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ')}`;
    default:
      return `${subject} ${error.message ?? 'is invalid'}`;
  }
}

export function validationMessage(errors: FastifySchemaValidationError[], dataVar: SchemaErrorDataVar | string): string {
  const place = PLACE[dataVar] ?? dataVar;
  // Union branches report a `const` error each, then the `anyOf` itself: report the anyOf.
  const primary = errors.find((e) => e.keyword !== 'const') ?? errors[0];
  if (!primary) return `invalid ${place}`;
  return describeOne(primary, errors, place);
}
