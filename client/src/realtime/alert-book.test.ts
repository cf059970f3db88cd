import { describe, expect, it } from 'vitest';
import type { Alert } from '@shared/schemas/alert.ts';
import { AlertBook } from './alert-book.ts';

let n = 0;
function alert(over: Partial<Alert> = {}): Alert {
  n++;
  return {
    id: `a${n}`, kind: 'level1', level: 1, status: 'raised', townCode: 't', communityCode: null, gridCode: null,
    incidentId: null, message: 'm', raisedAt: new Date(Date.UTC(2026, 10, 30, 6, n)).toISOString(),
    acknowledgedAt: null, acknowledgedBy: null, clearedAt: null, clearedBy: null, seq: n, ...over,
  };
}

describe('AlertBook', () => {
  it('queues raised alerts gravest first, then newest first', () => {
    const book = new AlertBook();
    const old1 = alert({ level: 1 });
    const l3 = alert({ level: 3, kind: 'cluster' });
    const new1 = alert({ level: 1 });
    const l2 = alert({ level: 2, kind: 'overdue' });
    [old1, l3, new1, l2].forEach((a) => book.upsert(a));
    expect(book.queue().map((a) => a.id)).toEqual([new1.id, old1.id, l2.id, l3.id]);
  });

  it('drops an acknowledged alert from the queue, and ignores an older version after it', () => {
    const book = new AlertBook();
    const a = alert();
    book.upsert(a);
    expect(book.upsert({ ...a, status: 'acknowledged', acknowledgedAt: a.raisedAt, acknowledgedBy: 'duty', seq: a.seq + 5 })).toBe(true);
    expect(book.queue()).toEqual([]);
    expect(book.upsert(a)).toBe(false); // the raise, replayed by a catch-up
    expect(book.queue()).toEqual([]);
  });

  it('is capped, dropping settled alerts before raised ones', () => {
    const book = new AlertBook(3);
    const raised = [alert(), alert()];
    const settled = alert({ status: 'cleared' });
    book.upsert(raised[0]); book.upsert(settled); book.upsert(raised[1]);
    book.upsert(alert());
    expect(book.size).toBe(3);
    expect(book.get(settled.id)).toBeUndefined();
    expect(book.queue()).toHaveLength(3);
  });
});
