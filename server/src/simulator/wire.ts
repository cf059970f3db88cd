// The feed's drafts as request bodies of the public API (shared/ schemas).
// Names and phone numbers of callers are made up, and say so.
import type { ReportBody } from '../../../shared/schemas/incident.ts';
import type { HeartbeatBatch } from '../../../shared/schemas/device.ts';
import type { IntakeMessageBody } from '../../../shared/schemas/intake.ts';
import type { DeviceBeat } from '../domain/feed-devices.ts';
import type { ReportDraft } from '../domain/feed-reports.ts';
import type { Rng } from '../domain/feed-random.ts';

export const REPORTS_PATH = 'api/v1/reports';
export const INTAKE_MESSAGES_PATH = 'api/v1/intake/messages';
export const HEARTBEATS_PATH = 'api/v1/devices/heartbeats';

const SURNAMES = ['王', '李', '张', '刘', '陈', '杨', '赵', '黄', '周', '吴', '徐', '孙', '朱', '马'];
const GIVEN = ['伟', '芳', '娜', '敏', '静', '强', '磊', '军', '洋', '勇', '艳', '杰', '涛', '明', '霞', '平'];

/** A made-up caller: a plausible name and a 199-prefixed mobile number. */
export function demoCaller(rng: Rng): { name: string; phone: string } {
  const pick = <T>(list: readonly T[]) => list[Math.floor(rng() * list.length)];
  const digits = Array.from({ length: 8 }, () => Math.floor(rng() * 10)).join('');
  return { name: `${pick(SURNAMES)}${pick(GIVEN)}${rng() < 0.5 ? pick(GIVEN) : ''}`, phone: `199${digits}` };
}

export function reportBody(id: string, draft: ReportDraft, rng: Rng): ReportBody {
  const body: ReportBody = { id, itemCode: draft.item.code, lon: draft.lon, lat: draft.lat, description: draft.text, channel: draft.channel };
  // Residents calling or scanning leave a name and number; a field worker is the signed-in account.
  if (draft.channel !== 'field') body.reporter = demoCaller(rng);
  return body;
}

/** A group-chat message as the chat robot forwards it; the server recognises the item from its words. */
export function chatMessageBody(id: string, draft: ReportDraft, rng: Rng): IntakeMessageBody {
  return { messageId: id, text: draft.text, sender: demoCaller(rng), communityCode: draft.grid.communityCode, at: new Date(draft.at).toISOString() };
}

export function heartbeatBody(beats: readonly DeviceBeat[]): HeartbeatBatch {
  return {
    heartbeats: beats.map((b) => ({
      code: b.code,
      status: b.status,
      ...(b.faultCode ? { faultCode: b.faultCode } : {}),
      at: new Date(b.at).toISOString(),
    })),
  };
}
