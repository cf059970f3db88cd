import { Type, type Static } from 'typebox';

export const DOMAINS = ['law_enforcement', 'work_safety', 'public_order', 'livelihood', 'ecology'] as const;
export type Domain = (typeof DOMAINS)[number];
// Type.Enum, not Type.Union(DOMAINS.map(Type.Literal)): the mapped array loses
// the tuple type and Static<> collapses to `never`.
export const DomainSchema = Type.Enum(DOMAINS);

/** Level 1 is the gravest. */
export const LEVELS = [1, 2, 3] as const;
export type Level = (typeof LEVELS)[number];
export const LevelSchema = Type.Enum(LEVELS);

export const CatalogueItem = Type.Object({
  code: Type.String({ pattern: '^[A-Z]{2}-[0-9]{2}$' }),
  name: Type.String(),
  nameEn: Type.String(),
  domain: DomainSchema,
  level: LevelSchema,
  keywords: Type.Array(Type.String()),
});
export type CatalogueItem = Static<typeof CatalogueItem>;

export const DomainInfo = Type.Object({ code: DomainSchema, name: Type.String(), nameEn: Type.String() });
export type DomainInfo = Static<typeof DomainInfo>;

export const TimeLimit = Type.Object({
  level: LevelSchema,
  responseMinutes: Type.Integer(),
  resolutionHours: Type.Integer(),
});
export type TimeLimit = Static<typeof TimeLimit>;

export const Catalogue = Type.Object({
  domains: Type.Array(DomainInfo),
  timeLimits: Type.Array(TimeLimit),
  items: Type.Array(CatalogueItem),
});
export type Catalogue = Static<typeof Catalogue>;
