// The vocabulary of an item's handling loop (集单—派单—接单—评单), shared by
// the server's state machine, the realtime payloads and every screen.
// The transitions themselves live in server/src/domain/workflow.ts.
import { Type } from 'typebox';

/**
 * Where an item is in its loop. Escalation (提级) and supervision (督办) are
 * not statuses: escalation moves the item to another tier's seat, and
 * supervision is a mark a leader sets; both are recorded on the timeline.
 */
export const INCIDENT_STATUSES = [
  'reported', // 上报: in, not yet taken in by a seat
  'accepted', // 受理
  'dispatched', // 派遣: sent to a handling unit, waiting for it to take it
  'in_progress', // 处置中: the unit has taken it (接单)
  'resolved', // 办结: the unit says it is done
  'verified', // 核查: the seat checked the result
  'closed', // 结案
  'rated', // 评价: the reporter rated it; the loop is closed
  'returned', // 退回: sent back (by a unit to the seat, or by a seat as not ours), with a reason
] as const;
export type IncidentStatus = (typeof INCIDENT_STATUSES)[number];
export const IncidentStatusSchema = Type.Enum(INCIDENT_STATUSES);

/** Statuses in which an item still needs someone's work (counted as "open"). */
export const OPEN_STATUSES = ['reported', 'accepted', 'dispatched', 'in_progress', 'resolved', 'returned'] as const satisfies readonly IncidentStatus[];

/** The three tiers of seats (三级): village/community, town/street, New Area. */
export const TIERS = ['community', 'town', 'district'] as const;
export type Tier = (typeof TIERS)[number];
export const TierSchema = Type.Enum(TIERS);

/** Where a report enters. */
export const CHANNELS = ['field', 'hotline_12345', 'qr_code', 'chat_robot', 'camera', 'sensor', 'open311'] as const;
export type Channel = (typeof CHANNELS)[number];
export const ChannelSchema = Type.Enum(CHANNELS);
