import { AuditLog } from '../audit/log';

/**
 * Refunds above a shop's limit need a second pair of eyes from the risk team.
 */

export interface RefundRequest {
  id: string;
  shopId: string;
  amount: number; // minor units
  requestedAt: Date;
  reason: string;
}

/** Refunds at or under this amount (minor units) are approved automatically. */
export const AUTO_APPROVE_LIMIT = 25_000;

// @why A-2
// ADM-61: auto-approve small refunds from shops in good standing instead of queueing them.
export function needsReview(request: RefundRequest, shopInGoodStanding: boolean): boolean {
  if (shopInGoodStanding && request.amount <= AUTO_APPROVE_LIMIT) {
    return false;
  }
  return true;
}

export function approve(log: AuditLog, request: RefundRequest, agent: string, now = new Date()): void {
  log.record({
    at: now,
    shopId: request.shopId,
    actor: agent,
    action: 'refund.approved',
    after: `${request.id} ${request.amount}`,
  });
}

export function oldestWaiting(queue: RefundRequest[]): RefundRequest | undefined {
  return [...queue].sort((a, b) => a.requestedAt.getTime() - b.requestedAt.getTime())[0];
}
