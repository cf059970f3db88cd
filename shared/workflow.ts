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

/**
 * What someone (or the SLA timer) can do to an item. Every path (REST, socket
 * commands, timers) goes through the one state machine in
 * server/src/domain/workflow.ts, which says who may do which, from where.
 */
export const WORKFLOW_ACTIONS = [
  'accept', // 受理: a seat takes a reported item in
  'dispatch', // 派遣: to a lead unit (and helpers) with a deadline
  'take', // 接单: the lead unit starts work
  'return', // 退回: a unit gives it back to the seat; a seat gives a handed-down item back up
  'progress', // a unit records progress (note, photos); no status change
  'resolve', // 办结: the lead unit says it is done
  'verify', // 核查: the seat confirms the result
  'reject', // the seat sends a resolved item back to the unit (rework, 返工)
  'close', // 结案
  'rate', // 评价: the reporter's (or a follow-up call's) rating
  'escalate', // 提级: to the next tier's seat
  'hand_down', // the owning seat hands an item one tier down with instructions
  'supervise', // 督办: a leader's mark, not a status
  'reopen', // a closed or rated item is opened again (回头看)
  'flag_overdue', // the SLA timer marks the item overdue (system only)
] as const;
export type WorkflowAction = (typeof WORKFLOW_ACTIONS)[number];
export const WorkflowActionSchema = Type.Enum(WORKFLOW_ACTIONS);

/** The SLA stages whose clocks run on an item. */
export const SLA_STAGES = ['response', 'handling', 'verification'] as const;
export type SlaStage = (typeof SLA_STAGES)[number];
