import { describe, expect, it } from 'vitest';
import {
  ALERT_RULE_DEFAULTS as D, alertMessage, cameraRateRule, clusterRule, fireAlarmRule, level1Rule, mayCluster,
  type AlertRulesConfig, type IncidentFacts,
} from './alert-rules.ts';

const t0 = new Date('2026-05-01T08:00:00Z');
const at = (minutes: number) => new Date(t0.getTime() + minutes * 60_000);
const area = { townCode: '321171001', communityCode: '321171001001', gridCode: '321171001001G001' };
const incident = (patch: Partial<IncidentFacts> = {}): IncidentFacts => ({
  id: 'i1', itemCode: 'AQ-02', level: 1, status: 'reported', reportedAt: t0, area, ...patch,
});
const off = <K extends keyof AlertRulesConfig>(key: K): AlertRulesConfig => ({ ...D, [key]: { ...D[key], enabled: false } });

describe('level-1 incidents', () => {
  it('a level-1 incident raises a level-1 alert at once, keyed by the incident', () => {
    expect(level1Rule(incident(), D)).toMatchObject({ kind: 'level1', level: 1, ruleKey: 'level1:i1', incidentId: 'i1', area });
  });
  it('a level-2 or level-3 incident does not; nor anything when the rule is off', () => {
    expect(level1Rule(incident({ level: 2 }), D)).toBeNull();
    expect(level1Rule(incident({ level: 3 }), D)).toBeNull();
    expect(level1Rule(incident(), off('level1'))).toBeNull();
  });
  it('a sensor\'s fire is alerted once, as a fire alarm; as level-1 only when the fire-alarm rule is off', () => {
    expect(level1Rule(incident({ sensorCode: 's1' }), D)).toBeNull();
    expect(level1Rule(incident({ sensorCode: 's1' }), off('fireAlarm'))).not.toBeNull();
  });
});

describe('overdue messages', () => {
  const overdue = (detail: Record<string, string | number>) => ({
    kind: 'overdue' as const, level: 2 as const, ruleKey: 'k', area, incidentId: 'i1', deviceCode: null, detail: { itemCode: 'AQ-02', ...detail },
  });
  it('name the stage that ran late and its limit', () => {
    expect(alertMessage(overdue({ stage: 'response', limitMinutes: 30 }), { item: '燃气泄漏', place: '第1网格' }))
      .toEqual({ messageKey: 'alerts.overdue.response', message: '超时未受理：燃气泄漏，已超过30分钟响应时限（第1网格）' });
    expect(alertMessage(overdue({ stage: 'handling', limitMinutes: 4320 }), { item: '燃气泄漏', place: '第1网格' }))
      .toEqual({ messageKey: 'alerts.overdue.handling', message: '超时未办结：燃气泄漏，已超过72小时处置时限（第1网格）' });
    expect(alertMessage(overdue({ stage: 'verification', limitMinutes: 1440 }), { item: '燃气泄漏', place: '第1网格' }))
      .toEqual({ messageKey: 'alerts.overdue.verification', message: '超时未核查：燃气泄漏，已超过24小时核查时限（第1网格）' });
  });
  it('say where an item escalated itself to', () => {
    expect(alertMessage(overdue({ stage: 'response', limitMinutes: 120, escalatedTo: 'town', factor: 2 }), { item: '占道经营', place: '第1网格' }))
      .toEqual({ messageKey: 'alerts.overdue.escalated', message: '超时自动提级：占道经营，超过响应时限（2小时）2倍，已提级至镇（街道）（第1网格）' });
  });
});

describe('clusters', () => {
  const third = incident({ id: 'i3', level: 3, reportedAt: at(20) });
  it('3 incidents in one grid within 30 minutes raise a cluster alert', () => {
    const draft = clusterRule(third, [at(0), at(10), at(20)], null, D);
    expect(draft).toMatchObject({ kind: 'cluster', level: 2, area, incidentId: 'i3', detail: { count: 3, windowMinutes: 30 } });
  });
  it('2 incidents, or 3 spread over more than 30 minutes, do not', () => {
    expect(clusterRule(third, [at(10), at(20)], null, D)).toBeNull();
    expect(clusterRule(incident({ reportedAt: at(40) }), [at(0), at(10), at(40)], null, D)).toBeNull();
  });
  it('once per grid per window: a 4th and 5th incident soon after raise nothing more', () => {
    expect(clusterRule(incident({ reportedAt: at(25) }), [at(0), at(10), at(20), at(25)], at(20), D)).toBeNull();
    expect(clusterRule(incident({ reportedAt: at(49) }), [at(20), at(25), at(40), at(49)], at(20), D)).toBeNull();
  });
  it('a cluster still going a whole window after the last alert raises again', () => {
    expect(clusterRule(incident({ reportedAt: at(51) }), [at(25), at(40), at(51)], at(20), D)).not.toBeNull();
  });
  it('K and T are configurable; off means never', () => {
    const tight = { ...D, cluster: { enabled: true, count: 2, windowMinutes: 5 } };
    expect(clusterRule(incident({ reportedAt: at(4) }), [at(0), at(4)], null, tight)).not.toBeNull();
    expect(clusterRule(incident({ reportedAt: at(6) }), [at(0), at(6)], null, tight)).toBeNull();
    expect(clusterRule(third, [at(0), at(10), at(20)], null, off('cluster'))).toBeNull();
  });
  it('an incident without a grid is never part of a cluster', () => {
    expect(clusterRule(incident({ area: { ...area, gridCode: null } }), [at(0), at(0), at(0)], null, D)).toBeNull();
  });
  it('mayCluster keeps only grids whose last alert does not cover even their newest incident (clusterRule refuses the rest)', () => {
    const other = { ...area, gridCode: '321171001001G002' };
    const quiet = { ...area, gridCode: '321171001001G003' };
    const list = [
      incident({ id: 'a1', reportedAt: at(25) }), incident({ id: 'a2', reportedAt: at(45) }), // G001: alerted at 20, window of 45 starts at 15
      incident({ id: 'b1', reportedAt: at(25) }), incident({ id: 'b2', reportedAt: at(55) }), // G002: alerted at 20, window of 55 starts at 25
      incident({ id: 'c1', reportedAt: at(25), area: quiet }), // G003: never alerted
      incident({ id: 'n1', area: { ...area, gridCode: null } }),
    ].map((f, i) => (i >= 2 && i <= 3 ? { ...f, area: other } : f));
    const last = new Map([['321171001001G001', at(20)], ['321171001001G002', at(20)]]);
    expect(mayCluster(list, last, D).map((f) => f.id)).toEqual(['b1', 'b2', 'c1']);
    // What it drops, clusterRule would refuse whatever the report times.
    for (const f of list.filter((f) => f.area.gridCode === area.gridCode)) {
      expect(clusterRule(f, [at(0), at(10), at(20), at(25), at(30), at(45)], at(20), D)).toBeNull();
    }
  });
});

describe('community camera online rate', () => {
  const stats = (online: number, total = 30) => [{ townCode: area.townCode, communityCode: area.communityCode, online, total }];
  it('below 80 % raises one alert for the community', () => {
    const r = cameraRateRule(stats(23), new Map(), t0, D);
    expect(r.clear).toEqual([]);
    expect(r.raise).toHaveLength(1);
    expect(r.raise[0]).toMatchObject({ kind: 'camera_offline_rate', area: { communityCode: area.communityCode, gridCode: null }, detail: { online: 23, total: 30 } });
  });
  it('at 80 % or above raises nothing; with one already open raises nothing more', () => {
    expect(cameraRateRule(stats(24), new Map(), t0, D).raise).toEqual([]);
    expect(cameraRateRule(stats(10), new Map([[area.communityCode, 'k1']]), t0, D)).toEqual({ raise: [], clear: [] });
  });
  it('clears itself once back at 85 %, not at 84 % (no flapping around the threshold)', () => {
    const open = new Map([[area.communityCode, 'k1']]);
    expect(cameraRateRule(stats(84, 100), open, t0, D).clear).toEqual([]);
    expect(cameraRateRule(stats(85, 100), open, t0, D).clear).toEqual(['k1']);
  });
  it('skips communities with fewer than 3 cameras; off means never', () => {
    expect(cameraRateRule(stats(0, 2), new Map(), t0, D).raise).toEqual([]);
    expect(cameraRateRule(stats(0), new Map(), t0, off('cameraRate')).raise).toEqual([]);
  });
});

describe('fire alarms', () => {
  it('an alarm episode raises one level-1 alert linked to its sensor and incident; off means never', () => {
    const episode = { id: 7, sensorCode: 's1', startedAt: t0 };
    expect(fireAlarmRule(episode, 'i9', area, D)).toMatchObject({ kind: 'fire_alarm', level: 1, ruleKey: 'fire:s1:7', incidentId: 'i9', deviceCode: 's1' });
    expect(fireAlarmRule(episode, 'i9', area, off('fireAlarm'))).toBeNull();
  });
});

describe('alertMessage', () => {
  it('words each kind in zh-CN with an i18n key, using names when given', () => {
    expect(alertMessage(level1Rule(incident(), D)!, { item: '火灾', place: '丁卯社区第1网格' }))
      .toEqual({ messageKey: 'alerts.level1', message: '一级事件：火灾（丁卯社区第1网格）' });
    const rate = cameraRateRule([{ townCode: area.townCode, communityCode: area.communityCode, online: 7, total: 10 }], new Map(), t0, D).raise[0];
    expect(alertMessage(rate, { place: '丁卯社区' }).message).toBe('丁卯社区摄像头在线率70%（7/10），低于80%');
    expect(alertMessage(clusterRule(incident({ reportedAt: at(20) }), [at(0), at(10), at(20)], null, D)!).messageKey).toBe('alerts.cluster');
  });
});
