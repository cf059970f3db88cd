import { describe, expect, it } from 'vitest';
import { CATALOGUE_ITEMS, catalogueItem } from '../../../shared/catalogue.ts';
import type { Incident } from '../../../shared/schemas/incident.ts';
import { INCIDENT_STATUSES, OPEN_STATUSES } from '../../../shared/workflow.ts';
import {
  DUPLICATE_WINDOW_MS, duplicateBuckets, expectedAt, maskNumbersInText, open311Fingerprint, open311Status, reporterName, requestDescription,
  requestWindow, splitList, statusesFor, STATUS_NOTES, toOpen311Request, toOpen311Service,
} from './open311-mapping.ts';

const incident = (over: Partial<Incident> = {}): Incident => ({
  id: '6f1c2d3e-4a5b-4c6d-8e7f-8091a2b3c4d5', itemCode: 'MS-09', domain: 'livelihood', level: 3, lon: 119.54, lat: 32.16,
  gridCode: '321171001001G001', communityCode: '321171001001', townCode: '321171001', description: '路面坑洼，电话13912345678',
  reporter: { name: '张三', phone: '13912345678', accountId: null }, channel: 'open311', photoUrls: [], status: 'reported', tier: 'community',
  unitCode: null, supervised: false, overdue: false, version: 1, reportedAt: '2026-11-30T08:00:00.000Z', updatedAt: '2026-11-30T08:05:00.000Z', seq: 1,
  ...over,
});

describe('status mapping', () => {
  it('is open exactly for the statuses that still need work, closed for the rest', () => {
    for (const s of INCIDENT_STATUSES) expect(open311Status(s), s).toBe((OPEN_STATUSES as readonly string[]).includes(s) ? 'open' : 'closed');
    expect(open311Status('resolved')).toBe('open'); // done by the unit, not yet checked
    expect(open311Status('verified')).toBe('closed');
    expect(statusesFor(['closed'])).toEqual(['verified', 'closed', 'rated']);
    expect(statusesFor([])).toEqual([...INCIDENT_STATUSES]);
    expect(statusesFor(['open', 'closed'])).toEqual([...INCIDENT_STATUSES]);
    for (const s of INCIDENT_STATUSES) expect(STATUS_NOTES[s]).toBeTruthy();
  });
});

describe('services', () => {
  it('maps every item to a realtime service without metadata, keywords comma separated, grouped by domain', () => {
    for (const item of CATALOGUE_ITEMS) {
      const s = toOpen311Service(item);
      expect(s).toMatchObject({ service_code: item.code, service_name: item.name, metadata: false, type: 'realtime', keywords: item.keywords.join(',') });
      expect(s.description).toContain(item.nameEn);
    }
    expect(toOpen311Service(catalogueItem('AQ-03')!).group).toBe('安全生产');
  });
});

describe('a request from an incident', () => {
  it('has the spec\'s fields, no reporter, the masked description of a public report, the expected time by level', () => {
    const r = toOpen311Request(incident(), { serviceName: '路面坑洼', agency: null, place: { grid: '第一网格', community: '丁卯居委会', town: '丁卯街道' } });
    expect(r).toEqual({
      service_request_id: '6f1c2d3e-4a5b-4c6d-8e7f-8091a2b3c4d5', status: 'open', status_notes: STATUS_NOTES.reported, service_name: '路面坑洼',
      service_code: 'MS-09', description: '路面坑洼，电话139****5678', agency_responsible: null, service_notice: expect.stringContaining('level 3'),
      requested_datetime: '2026-11-30T08:00:00.000Z', updated_datetime: '2026-11-30T08:05:00.000Z', expected_datetime: '2026-12-07T08:00:00.000Z',
      address: '第一网格, 丁卯居委会, 丁卯街道, 镇江新区', address_id: null, zipcode: null, lat: 32.16, long: 119.54, media_url: null,
    });
    expect(JSON.stringify(r)).not.toContain('张三');
  });

  it('withholds the description of internal reports (field, hotline notes, chat groups, sensors)', () => {
    for (const channel of ['field', 'hotline_12345', 'chat_robot', 'camera', 'sensor'] as const) {
      expect(toOpen311Request(incident({ channel }), { serviceName: 'x', agency: null }).description, channel).toBeNull();
    }
    expect(toOpen311Request(incident({ channel: 'qr_code' }), { serviceName: 'x', agency: null }).description).toContain('139****5678');
  });

  it('names the first photo and the agency; an address from codes when the grid is gone', () => {
    const r = toOpen311Request(incident({ photoUrls: ['https://a/1.jpg', 'https://a/2.jpg'], status: 'closed' }), { serviceName: 'x', agency: '新区水务公司' });
    expect(r).toMatchObject({ media_url: 'https://a/1.jpg', agency_responsible: '新区水务公司', status: 'closed', address: '321171001001G001, 镇江新区' });
    expect(expectedAt({ level: 1, reportedAt: '2026-11-30T08:00:00.000Z' })).toBe('2026-12-01T08:00:00.000Z');
  });

  it('masks mobile and resident ID numbers in free text, and nothing else', () => {
    expect(maskNumbersInText('电话13912345678，身份证32118319900101123X，门牌1001号')).toBe('电话139****5678，身份证321***********123X，门牌1001号');
    expect(maskNumbersInText('订单号 1234567890123')).toBe('订单号 1234567890123');
  });
});

describe('parameters', () => {
  it('splits repeated and comma-delimited lists', () => {
    expect(splitList(['MS-01,MS-02', ' MS-02 ', 'MS-03,,'])).toEqual(['MS-01', 'MS-02', 'MS-03']);
    expect(splitList(undefined)).toEqual([]);
  });

  it('defaults the window to the last 90 days and refuses a wider or reversed one', () => {
    const now = new Date('2026-11-30T08:00:00Z');
    const d = requestWindow(undefined, undefined, now);
    expect(d).toEqual({ from: new Date('2026-09-01T08:00:00Z'), to: now });
    expect(requestWindow('2026-11-01T00:00:00Z', undefined, now)).toEqual({ from: new Date('2026-11-01T00:00:00Z'), to: now });
    expect(requestWindow(undefined, '2026-06-01T00:00:00Z', now)).toEqual({ from: new Date('2026-03-03T00:00:00Z'), to: new Date('2026-06-01T00:00:00Z') });
    expect(requestWindow('2026-01-01T00:00:00Z', '2026-06-01T00:00:00Z', now)).toEqual({ error: expect.stringContaining('90 days') });
    expect(requestWindow('2026-06-01T00:00:00Z', '2026-01-01T00:00:00Z', now)).toEqual({ error: expect.stringContaining('after') });
  });

  it('puts Chinese names family name first, Latin names given name first', () => {
    expect(reporterName('三', '张')).toBe('张三');
    expect(reporterName('John', 'Smith')).toBe('John Smith');
    expect(reporterName(undefined, '王')).toBe('王');
    expect(reporterName('', '  ')).toBeUndefined();
  });

  it('describes a request by its words or its service, with the address given', () => {
    expect(requestDescription({ description: ' 有坑 ', address_string: '经十五路' }, '路面坑洼')).toBe('有坑\n地址：经十五路');
    expect(requestDescription({}, '路面坑洼')).toBe('路面坑洼');
  });
});

describe('idempotency of POSTs without a client id', () => {
  const posted = { service_code: 'MS-09', lat: 32.16, long: 119.54, description: '有坑', phone: '13912345678' };

  it('fingerprints the key and the whole submission; a re-serialised float is the same submission', () => {
    expect(open311Fingerprint(1, posted)).toBe(open311Fingerprint(1, { ...posted, lat: 32.1600000001 }));
    expect(open311Fingerprint(1, posted)).not.toBe(open311Fingerprint(2, posted));
    expect(open311Fingerprint(1, posted)).not.toBe(open311Fingerprint(1, { ...posted, description: '有大坑' }));
    expect(open311Fingerprint(1, posted)).not.toBe(open311Fingerprint(1, { ...posted, media_url: 'https://a/1.jpg' }));
  });

  it('buckets time by the duplicate window, giving the previous bucket too', () => {
    const at = new Date(Math.floor(Date.parse('2026-11-30T08:00:00Z') / DUPLICATE_WINDOW_MS) * DUPLICATE_WINDOW_MS + 1000);
    const [current, previous] = duplicateBuckets(at);
    expect(previous).toBe(current - 1);
    expect(duplicateBuckets(new Date(at.getTime() + DUPLICATE_WINDOW_MS - 2000))[0]).toBe(current);
    expect(duplicateBuckets(new Date(at.getTime() + DUPLICATE_WINDOW_MS))[0]).toBe(current + 1);
  });
});
