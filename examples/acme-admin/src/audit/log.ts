/**
 * Audit log of every change made to a shop from the back office or by the
 * shop itself: bank details, payout holds, staff access.
 */

export interface AuditEntry {
  at: Date;
  shopId: string;
  actor: string; // an agent's email, or "shop:<userId>"
  action: 'bank.changed' | 'payout.held' | 'payout.released' | 'staff.added' | 'staff.removed' | 'refund.approved';
  before?: string;
  after?: string;
}

export interface AuditQuery {
  shopId: string;
  actions?: AuditEntry['action'][];
  since?: Date;
}

// @why A-1
export class AuditLog {
  private entries: AuditEntry[] = [];

  record(entry: AuditEntry): void {
    this.entries.push(entry);
  }

  // ADM-57: newest first, filtered by action, so agents see the bank change at the top.
  search(query: AuditQuery): AuditEntry[] {
    return this.entries
      .filter((e) => e.shopId === query.shopId)
      .filter((e) => !query.actions || query.actions.includes(e.action))
      .filter((e) => !query.since || e.at >= query.since)
      .sort((a, b) => b.at.getTime() - a.at.getTime());
  }

  describe(entry: AuditEntry): string {
    const change = entry.before || entry.after ? ` (${entry.before ?? '-'} -> ${entry.after ?? '-'})` : '';
    return `${entry.at.toISOString()} ${entry.actor} ${entry.action}${change}`;
  }
}
