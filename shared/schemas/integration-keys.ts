// Integration keys: how machine clients (a 12345 hotline system, a public
// reporting app, the chat robot, a device gateway) authenticate. A system
// administrator issues one per client, bound to one scope and one channel;
// the secret is shown once and only its hash is kept.
import { Type, type Static } from 'typebox';
import { ScopeInput, ScopeSchema } from './auth.ts';
import { ChannelSchema } from '../workflow.ts';

/** Every key starts with this, so a key is recognisable in a config file and never mistaken for a kiosk token. */
export const INTEGRATION_KEY_PREFIX = 'gik_';

export const IntegrationKeyInfo = Type.Object({
  id: Type.Integer(),
  name: Type.String(),
  channel: ChannelSchema,
  scope: ScopeSchema,
  /** The first characters of the key (prefix included), to tell keys apart; never enough to use one. */
  hint: Type.String(),
  createdBy: Type.String(),
  createdAt: Type.String({ format: 'date-time' }),
  expiresAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  revokedAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  lastUsedAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
});
export type IntegrationKeyInfo = Static<typeof IntegrationKeyInfo>;

export const IntegrationKeyList = Type.Object({ keys: Type.Array(IntegrationKeyInfo) });

export const IssueIntegrationKeyBody = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 64 }),
    channel: ChannelSchema,
    scope: ScopeInput,
    /** Optional end of validity; must lie in the future. */
    expiresAt: Type.Optional(Type.String({ format: 'date-time' })),
  },
  { additionalProperties: false },
);
export type IssueIntegrationKeyBody = Static<typeof IssueIntegrationKeyBody>;

/** The secret is in this reply only. Send it as `Authorization: Bearer <key>` (or Open311's `api_key`). */
export const IssuedIntegrationKey = Type.Object({ key: IntegrationKeyInfo, secret: Type.String() });
export type IssuedIntegrationKey = Static<typeof IssuedIntegrationKey>;

export const IntegrationKeyParams = Type.Object({ id: Type.Integer({ minimum: 1 }) }, { additionalProperties: false });
