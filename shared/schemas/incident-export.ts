// The incident CSV export's query: the listing's filters (not its paging)
// and the header language.
import { Type, type Static } from 'typebox';
import { IncidentQuery } from './incident.ts';

const f = IncidentQuery.properties;

export const IncidentExportQuery = Type.Object(
  {
    town: f.town,
    community: f.community,
    grid: f.grid,
    status: f.status,
    level: f.level,
    domain: f.domain,
    channel: f.channel,
    itemCode: f.itemCode,
    from: f.from,
    to: f.to,
    /** Header row: Chinese with the English in brackets (default), or English only. */
    lang: Type.Optional(Type.Union([Type.Literal('zh'), Type.Literal('en')])),
  },
  { additionalProperties: false },
);
export type IncidentExportQuery = Static<typeof IncidentExportQuery>;
