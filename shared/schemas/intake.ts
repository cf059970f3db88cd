// Chat-group intake (the "water, electricity, gas, road" robot): a message
// from a community's group chat comes in, is recognised as a catalogue item
// and filed as a report, or is kept for a duty officer to classify.
import { Type, type Static } from 'typebox';
import { Code } from './common.ts';
import { Incident, ItemCode } from './incident.ts';

export const INTAKE_STATUSES = [
  'filed', // recognised by the robot and filed as an incident
  'unclassified', // nothing recognised: waiting for a duty officer
  'classified', // a duty officer named the item and it was filed
  'dismissed', // a duty officer judged it needs no action (with a reason); kept, not deleted
] as const;
export type IntakeStatus = (typeof INTAKE_STATUSES)[number];
export const IntakeStatusSchema = Type.Enum(INTAKE_STATUSES);

export const PhoneNumber = Type.String({ pattern: '^\\+?[0-9-]{5,20}$' });

/** POST /api/v1/intake/messages: what the chat robot forwards. */
export const IntakeMessageBody = Type.Object(
  {
    /** The chat platform's message id: the same id twice is one message (a robot retrying). */
    messageId: Type.String({ minLength: 1, maxLength: 128, pattern: '^[\\x21-\\x7E]+$' }),
    text: Type.String({ minLength: 1, maxLength: 1000 }),
    sender: Type.Object(
      { name: Type.String({ minLength: 1, maxLength: 64 }), phone: Type.Optional(PhoneNumber) },
      { additionalProperties: false },
    ),
    /** The community whose group the message was posted in. */
    communityCode: Code,
    /** When it was posted in the group (the platform's time); receipt time when absent. */
    at: Type.Optional(Type.String({ format: 'date-time' })),
  },
  { additionalProperties: false },
);
export type IntakeMessageBody = Static<typeof IntakeMessageBody>;

export const IntakeMessage = Type.Object({
  id: Type.Integer(),
  messageId: Type.String(),
  text: Type.String(),
  sender: Type.Object({
    name: Type.String(),
    /** Masked (138****5678) unless the caller may read residents' contacts. */
    phone: Type.Union([Type.String(), Type.Null()]),
  }),
  communityCode: Code,
  townCode: Code,
  sentAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  receivedAt: Type.String({ format: 'date-time' }),
  status: IntakeStatusSchema,
  itemCode: Type.Union([ItemCode, Type.Null()]),
  /** The phrases the robot recognised it by (empty when a person classified it or nothing matched). */
  matched: Type.Array(Type.String()),
  incidentId: Type.Union([Type.String({ format: 'uuid' }), Type.Null()]),
  /** Who classified an unclassified message (username). */
  classifiedBy: Type.Union([Type.String(), Type.Null()]),
  classifiedAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  /** Why a duty officer dismissed it (status dismissed; classifiedBy/At say who and when). */
  dismissReason: Type.Union([Type.String(), Type.Null()]),
});
export type IntakeMessage = Static<typeof IntakeMessage>;

/** 201 the first time, 200 when the same message comes again; `incident` is null while unclassified. */
export const IntakeResult = Type.Object({
  message: IntakeMessage,
  incident: Type.Union([Incident, Type.Null()]),
  created: Type.Boolean(),
});
export type IntakeResult = Static<typeof IntakeResult>;

export const IntakeMessageQuery = Type.Object(
  {
    status: Type.Optional(IntakeStatusSchema),
    town: Type.Optional(Code),
    community: Type.Optional(Code),
    /** Keyset paging: messages with an id below this one. */
    before: Type.Optional(Type.Integer({ minimum: 1 })),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200 })),
  },
  { additionalProperties: false },
);
export type IntakeMessageQuery = Static<typeof IntakeMessageQuery>;

export const IntakeMessageList = Type.Object({
  messages: Type.Array(IntakeMessage),
  nextBefore: Type.Union([Type.Integer(), Type.Null()]),
});
export type IntakeMessageList = Static<typeof IntakeMessageList>;

export const IntakeMessageParams = Type.Object({ id: Type.Integer({ minimum: 1 }) }, { additionalProperties: false });

/**
 * A duty officer names the item of an unclassified message. Without a point,
 * it is placed where the robot places messages: the community's party-mass
 * service station.
 */
export const ClassifyBody = Type.Object(
  {
    itemCode: ItemCode,
    lon: Type.Optional(Type.Number({ minimum: -180, maximum: 180 })),
    lat: Type.Optional(Type.Number({ minimum: -90, maximum: 90 })),
  },
  { additionalProperties: false },
);
export type ClassifyBody = Static<typeof ClassifyBody>;

/** A duty officer judges an unclassified message needs no action ("收到，谢谢"); it leaves the queue and is kept. */
export const DismissBody = Type.Object(
  { reason: Type.String({ minLength: 1, maxLength: 200, pattern: '\\S' }) },
  { additionalProperties: false },
);
export type DismissBody = Static<typeof DismissBody>;
