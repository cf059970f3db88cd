// The incident CSV export: the listing's filters, the caller's data scope in
// the repository SQL (through the same incidents service the listing uses),
// the reporter masked as the listing masks it for the caller's role. A filter
// naming a place outside the scope is refused with 403 and audited; every
// export is audited with its filters and row count. Only roles holding
// export:run (duty officers, leaders) may export: a kiosk wall screen never.
import { Type } from 'typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { Incident } from '../../../../shared/schemas/incident.ts';
import { IncidentExportQuery } from '../../../../shared/schemas/incident-export.ts';
import { ApiError } from '../../../../shared/schemas/common.ts';
import type { Level } from '../../../../shared/schemas/catalogue.ts';
import { narrowFilter } from '../../domain/scope.ts';
import { principalOf } from '../../plugins/auth.ts';
import { incidentView } from '../../services/incidents-service.ts';
import { csvLine } from './csv.ts';

/** A file for a report or an investigation, not a backup: bounded. */
export const EXPORT_MAX_ROWS = 50_000;
const EXPORT_PAGE = 2_000;

interface Column {
  zh: string;
  en: string;
  value: (i: Incident) => unknown;
}

const COLUMNS: Column[] = [
  { zh: '事件编号', en: 'Incident ID', value: (i) => i.id },
  { zh: '上报时间', en: 'Reported at', value: (i) => i.reportedAt },
  { zh: '事项编码', en: 'Item code', value: (i) => i.itemCode },
  { zh: '领域', en: 'Domain', value: (i) => i.domain },
  { zh: '等级', en: 'Level', value: (i) => i.level },
  { zh: '状态', en: 'Status', value: (i) => i.status },
  { zh: '处置层级', en: 'Tier', value: (i) => i.tier },
  { zh: '来源渠道', en: 'Channel', value: (i) => i.channel },
  { zh: '镇街', en: 'Town', value: (i) => i.townCode },
  { zh: '社区', en: 'Community', value: (i) => i.communityCode },
  { zh: '网格', en: 'Grid', value: (i) => i.gridCode },
  { zh: '经度', en: 'Longitude', value: (i) => i.lon },
  { zh: '纬度', en: 'Latitude', value: (i) => i.lat },
  { zh: '描述', en: 'Description', value: (i) => i.description },
  { zh: '上报人', en: 'Reporter name', value: (i) => i.reporter.name },
  { zh: '上报人电话', en: 'Reporter phone', value: (i) => i.reporter.phone },
  { zh: '处置单位', en: 'Handling unit', value: (i) => i.unitCode },
  { zh: '督办', en: 'Supervised', value: (i) => i.supervised },
  { zh: '超期', en: 'Overdue', value: (i) => i.overdue },
  { zh: '更新时间', en: 'Updated at', value: (i) => i.updatedAt },
];

const incidentExport: FastifyPluginAsyncTypebox = async (app) => {
  app.get('/incidents/export.csv', {
    config: { permission: 'export:run' },
    schema: {
      tags: ['incidents'],
      summary: `Incidents in your scope as CSV, newest first (at most ${EXPORT_MAX_ROWS} rows; X-Export-Truncated says when cut)`,
      querystring: IncidentExportQuery,
      response: { 200: Type.String({ description: 'text/csv, UTF-8 with BOM (opens in Excel)' }), 400: ApiError, 401: ApiError, 403: ApiError },
    },
  }, async (request, reply) => {
    const principal = principalOf(request);
    const { lang, ...q } = request.query;
    const allowed = narrowFilter(principal.scope, q);
    if (!allowed.ok) {
      await app.audit.record(request, { action: 'access.denied', result: 'denied', detail: `GET /incidents/export.csv: ${allowed.reason}` });
      return reply.apiError(403, allowed.reason);
    }
    const filter = { ...q, level: q.level as Level | undefined };
    const header = COLUMNS.map((c) => (lang === 'en' ? c.en : `${c.zh}(${c.en})`));
    const lines = [csvLine(header)];
    let before: { reportedAt: string; id: string } | undefined;
    let truncated = false;
    for (;;) {
      const room = EXPORT_MAX_ROWS - (lines.length - 1);
      const page = await app.incidents.list(principal, { ...filter, before, limit: Math.min(EXPORT_PAGE, room) });
      for (const incident of page.incidents) {
        const shown = incidentView(incident, principal.role);
        lines.push(csvLine(COLUMNS.map((c) => c.value(shown))));
      }
      if (!page.hasMore) break;
      if (lines.length - 1 >= EXPORT_MAX_ROWS) {
        truncated = true;
        break;
      }
      const last = page.incidents[page.incidents.length - 1];
      before = { reportedAt: last.reportedAt, id: last.id };
    }
    const rows = lines.length - 1;
    await app.audit.record(request, {
      action: 'incident.export', result: 'success',
      detail: `${rows} rows${truncated ? ' (truncated)' : ''}; ${JSON.stringify(request.query)}`,
    });
    if (truncated) reply.header('x-export-truncated', String(EXPORT_MAX_ROWS));
    reply.header('x-export-rows', String(rows));
    return reply
      .header('content-type', 'text/csv; charset=utf-8')
      .header('content-disposition', `attachment; filename="incidents-${new Date().toISOString().slice(0, 10)}.csv"`)
      .header('cache-control', 'no-store')
      .send(`\uFEFF${lines.join('\r\n')}\r\n`);
  });
};
export default incidentExport;
