// When something on the map needs a person's eyes now. Each rule is a pure
// function of what happened, the time and its configuration, and answers the
// alerts to raise (or clear). Each draft carries a rule key: the alerts
// table keeps rule keys unique, so evaluating a rule twice (a timer tick and
// a restart, two events racing) never raises the same alert twice.
import type { AlertKind } from '../../../shared/schemas/alert.ts';

export type { AlertKind };

export interface AlertArea {
  townCode: string;
  communityCode: string | null;
  gridCode: string | null;
}

export interface AlertDraft {
  kind: AlertKind;
  /** 1 is the gravest, as for catalogue items. */
  level: 1 | 2 | 3;
  ruleKey: string;
  area: AlertArea;
  incidentId: string | null;
  deviceCode: string | null;
  /** Plain facts for the screen (numbers, codes); the client words them. */
  detail: Record<string, string | number>;
}

export interface AlertRulesConfig {
  level1: { enabled: boolean };
  /**
   * Overdue items: raised by the SLA timer (services/sla-timer-service.ts)
   * with the overdue mark, by the stage the item is in and its limits
   * (domain/sla.ts, from the catalogue's TIME_LIMITS); this only switches it.
   */
  overdue: { enabled: boolean };
  cluster: { enabled: boolean; count: number; windowMinutes: number };
  cameraRate: { enabled: boolean; threshold: number; recoverAt: number; minCameras: number };
  fireAlarm: { enabled: boolean };
}

// Plausible defaults, not from the articles: three reports from one grid in
// half an hour is more than a grid of ~400 households makes by chance; a
// community with under 80 % of its cameras online has a blind spot worth a
// call; it must be back to 85 % before the alert clears itself, so one camera
// flapping around the threshold does not raise and clear all day.
export const ALERT_RULE_DEFAULTS: AlertRulesConfig = {
  level1: { enabled: true },
  overdue: { enabled: true },
  cluster: { enabled: true, count: 3, windowMinutes: 30 },
  cameraRate: { enabled: true, threshold: 0.8, recoverAt: 0.85, minCameras: 3 },
  fireAlarm: { enabled: true },
};

/** What the rules need to know of an incident. */
export interface IncidentFacts {
  id: string;
  itemCode: string;
  level: 1 | 2 | 3;
  status: string;
  reportedAt: Date;
  area: AlertArea;
  /** The fire sensor that filed it, if one did. */
  sensorCode?: string | null;
}

/**
 * Every level-1 incident raises an alert at once. A fire a sensor filed
 * already raises its fire alarm (level 1, same incident): one alert for one
 * fire, unless the fire-alarm rule is off.
 */
export function level1Rule(incident: IncidentFacts, config: AlertRulesConfig): AlertDraft | null {
  if (!config.level1.enabled || incident.level !== 1) return null;
  if (incident.sensorCode && config.fireAlarm.enabled) return null;
  return {
    kind: 'level1', level: 1, ruleKey: `level1:${incident.id}`, area: incident.area,
    incidentId: incident.id, deviceCode: null, detail: { itemCode: incident.itemCode },
  };
}

/** The start of the window ending at `at`: what the repository counts from. */
export function clusterWindowStart(at: Date, config: AlertRulesConfig): Date {
  return new Date(at.getTime() - config.cluster.windowMinutes * 60_000);
}

/**
 * K incidents in one grid within T minutes raise a cluster alert, once per
 * grid per window: after one is raised, the grid stays quiet for T minutes
 * however many more arrive; a cluster still going after that raises again.
 * `reportedInWindow` are the grid's report times in the window ending at the
 * new incident (itself included); `lastRaisedAt` the grid's last cluster alert.
 */
export function clusterRule(
  incident: IncidentFacts,
  reportedInWindow: readonly Date[],
  lastRaisedAt: Date | null,
  config: AlertRulesConfig,
): AlertDraft | null {
  if (!config.cluster.enabled || !incident.area.gridCode) return null;
  const from = clusterWindowStart(incident.reportedAt, config).getTime();
  const count = reportedInWindow.filter((t) => t.getTime() > from && t.getTime() <= incident.reportedAt.getTime()).length;
  if (count < config.cluster.count) return null;
  if (lastRaisedAt && lastRaisedAt.getTime() > from) return null;
  return {
    kind: 'cluster', level: 2, ruleKey: `cluster:${incident.area.gridCode}:${incident.reportedAt.toISOString()}`,
    area: incident.area, incidentId: incident.id, deviceCode: null,
    detail: { count, windowMinutes: config.cluster.windowMinutes },
  };
}

/**
 * The incidents of `list` whose grid may still raise a cluster alert: a grid
 * whose last cluster alert (`lastByGrid`) lies inside the window of even its
 * newest incident here raises none for any of them (clusterRule would refuse
 * each), so its report times need not be read.
 */
export function mayCluster(list: readonly IncidentFacts[], lastByGrid: ReadonlyMap<string, Date>, config: AlertRulesConfig): IncidentFacts[] {
  const newest = new Map<string, number>();
  for (const f of list) {
    const grid = f.area.gridCode;
    if (grid) newest.set(grid, Math.max(newest.get(grid) ?? Number.NEGATIVE_INFINITY, f.reportedAt.getTime()));
  }
  return list.filter((f) => {
    const grid = f.area.gridCode;
    if (!grid) return false;
    const raisedAt = lastByGrid.get(grid);
    return !raisedAt || raisedAt.getTime() <= clusterWindowStart(new Date(newest.get(grid)!), config).getTime();
  });
}

export interface CommunityCameraStats {
  townCode: string;
  communityCode: string;
  online: number;
  total: number;
}

/**
 * A community whose camera online rate drops below the threshold raises one
 * alert, and that alert clears itself once the rate is back at `recoverAt`.
 * `open` maps a community to the rule key of its alert not yet cleared.
 * A community with few cameras is skipped: one camera down of two is 50 %.
 */
export function cameraRateRule(
  stats: readonly CommunityCameraStats[],
  open: ReadonlyMap<string, string>,
  now: Date,
  config: AlertRulesConfig,
): { raise: AlertDraft[]; clear: string[] } {
  const raise: AlertDraft[] = [];
  const clear: string[] = [];
  for (const s of stats) {
    const rate = s.total > 0 ? s.online / s.total : 1;
    const openKey = open.get(s.communityCode);
    if (openKey) {
      if (rate >= config.cameraRate.recoverAt || !config.cameraRate.enabled) clear.push(openKey);
    } else if (config.cameraRate.enabled && s.total >= config.cameraRate.minCameras && rate < config.cameraRate.threshold) {
      raise.push({
        kind: 'camera_offline_rate', level: 3, ruleKey: `camera-rate:${s.communityCode}:${now.toISOString()}`,
        area: { townCode: s.townCode, communityCode: s.communityCode, gridCode: null }, incidentId: null, deviceCode: null,
        detail: { online: s.online, total: s.total, ratePercent: Math.round(rate * 1000) / 10, thresholdPercent: config.cameraRate.threshold * 100 },
      });
    }
  }
  return { raise, clear };
}

/** A fire sensor's alarm episode raises one alert, linked to the incident it filed. */
export function fireAlarmRule(
  episode: { id: string | number; sensorCode: string; startedAt: Date },
  incidentId: string | null,
  area: AlertArea,
  config: AlertRulesConfig,
): AlertDraft | null {
  if (!config.fireAlarm.enabled) return null;
  return {
    kind: 'fire_alarm', level: 1, ruleKey: `fire:${episode.sensorCode}:${episode.id}`, area, incidentId,
    deviceCode: episode.sensorCode, detail: { sensorCode: episode.sensorCode, startedAt: episode.startedAt.toISOString() },
  };
}

/**
 * The stored one-line message (zh-CN, as the command center reads it) and its
 * i18n key: clients with another language build their own from key + detail.
 */
export function alertMessage(draft: AlertDraft, names: { item?: string; place?: string } = {}): { message: string; messageKey: string } {
  const d = draft.detail;
  const place = names.place ?? draft.area.gridCode ?? draft.area.communityCode ?? draft.area.townCode;
  switch (draft.kind) {
    case 'level1':
      return { messageKey: 'alerts.level1', message: `一级事件：${names.item ?? d.itemCode}（${place}）` };
    case 'overdue':
      return overdueMessage(d, names.item ?? String(d.itemCode), place);
    case 'cluster':
      return { messageKey: 'alerts.cluster', message: `${place}在${d.windowMinutes}分钟内上报${d.count}起事件` };
    case 'camera_offline_rate':
      return { messageKey: 'alerts.cameraOfflineRate', message: `${place}摄像头在线率${d.ratePercent}%（${d.online}/${d.total}），低于${d.thresholdPercent}%` };
    case 'fire_alarm':
      return { messageKey: 'alerts.fireAlarm', message: `火警：${names.place ?? d.sensorCode}报警` };
  }
}

const OVERDUE_HEADLINE: Record<string, string> = { response: '超时未受理', handling: '超时未办结', verification: '超时未核查' };
const STAGE_NAME: Record<string, string> = { response: '响应', handling: '处置', verification: '核查' };
const TIER_NAME: Record<string, string> = { community: '村（社区）', town: '镇（街道）', district: '新区' };

/** "90分钟", "72小时": limits are whole hours from two hours up. */
function duration(minutes: number): string {
  return minutes >= 120 && minutes % 60 === 0 ? `${minutes / 60}小时` : `${minutes}分钟`;
}

/**
 * An overdue alert names the stage that ran late (`data.stage`), or the
 * escalation it caused (`data.escalatedTo`); the key tells a client which
 * (alerts.overdue.response|handling|verification, alerts.overdue.escalated).
 */
function overdueMessage(d: AlertDraft['detail'], item: string, place: string): { message: string; messageKey: string } {
  const stage = typeof d.stage === 'string' && d.stage in OVERDUE_HEADLINE ? d.stage : 'response';
  const limit = duration(Number(d.limitMinutes));
  if (typeof d.escalatedTo === 'string') {
    return {
      messageKey: 'alerts.overdue.escalated',
      message: `超时自动提级：${item}，超过${STAGE_NAME[stage]}时限（${limit}）${d.factor}倍，已提级至${TIER_NAME[d.escalatedTo] ?? d.escalatedTo}（${place}）`,
    };
  }
  return { messageKey: `alerts.overdue.${stage}`, message: `${OVERDUE_HEADLINE[stage]}：${item}，已超过${limit}${STAGE_NAME[stage]}时限（${place}）` };
}
