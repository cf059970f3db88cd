// The audit log, for the audit administrator only: search (keyset-paged) and
// a CSV export. Reading the log is itself audited.
import { Type } from 'typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { AuditPage, AuditQuery, type AuditEntry } from '../../../../shared/schemas/auth.ts';
import { ApiError } from '../../../../shared/schemas/common.ts';

const DEFAULT_PAGE = 100;
/** An export is a file for an investigation, not a backup: bounded. */
export const EXPORT_MAX_ROWS = 50_000;
const EXPORT_PAGE = 2_000;

const CSV_COLUMNS: (keyof AuditEntry)[] = ['id', 'at', 'actor', 'role', 'scope', 'sourceIp', 'action', 'targetType', 'targetId', 'before', 'after', 'result', 'detail'];

/** Quotes a CSV cell, and defuses cells a spreadsheet would run as a formula. */
function csvCell(value: unknown): string {
  if (value === null || value === undefined) return '';
  let text = typeof value === 'string' ? value : JSON.stringify(value);
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

const audit: FastifyPluginAsyncTypebox = async (app) => {
  const tags = ['audit'];
  const errors = { 400: ApiError, 401: ApiError, 403: ApiError };

  app.get('/audit', {
    config: { permission: 'audit:read' },
    schema: { tags, summary: 'Search the audit log, newest first', querystring: AuditQuery, response: { 200: AuditPage, ...errors } },
  }, async (request) => {
    const limit = request.query.limit ?? DEFAULT_PAGE;
    const entries = await app.repos.audit.search({ ...request.query, limit });
    await app.audit.record(request, { action: 'audit.search', result: 'success', detail: JSON.stringify(request.query) });
    return { entries, nextBefore: entries.length === limit ? entries[entries.length - 1].id : null };
  });

  app.get('/audit/export', {
    config: { permission: 'audit:export' },
    schema: { tags, summary: `Export matching audit rows as CSV (at most ${EXPORT_MAX_ROWS})`, querystring: AuditQuery,
      response: { 200: Type.String({ description: 'text/csv, UTF-8 with BOM (opens in Excel)' }), ...errors } },
  }, async (request, reply) => {
    const lines = [CSV_COLUMNS.join(',')];
    let before = request.query.before;
    while (lines.length - 1 < EXPORT_MAX_ROWS) {
      const page = await app.repos.audit.search({ ...request.query, before, limit: Math.min(EXPORT_PAGE, EXPORT_MAX_ROWS - (lines.length - 1)) });
      for (const entry of page) lines.push(CSV_COLUMNS.map((c) => csvCell(entry[c])).join(','));
      if (page.length === 0 || page.length < EXPORT_PAGE) break;
      before = page[page.length - 1].id;
    }
    await app.audit.record(request, { action: 'audit.export', result: 'success', detail: `${lines.length - 1} rows; ${JSON.stringify(request.query)}` });
    return reply
      .header('content-type', 'text/csv; charset=utf-8')
      .header('content-disposition', `attachment; filename="audit-${new Date().toISOString().slice(0, 10)}.csv"`)
      .header('cache-control', 'no-store')
      .send(`\uFEFF${lines.join('\r\n')}\r\n`);
  });
};
export default audit;
