// Pure rules of an incoming report: the fingerprint that makes a retried
// report idempotent, and what a broadcast or a role without contact rights
// sees of the reporter. (The tier an item starts at: tiers.ts startingTier,
// with the configured START_TIERS table.)
import { createHash } from 'node:crypto';
import type { Incident, Reporter } from '../../../shared/schemas/incident.ts';
import type { Channel } from '../../../shared/workflow.ts';
import { maskName, maskPhone } from './masking.ts';

export interface ReportFields {
  itemCode: string;
  lon: number;
  lat: number;
  description: string;
  reporterName?: string | null;
  reporterPhone?: string | null;
  reporterAccountId?: number | null;
  channel: Channel;
  photoUrls?: string[];
  sensorCode?: string | null;
}

/**
 * sha256 over the report's content in a fixed order: the same report sent
 * twice (a phone retrying) has the same fingerprint; anything different under
 * the same id does not. Coordinates are compared to 1e-7 degrees (about 1 cm),
 * so a client re-serialising a float cannot make a retry look different.
 */
export function reportFingerprint(r: ReportFields): string {
  const canonical = [
    r.itemCode, r.lon.toFixed(7), r.lat.toFixed(7), r.description.trim(), r.reporterName?.trim() ?? '', r.reporterPhone?.trim() ?? '',
    r.reporterAccountId ?? '', r.channel, (r.photoUrls ?? []).join('\n'), r.sensorCode ?? '',
  ];
  return createHash('sha256').update(JSON.stringify(canonical)).digest('hex');
}

export const MAX_PHOTOS = 9;

/** Photo links a screen may render: http(s) URLs only, at most MAX_PHOTOS; the first offending one otherwise. */
export function badPhotoUrl(urls: readonly string[]): string | null {
  if (urls.length > MAX_PHOTOS) return `at most ${MAX_PHOTOS} photos`;
  for (const url of urls) {
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      return `photo URL ${JSON.stringify(url.slice(0, 80))} is not a URL`;
    }
    if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') return `photo URL ${JSON.stringify(url.slice(0, 80))} must be http(s)`;
    if (url.length > 500) return 'a photo URL is longer than 500 characters';
  }
  return null;
}

/** The reporter with name and phone masked: for broadcasts and roles without 'resident:read-contact'. */
export function maskReporter(reporter: Reporter): Reporter {
  return {
    ...reporter,
    name: reporter.name ? maskName(reporter.name) : reporter.name ?? null,
    phone: reporter.phone ? maskPhone(reporter.phone) : reporter.phone ?? null,
  };
}

export function maskIncident(incident: Incident): Incident {
  return { ...incident, reporter: maskReporter(incident.reporter) };
}
