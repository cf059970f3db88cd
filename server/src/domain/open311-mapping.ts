// Pure mapping between the product's words and Open311 GeoReport v2's:
// catalogue items as services, incident statuses as open/closed, an incident
// as a public service request, the request window, and the fingerprint that
// lets a retried POST (which has no client id in the spec) file only once.
import { createHash } from 'node:crypto';
import { DOMAIN_INFO, TIME_LIMITS } from '../../../shared/catalogue.ts';
import type { CatalogueItem, Level } from '../../../shared/schemas/catalogue.ts';
import type { Incident } from '../../../shared/schemas/incident.ts';
import type { Open311Error, Open311Request, Open311Service } from '../../../shared/schemas/open311.ts';
import { OPEN_STATUSES, type Channel, type IncidentStatus, INCIDENT_STATUSES } from '../../../shared/workflow.ts';
import { maskIdNumber, maskPhone } from './masking.ts';

export type Open311Status = 'open' | 'closed';

/** Keys of these channels may use Open311 (the public-facing systems); the incident gets the key's channel. */
export const OPEN311_CHANNELS: readonly Channel[] = ['open311', 'hotline_12345', 'qr_code'];

/** Reports the public wrote themselves: their description is shown back (masked); others' are internal notes. */
const PUBLIC_CHANNELS: readonly Channel[] = ['open311', 'qr_code'];

/** The spec's default and maximum window of GET requests, and its result cap. */
export const REQUEST_WINDOW_DAYS = 90;
export const REQUEST_LIMIT = 1000;

/**
 * A retried POST inside this window files nothing new (Open311 has no client
 * id; see open311Fingerprint). Two genuinely separate identical reports from
 * one reporter within it count as one, which is what a duty officer wants too.
 */
export const DUPLICATE_WINDOW_MS = 10 * 60_000;

export function open311Errors(code: number, description: string): Open311Error[] {
  return [{ code, description }];
}

export function open311Status(status: IncidentStatus): Open311Status {
  return (OPEN_STATUSES as readonly IncidentStatus[]).includes(status) ? 'open' : 'closed';
}

/** The incident statuses behind open / closed (both or none: every status). */
export function statusesFor(wanted: readonly Open311Status[]): IncidentStatus[] {
  return INCIDENT_STATUSES.filter((s) => wanted.length === 0 || wanted.includes(open311Status(s)));
}

/** The step of the loop, for status_notes. */
export const STATUS_NOTES: Record<IncidentStatus, string> = {
  reported: '已上报，等待受理 (reported, waiting to be taken in)',
  accepted: '已受理 (accepted)',
  dispatched: '已派遣至处置单位 (dispatched to the unit that acts)',
  in_progress: '处置中 (being handled)',
  resolved: '处置单位已办结，待核查 (done by the unit, to be checked)',
  verified: '已核查 (checked)',
  closed: '已结案 (closed)',
  rated: '已结案并评价 (closed and rated)',
  returned: '已退回，重新分派中 (returned, being reassigned)',
};

const LEVEL_NAMES: Record<Level, string> = { 1: '一级', 2: '二级', 3: '三级' };

function limitsOf(level: Level) {
  return TIME_LIMITS.find((t) => t.level === level)!;
}

/** What happens next, by the item's level (its time limits). */
export function serviceNotice(level: Level): string {
  const { responseMinutes, resolutionHours } = limitsOf(level);
  return `${LEVEL_NAMES[level]}事项：${responseMinutes}分钟内响应，${resolutionHours}小时内办结 `
    + `(level ${level}: response within ${responseMinutes} min, resolution within ${resolutionHours} h)`;
}

export function toOpen311Service(item: CatalogueItem): Open311Service {
  const domain = DOMAIN_INFO.find((d) => d.code === item.domain)!;
  return {
    service_code: item.code,
    service_name: item.name,
    description: `${item.nameEn}. ${serviceNotice(item.level)}`,
    metadata: false,
    type: 'realtime',
    keywords: item.keywords.join(','),
    group: domain.name,
  };
}

/** Repeated and comma-delimited values, trimmed, without blanks or repeats. */
export function splitList(values: readonly string[] | undefined): string[] {
  const out: string[] = [];
  for (const v of values ?? []) {
    for (const part of v.split(',')) {
      const p = part.trim();
      if (p && !out.includes(p)) out.push(p);
    }
  }
  return out;
}

/** Mobile and resident ID numbers inside free text, masked. */
export function maskNumbersInText(text: string): string {
  return text
    .replace(/(?<![0-9])[1-9][0-9]{16}[0-9Xx](?![0-9])/g, (id) => maskIdNumber(id))
    .replace(/(?<![0-9])1[3-9][0-9]{9}(?![0-9])/g, (phone) => maskPhone(phone));
}

export function expectedAt(incident: Pick<Incident, 'level' | 'reportedAt'>): string {
  return new Date(new Date(incident.reportedAt).getTime() + limitsOf(incident.level).resolutionHours * 3600_000).toISOString();
}

export interface RequestContextNames {
  /** Grid, community, town names where the incident lies (undefined when its grid is gone from the data). */
  place?: { grid: string; community: string; town: string };
  /** The handling unit's name, once dispatched. */
  agency: string | null;
  serviceName: string;
}

/** An incident as a public service request: no reporter, internal notes withheld. */
export function toOpen311Request(incident: Incident, names: RequestContextNames): Open311Request {
  const place = names.place;
  return {
    service_request_id: incident.id,
    status: open311Status(incident.status),
    status_notes: STATUS_NOTES[incident.status],
    service_name: names.serviceName,
    service_code: incident.itemCode,
    description: PUBLIC_CHANNELS.includes(incident.channel) ? maskNumbersInText(incident.description) : null,
    agency_responsible: names.agency,
    service_notice: serviceNotice(incident.level),
    requested_datetime: incident.reportedAt,
    updated_datetime: incident.updatedAt,
    expected_datetime: expectedAt(incident),
    address: place ? `${place.grid}, ${place.community}, ${place.town}, 镇江新区` : `${incident.gridCode}, 镇江新区`,
    address_id: null,
    zipcode: null,
    lat: incident.lat,
    long: incident.lon,
    media_url: incident.photoUrls[0] ?? null,
  };
}

/**
 * The request window: the spec's default is the most recent 90 days, and a
 * window may not span more than 90 days. An error message when it is wrong.
 */
export function requestWindow(start: string | undefined, end: string | undefined, now: Date): { from: Date; to: Date } | { error: string } {
  const spanMs = REQUEST_WINDOW_DAYS * 86_400_000;
  const to = end ? new Date(end) : start ? new Date(Math.min(new Date(start).getTime() + spanMs, now.getTime())) : now;
  const from = start ? new Date(start) : new Date(to.getTime() - spanMs);
  if (from.getTime() > to.getTime()) return { error: 'start_date must not be after end_date' };
  if (to.getTime() - from.getTime() > spanMs) return { error: `start_date and end_date may not span more than ${REQUEST_WINDOW_DAYS} days` };
  return { from, to };
}

export interface PostedRequest {
  service_code: string;
  lat: number;
  long: number;
  address_string?: string;
  address_id?: string;
  email?: string;
  device_id?: string;
  account_id?: string;
  first_name?: string;
  last_name?: string;
  phone?: string;
  description?: string;
  media_url?: string;
}

/**
 * What identifies one submission: the key that sent it and everything in it
 * (coordinates to 1e-6 degrees, so a re-serialised float is the same).
 * Combined with a time bucket, it becomes the incident's id.
 */
export function open311Fingerprint(keyId: number, r: PostedRequest): string {
  const canonical = [
    keyId, r.service_code, r.lat.toFixed(6), r.long.toFixed(6), r.address_string?.trim() ?? '', r.address_id ?? '', r.email?.trim().toLowerCase() ?? '',
    r.device_id ?? '', r.account_id ?? '', r.first_name?.trim() ?? '', r.last_name?.trim() ?? '', r.phone?.trim() ?? '', r.description?.trim() ?? '',
    r.media_url ?? '',
  ];
  return createHash('sha256').update(JSON.stringify(canonical)).digest('hex');
}

/** The duplicate-window bucket of a moment, and the one before it (a retry may straddle a bucket edge). */
export function duplicateBuckets(now: Date): [current: number, previous: number] {
  const bucket = Math.floor(now.getTime() / DUPLICATE_WINDOW_MS);
  return [bucket, bucket - 1];
}

/** The reporter's name in Chinese order (family name first); a Latin name reads given name first. */
export function reporterName(first: string | undefined, last: string | undefined): string | undefined {
  const f = first?.trim() ?? '';
  const l = last?.trim() ?? '';
  if (!f && !l) return undefined;
  const han = /^[\p{Script=Han}·]*$/u;
  return han.test(f) && han.test(l) ? `${l}${f}` : [f, l].filter(Boolean).join(' ');
}

/** The incident's description: the reporter's words (or the service's name) and the address they gave. */
export function requestDescription(r: { description?: string; address_string?: string }, serviceName: string): string {
  const text = r.description?.trim() || serviceName;
  return r.address_string?.trim() ? `${text}\n地址：${r.address_string.trim()}` : text;
}
