import { describe, expect, it } from 'vitest';
import type { Incident } from '@shared/schemas/incident.ts';
import { IncidentBook, incidentKey, MapMirror } from './incident-book.ts';

let n = 0;
function incident(over: Partial<Incident> = {}): Incident {
  n++;
  return {
    id: `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`, itemCode: 'AQ-02', domain: 'work_safety', level: 1,
    lon: 119.6, lat: 32.2, gridCode: 'g', communityCode: 'c', townCode: 't', description: 'd', reporter: {},
    channel: 'field', photoUrls: [], status: 'reported', tier: 'district', supervised: false, overdue: false, version: 1,
    reportedAt: '2026-11-30T06:00:00.000Z', updatedAt: '2026-11-30T06:00:00.000Z', seq: n, ...over,
  };
}

describe('IncidentBook', () => {
  it('keeps the newest version of each incident by its own seq', () => {
    const book = new IncidentBook();
    const a = incident({ seq: 10 });
    expect(book.upsert(a).result).toBe('added');
    expect(book.upsert({ ...a, status: 'accepted', seq: 12 }).result).toBe('updated');
    // A late, older version (a catch-up page overlapping a live event) changes nothing.
    expect(book.upsert({ ...a, status: 'reported', seq: 11 }).result).toBe('stale');
    expect(book.upsert({ ...a, status: 'accepted', seq: 12 }).result).toBe('stale');
    expect(book.get(a.id)!.status).toBe('accepted');
    expect(book.size).toBe(1);
  });

  it('is capped: the least recently changed go first', () => {
    const book = new IncidentBook(3);
    const [a, b, c, d] = [incident(), incident(), incident(), incident()];
    book.upsert(a); book.upsert(b); book.upsert(c);
    book.upsert({ ...a, seq: a.seq + 100 }); // a is fresh again
    expect(book.upsert(d).evicted).toEqual([b.id]);
    expect(book.size).toBe(3);
    expect(book.get(a.id)).toBeDefined();
  });

  it('replaces everything on a snapshot, within the cap', () => {
    const book = new IncidentBook(2);
    book.upsert(incident());
    const list = [incident(), incident(), incident()];
    book.replaceAll(list);
    expect(book.size).toBe(2);
    expect(book.get(list[2].id)).toBeDefined();
  });
});

describe('MapMirror', () => {
  it('adds open incidents, updates them in place and removes closed ones', () => {
    const book = new IncidentBook();
    const mirror = new MapMirror();
    const a = incident();
    const closed = incident({ status: 'closed' });
    book.upsert(a); book.upsert(closed);
    const first = mirror.diff([a.id, closed.id], book);
    expect(first.add.map((f) => f.properties.ikey)).toEqual([incidentKey(a.id)]);
    expect(first.update).toEqual([]);
    expect(first.remove).toEqual([]);

    book.upsert({ ...a, status: 'accepted', seq: a.seq + 50 });
    const second = mirror.diff([a.id], book);
    expect(second.add).toEqual([]);
    expect(second.update).toHaveLength(1);
    expect(second.update[0].id).toBe(incidentKey(a.id));
    expect(second.update[0].addOrUpdateProperties).toContainEqual({ key: 'status', value: 'accepted' });

    book.upsert({ ...a, status: 'closed', seq: a.seq + 60 });
    expect(mirror.diff([a.id], book).remove).toEqual([incidentKey(a.id)]);
    expect(mirror.size).toBe(0);
    // Nothing to do for an id that is neither shown nor open.
    expect(mirror.diff([a.id, 'unknown'], book)).toEqual({ add: [], update: [], remove: [] });
  });

  it('removes an evicted incident from the map', () => {
    const book = new IncidentBook(1);
    const mirror = new MapMirror();
    const a = incident();
    book.upsert(a);
    mirror.diff([a.id], book);
    const b = incident();
    const { evicted } = book.upsert(b);
    const diff = mirror.diff([...evicted, b.id], book);
    expect(diff.remove).toEqual([incidentKey(a.id)]);
    expect(diff.add.map((f) => f.properties.id)).toEqual([b.id]);
  });

  it('resets to all open incidents for a fresh source', () => {
    const book = new IncidentBook();
    book.replaceAll([incident(), incident({ status: 'rated' }), incident({ status: 'returned' })]);
    const mirror = new MapMirror();
    expect(mirror.reset(book)).toHaveLength(2);
    expect(mirror.size).toBe(2);
  });
});
