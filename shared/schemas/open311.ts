// Open311 GeoReport v2 (http://wiki.open311.org/GeoReport_v2), JSON format:
// the spec's own field names (snake_case) and shapes, so hotline systems and
// public reporting apps written against the standard plug in unchanged.
// Where this server is stricter than the spec, the field says why.
import { Type, type Static } from 'typebox';

/** The jurisdiction this endpoint serves (the New Area's admin code); jurisdiction_id may be omitted. */
export const OPEN311_JURISDICTION_ID = '321171';

const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(schema: T) => Type.Union([schema, Type.Null()]);
const W3cDateTime = Type.String({ format: 'date-time' });

/** Every error reply: an array of these, with the HTTP status 400 / 403 / 404 (429 when rate-limited). */
export const Open311Error = Type.Object({ code: Type.Integer(), description: Type.String() });
export const Open311Errors = Type.Array(Open311Error);
export type Open311Error = Static<typeof Open311Error>;

/** GET services.json: one per catalogue item. */
export const Open311Service = Type.Object({
  service_code: Type.String(),
  service_name: Type.String(),
  description: Type.String(),
  /** false: no service needs extra attributes (location, description and photo say it all). */
  metadata: Type.Boolean(),
  /** realtime: the service_request_id comes back at once. */
  type: Type.Union([Type.Literal('realtime'), Type.Literal('batch'), Type.Literal('blackbox')]),
  /** Comma separated. */
  keywords: Type.String(),
  group: Type.String(),
});
export type Open311Service = Static<typeof Open311Service>;
export const Open311ServiceList = Type.Array(Open311Service);

export const Open311Attribute = Type.Object({
  variable: Type.Boolean(),
  code: Type.String(),
  datatype: Type.String(),
  required: Type.Boolean(),
  datatype_description: Nullable(Type.String()),
  order: Type.Integer(),
  description: Type.String(),
  values: Type.Array(Type.Object({ key: Type.String(), name: Type.String() })),
});

/** GET services/{service_code}.json. */
export const Open311ServiceDefinition = Type.Object({
  service_code: Type.String(),
  attributes: Type.Array(Open311Attribute),
});
export type Open311ServiceDefinition = Static<typeof Open311ServiceDefinition>;

const JurisdictionQuery = { jurisdiction_id: Type.Optional(Type.String({ maxLength: 100 })) };

export const Open311ServicesQuery = Type.Object(JurisdictionQuery, { additionalProperties: false });
export const Open311ServiceParams = Type.Object({ service_code: Type.String({ maxLength: 40 }) }, { additionalProperties: false });

/**
 * POST requests.json, form-encoded (the spec) or JSON. `attribute[code]`
 * parameters are accepted and ignored (no service has attributes).
 */
export const Open311RequestBody = Type.Object(
  {
    api_key: Type.Optional(Type.String({ maxLength: 200 })),
    ...JurisdictionQuery,
    service_code: Type.String({ minLength: 1, maxLength: 40 }),
    /** Required here: this server has no geocoder for address_string / address_id alone. */
    lat: Type.Optional(Type.Number({ minimum: -90, maximum: 90 })),
    long: Type.Optional(Type.Number({ minimum: -180, maximum: 180 })),
    address_string: Type.Optional(Type.String({ maxLength: 150 })),
    address_id: Type.Optional(Type.String({ maxLength: 100 })),
    /** Accepted, not stored: an incident keeps only a reporter's name and phone (PIPL: no more than needed). */
    email: Type.Optional(Type.String({ format: 'email', maxLength: 254 })),
    device_id: Type.Optional(Type.String({ maxLength: 100 })),
    account_id: Type.Optional(Type.String({ maxLength: 100 })),
    first_name: Type.Optional(Type.String({ maxLength: 32 })),
    last_name: Type.Optional(Type.String({ maxLength: 32 })),
    phone: Type.Optional(Type.String({ pattern: '^\\+?[0-9-]{5,20}$' })),
    /** The spec allows 4,000 characters; an incident holds 2,000 with the address, hence 1,800. */
    description: Type.Optional(Type.String({ maxLength: 1800 })),
    media_url: Type.Optional(Type.String({ format: 'uri', pattern: '^https?://', maxLength: 500 })),
  },
  { additionalProperties: false, patternProperties: { '^attribute\\[': Type.Unknown() } },
);
export type Open311RequestBody = Static<typeof Open311RequestBody>;

export const Open311RequestCreated = Type.Object({
  service_request_id: Type.String(),
  service_notice: Nullable(Type.String()),
  account_id: Nullable(Type.String()),
});
export const Open311RequestCreatedList = Type.Array(Open311RequestCreated);
export type Open311RequestCreated = Static<typeof Open311RequestCreated>;

/** A list parameter may be repeated or comma delimited (both, even). */
const ListParam = Type.Array(Type.String({ maxLength: 2000 }), { maxItems: 100 });

export const Open311RequestsQuery = Type.Object(
  {
    api_key: Type.Optional(Type.String({ maxLength: 200 })),
    ...JurisdictionQuery,
    /** Overrides every other filter. */
    service_request_id: Type.Optional(ListParam),
    service_code: Type.Optional(ListParam),
    start_date: Type.Optional(W3cDateTime),
    end_date: Type.Optional(W3cDateTime),
    status: Type.Optional(ListParam),
  },
  { additionalProperties: false },
);
export type Open311RequestsQuery = Static<typeof Open311RequestsQuery>;

export const Open311RequestParams = Type.Object({ service_request_id: Type.String({ maxLength: 100 }) }, { additionalProperties: false });
export const Open311KeyQuery = Type.Object({ api_key: Type.Optional(Type.String({ maxLength: 200 })), ...JurisdictionQuery }, { additionalProperties: false });

/** GET requests.json / requests/{id}.json: public fields only, never the reporter. */
export const Open311Request = Type.Object({
  service_request_id: Type.String(),
  status: Type.Union([Type.Literal('open'), Type.Literal('closed')]),
  /** The detailed step of the handling loop (受理, 派遣, 处置中 ...). */
  status_notes: Nullable(Type.String()),
  service_name: Type.String(),
  service_code: Type.String(),
  /** The reporter's own words for reports made by the public (open311, QR code), phone and ID numbers masked; null for internal reports. */
  description: Nullable(Type.String()),
  agency_responsible: Nullable(Type.String()),
  service_notice: Nullable(Type.String()),
  requested_datetime: W3cDateTime,
  updated_datetime: W3cDateTime,
  expected_datetime: Nullable(W3cDateTime),
  /** Grid, community, town, New Area: most specific first, as the spec asks. */
  address: Type.String(),
  address_id: Nullable(Type.String()),
  zipcode: Nullable(Type.String()),
  lat: Type.Number(),
  long: Type.Number(),
  media_url: Nullable(Type.String()),
});
export type Open311Request = Static<typeof Open311Request>;
export const Open311RequestList = Type.Array(Open311Request);

/** GET /open311/discovery.json (the spec's Service Discovery). */
export const Open311Discovery = Type.Object({
  changeset: Type.String(),
  contact: Type.String(),
  key_service: Type.String(),
  endpoints: Type.Array(Type.Object({
    specification: Type.String(),
    url: Type.String(),
    changeset: Type.String(),
    type: Type.String(),
    formats: Type.Array(Type.String()),
  })),
});
