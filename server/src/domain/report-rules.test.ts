import { describe, expect, it } from 'vitest';
import { badPhotoUrl, maskIncident, maskReporter, reportFingerprint, type ReportFields } from './report-rules.ts';
import type { Incident } from '../../../shared/schemas/incident.ts';

const base: ReportFields = { itemCode: 'MS-01', lon: 119.5, lat: 32.2, description: '停水', channel: 'field', reporterAccountId: 7 };

describe('reportFingerprint', () => {
  it('is the same for the same report, float noise below a centimetre included', () => {
    expect(reportFingerprint(base)).toBe(reportFingerprint({ ...base }));
    expect(reportFingerprint(base)).toBe(reportFingerprint({ ...base, lon: 119.50000000001 }));
    expect(reportFingerprint(base)).toBe(reportFingerprint({ ...base, photoUrls: [] }));
  });

  it('differs when anything that matters differs', () => {
    const fp = reportFingerprint(base);
    for (const change of [{ itemCode: 'MS-02' }, { lon: 119.5001 }, { description: '漏水' }, { channel: 'hotline_12345' as const },
      { reporterAccountId: 8 }, { reporterPhone: '13800000000' }, { photoUrls: ['http://x/a.jpg'] }, { sensorCode: 'S1' }]) {
      expect(reportFingerprint({ ...base, ...change }), JSON.stringify(change)).not.toBe(fp);
    }
  });
});

describe('masking', () => {
  it('masks name and phone and keeps the account', () => {
    expect(maskReporter({ name: '王成亮', phone: '13812345678', accountId: 3 })).toEqual({ name: '王*亮', phone: '138****5678', accountId: 3 });
    expect(maskReporter({ name: null, phone: null, accountId: null })).toEqual({ name: null, phone: null, accountId: null });
  });

  it('masks an incident without touching the rest', () => {
    const incident = { id: 'x', reporter: { name: '李四', phone: '13912345678', accountId: null }, description: 'd' } as unknown as Incident;
    expect(maskIncident(incident)).toEqual({ id: 'x', reporter: { name: '李*', phone: '139****5678', accountId: null }, description: 'd' });
  });
});

describe('badPhotoUrl', () => {
  it('takes http(s) links and refuses script, data and junk', () => {
    expect(badPhotoUrl([])).toBeNull();
    expect(badPhotoUrl(['https://img.example/a.jpg', 'http://10.0.0.2/p.png'])).toBeNull();
    expect(badPhotoUrl(['javascript:alert(1)'])).toMatch(/must be http/);
    expect(badPhotoUrl(['data:image/png;base64,AAAA'])).toMatch(/must be http/);
    expect(badPhotoUrl(['not a url'])).toMatch(/is not a URL/);
    expect(badPhotoUrl(Array.from({ length: 10 }, (_, i) => `https://x/${i}.jpg`))).toMatch(/at most 9/);
  });
});
