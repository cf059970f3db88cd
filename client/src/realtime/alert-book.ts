// The alerts a screen knows: keyed by id, newer seq wins, capped (cleared and
// acknowledged ones go first). The banner queue is the raised ones, gravest
// first and, within a level, the newest first.
import type { Alert } from '@shared/schemas/alert.ts';

export const MAX_ALERTS = 500;

export class AlertBook {
  private readonly byId = new Map<string, Alert>();

  constructor(private readonly cap = MAX_ALERTS) {}

  get size(): number {
    return this.byId.size;
  }

  get(id: string): Alert | undefined {
    return this.byId.get(id);
  }

  /** Returns whether the alert changed what the screen holds. */
  upsert(alert: Alert): boolean {
    const held = this.byId.get(alert.id);
    if (held && held.seq >= alert.seq) return false;
    this.byId.delete(alert.id);
    this.byId.set(alert.id, alert);
    this.trim();
    return true;
  }

  replaceAll(alerts: readonly Alert[]): void {
    this.byId.clear();
    for (const a of [...alerts].sort((x, y) => x.seq - y.seq)) this.byId.set(a.id, a);
    this.trim();
  }

  /** Raised (not yet acknowledged) alerts: level 1 first, then newest first. */
  queue(): Alert[] {
    return [...this.byId.values()]
      .filter((a) => a.status === 'raised')
      .sort((a, b) => a.level - b.level || b.raisedAt.localeCompare(a.raisedAt) || b.seq - a.seq);
  }

  private trim(): void {
    if (this.byId.size <= this.cap) return;
    // Settled alerts first (oldest change first), raised ones only if there is no other way.
    for (const [id, a] of this.byId) {
      if (this.byId.size <= this.cap) return;
      if (a.status !== 'raised') this.byId.delete(id);
    }
    for (const id of this.byId.keys()) {
      if (this.byId.size <= this.cap) return;
      this.byId.delete(id);
    }
  }
}
