import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Incident } from '@shared/schemas/incident.ts';
import { fetchIncidentSnapshot } from './screen-api.ts';

afterEach(() => vi.unstubAllGlobals());

const incident = (n: number, status: string, seq = n): Incident => ({ id: `id-${n}`, status, seq } as unknown as Incident);

/** A fake GET /api/v1/incidents: `open=true` pages through `open` by cursor; otherwise the newest page. */
function serve(open: Incident[], newest: Incident[], lastSeq: number) {
  const asked: URLSearchParams[] = [];
  vi.stubGlobal('fetch', async (input: string) => {
    const q = new URL(input, 'http://screen').searchParams;
    asked.push(q);
    const limit = Number(q.get('limit'));
    if (q.get('open') !== 'true') return Response.json({ incidents: newest.slice(0, limit), nextCursor: null, lastSeq, masked: true });
    const from = Number(q.get('cursor') ?? 0);
    const page = open.slice(from, from + limit);
    const next = from + limit < open.length ? String(from + limit) : null;
    // Later pages were read later: their head has moved on.
    return Response.json({ incidents: page, nextCursor: next, lastSeq: lastSeq + from, masked: true });
  });
  return asked;
}

describe('fetchIncidentSnapshot', () => {
  it('pages through every open incident (past the old 5,000 cap) and adds the newest page of any status', async () => {
    const open = Array.from({ length: 12_000 }, (_, i) => incident(i, 'reported'));
    const closed = [incident(20_000, 'closed'), incident(20_001, 'rated')];
    const asked = serve(open, [...closed, incident(3, 'accepted', 2)], 777);
    const snap = await fetchIncidentSnapshot({ level: 'district' });
    expect(snap.incidents).toHaveLength(12_002);
    expect(new Set(snap.incidents.map((i) => i.id)).size).toBe(12_002);
    // The same incident in both reads: the newer version (higher seq) is kept.
    expect(snap.incidents.find((i) => i.id === 'id-3')).toMatchObject({ status: 'reported', seq: 3 });
    // The first read's head: the change log from there covers whatever moved while the pages were read.
    expect(snap.lastSeq).toBe(777);
    expect(asked.filter((q) => q.get('open') === 'true')).toHaveLength(24);
  });

  it('keeps to the screen scope in every read', async () => {
    const asked = serve([incident(1, 'reported')], [incident(2, 'closed')], 5);
    await fetchIncidentSnapshot({ level: 'town', townCode: '321171001' });
    expect(asked).toHaveLength(2);
    expect(asked.every((q) => q.get('town') === '321171001')).toBe(true);
  });
});
