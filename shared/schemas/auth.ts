// Accounts, roles, data scope and sign-in: the contract the login page, the
// admin console, the audit console and the realtime handshake share.
import { Type, type Static } from 'typebox';
import { Code } from './common.ts';

/**
 * The three administrators are separate roles (三员分立, MLPS 2.0): none can
 * do another's job. The rest are the product's business roles.
 */
export const ROLES = [
  'sysadmin', // system administrator: accounts (create, disable, reset), kiosk tokens
  'secadmin', // security administrator: roles and scopes, unlocks, TOTP resets
  'auditor', // audit administrator: reads and exports the audit log, nothing else
  'district_duty', // New Area duty officer (acceptance seat)
  'town_duty', // town / street duty officer
  'liaison', // village / community liaison
  'leader', // reads everything in scope; changes only supervision marks
  'unit_member', // member of a handling unit (urban management, police ...)
  'field_worker', // information officer or center household: reports, follows own reports
  'kiosk', // big-screen display: read-only
] as const;
export type Role = (typeof ROLES)[number];
export const RoleSchema = Type.Enum(ROLES);

export const ADMIN_ROLES = ['sysadmin', 'secadmin', 'auditor'] as const satisfies readonly Role[];

export const SCOPE_LEVELS = ['district', 'town', 'community'] as const;
export type ScopeLevel = (typeof SCOPE_LEVELS)[number];

/** What an account may see and act on: the whole New Area, one town, or one community. */
export const ScopeSchema = Type.Union([
  Type.Object({ level: Type.Literal('district') }, { additionalProperties: false }),
  Type.Object({ level: Type.Literal('town'), townCode: Code }, { additionalProperties: false }),
  Type.Object({ level: Type.Literal('community'), townCode: Code, communityCode: Code }, { additionalProperties: false }),
]);
export type Scope =
  | { level: 'district' }
  | { level: 'town'; townCode: string }
  | { level: 'community'; townCode: string; communityCode: string };

/** A scope as a client names it when creating an account: the town is derived from the community. */
export const ScopeInput = Type.Union([
  Type.Object({ level: Type.Literal('district') }, { additionalProperties: false }),
  Type.Object({ level: Type.Literal('town'), townCode: Code }, { additionalProperties: false }),
  Type.Object({ level: Type.Literal('community'), communityCode: Code }, { additionalProperties: false }),
]);
export type ScopeInput = Static<typeof ScopeInput>;

export const Username = Type.String({ pattern: '^[A-Za-z0-9][A-Za-z0-9._-]{2,63}$' });
/** Bounded so a megabyte "password" cannot make scrypt chew on it. */
export const Password = Type.String({ minLength: 1, maxLength: 128 });
export const TotpCode = Type.String({ pattern: '^[0-9]{6}$' });

export const LoginBody = Type.Object(
  { username: Type.String({ minLength: 1, maxLength: 64 }), password: Password, totp: Type.Optional(TotpCode) },
  { additionalProperties: false },
);
export type LoginBody = Static<typeof LoginBody>;

/** Steps an account must take before it may do anything else. */
export const PENDING_STEPS = ['change-password', 'enrol-totp'] as const;
export type PendingStep = (typeof PENDING_STEPS)[number];

export const Me = Type.Object({
  username: Type.String(),
  displayName: Type.String(),
  role: RoleSchema,
  scope: ScopeSchema,
  unitCode: Type.Union([Code, Type.Null()]),
  gridCode: Type.Union([Code, Type.Null()]),
  permissions: Type.Array(Type.String()),
  pending: Type.Array(Type.Enum(PENDING_STEPS)),
  totpEnabled: Type.Boolean(),
  kiosk: Type.Boolean(),
  /** Send it back in the `x-csrf-token` header on every POST/PUT/PATCH/DELETE. */
  csrfToken: Type.String(),
});
export type Me = Static<typeof Me>;

export const ChangePasswordBody = Type.Object(
  { currentPassword: Password, newPassword: Password },
  { additionalProperties: false },
);
export type ChangePasswordBody = Static<typeof ChangePasswordBody>;

export const TotpSetup = Type.Object({
  /** base32, for manual entry. */
  secret: Type.String(),
  /** otpauth:// URI, for a QR code. */
  uri: Type.String(),
});
export type TotpSetup = Static<typeof TotpSetup>;

export const TotpConfirmBody = Type.Object({ code: TotpCode }, { additionalProperties: false });

/** Removing one's own (optional) second factor: both factors once more. */
export const TotpDisableBody = Type.Object({ password: Password, code: TotpCode }, { additionalProperties: false });

/** The kiosk URL `/?kiosk=TOKEN` posts its token here to get a read-only session cookie. */
export const KioskExchangeBody = Type.Object(
  { token: Type.String({ minLength: 20, maxLength: 200 }) },
  { additionalProperties: false },
);

export const Ok = Type.Object({ ok: Type.Literal(true) });

// ---- administration ----

export const Account = Type.Object({
  id: Type.Integer(),
  username: Type.String(),
  displayName: Type.String(),
  role: RoleSchema,
  scope: ScopeSchema,
  unitCode: Type.Union([Code, Type.Null()]),
  gridCode: Type.Union([Code, Type.Null()]),
  disabled: Type.Boolean(),
  locked: Type.Boolean(),
  totpEnabled: Type.Boolean(),
  mustChangePassword: Type.Boolean(),
  createdAt: Type.String({ format: 'date-time' }),
  /** Last successful sign-in (from the audit log); in the account list only, null when never. */
  lastSignInAt: Type.Optional(Type.Union([Type.String({ format: 'date-time' }), Type.Null()])),
});
export type Account = Static<typeof Account>;
export const AccountList = Type.Object({ accounts: Type.Array(Account) });

export const CreateAccountBody = Type.Object(
  {
    username: Username,
    displayName: Type.String({ minLength: 1, maxLength: 64 }),
    role: RoleSchema,
    scope: ScopeInput,
    unitCode: Type.Optional(Code),
    gridCode: Type.Optional(Code),
    /** Temporary: the holder must change it at first sign-in. */
    password: Password,
  },
  { additionalProperties: false },
);
export type CreateAccountBody = Static<typeof CreateAccountBody>;

export const GrantBody = Type.Object(
  { role: RoleSchema, scope: ScopeInput, unitCode: Type.Optional(Code), gridCode: Type.Optional(Code) },
  { additionalProperties: false },
);
export type GrantBody = Static<typeof GrantBody>;

export const ResetPasswordBody = Type.Object({ password: Password }, { additionalProperties: false });
export const AccountParams = Type.Object({ id: Type.Integer({ minimum: 1 }) }, { additionalProperties: false });

export const KioskTokenInfo = Type.Object({
  id: Type.Integer(),
  name: Type.String(),
  scope: ScopeSchema,
  createdBy: Type.String(),
  createdAt: Type.String({ format: 'date-time' }),
  revokedAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  lastUsedAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
});
export type KioskTokenInfo = Static<typeof KioskTokenInfo>;
export const KioskTokenList = Type.Object({ tokens: Type.Array(KioskTokenInfo) });
export const IssueKioskTokenBody = Type.Object(
  { name: Type.String({ minLength: 1, maxLength: 64 }), scope: ScopeInput },
  { additionalProperties: false },
);
/** The token is shown once, here; the server keeps only its hash. */
export const IssuedKioskToken = Type.Object({ token: KioskTokenInfo, secret: Type.String(), url: Type.String() });

// ---- audit ----

export const AUDIT_RESULTS = ['success', 'failure', 'denied'] as const;
export type AuditResult = (typeof AUDIT_RESULTS)[number];

export const AuditEntry = Type.Object({
  id: Type.Integer(),
  at: Type.String({ format: 'date-time' }),
  actor: Type.Union([Type.String(), Type.Null()]),
  role: Type.Union([RoleSchema, Type.Null()]),
  scope: Type.Union([ScopeSchema, Type.Null()]),
  sourceIp: Type.Union([Type.String(), Type.Null()]),
  action: Type.String(),
  targetType: Type.Union([Type.String(), Type.Null()]),
  targetId: Type.Union([Type.String(), Type.Null()]),
  before: Type.Unknown(),
  after: Type.Unknown(),
  result: Type.Enum(AUDIT_RESULTS),
  detail: Type.Union([Type.String(), Type.Null()]),
});
export type AuditEntry = Static<typeof AuditEntry>;

export const AuditQuery = Type.Object(
  {
    from: Type.Optional(Type.String({ format: 'date-time' })),
    to: Type.Optional(Type.String({ format: 'date-time' })),
    actor: Type.Optional(Type.String({ maxLength: 64 })),
    action: Type.Optional(Type.String({ pattern: '^[a-z.-]{1,64}$' })),
    result: Type.Optional(Type.Enum(AUDIT_RESULTS)),
    /** What was acted on: `account`, `kiosk-token`, `incident` ... and its id. */
    targetType: Type.Optional(Type.String({ pattern: '^[a-z-]{1,32}$' })),
    targetId: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
    /** Keyset paging: entries with an id below this one. */
    before: Type.Optional(Type.Integer({ minimum: 1 })),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500 })),
  },
  { additionalProperties: false },
);
export type AuditQuery = Static<typeof AuditQuery>;
export const AuditPage = Type.Object({ entries: Type.Array(AuditEntry), nextBefore: Type.Union([Type.Integer(), Type.Null()]) });

// ---- staff (grid workers), personal data ----

export const StaffMember = Type.Object({
  code: Type.String(),
  name: Type.String(),
  role: Type.Union([Type.Literal('secretary'), Type.Literal('center_household'), Type.Literal('info_officer')]),
  gridCode: Code,
  communityCode: Code,
  townCode: Code,
  households: Type.Integer(),
  /** Masked (138****5678) unless the caller's role needs the number; null when none is on file. */
  phone: Type.Union([Type.String(), Type.Null()]),
});
export type StaffMember = Static<typeof StaffMember>;
export const StaffList = Type.Object({ staff: Type.Array(StaffMember), masked: Type.Boolean() });
export const StaffQuery = Type.Object(
  {
    town: Type.Optional(Code),
    community: Type.Optional(Code),
    grid: Type.Optional(Code),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000 })),
  },
  { additionalProperties: false },
);
export type StaffQuery = Static<typeof StaffQuery>;
