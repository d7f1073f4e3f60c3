import { Money, Order, Payout, Shop, addMoney, money } from '../orders/types';

/**
 * Same-day payouts: the promise on the homepage.
 *
 * Orders paid before the bank's cut-off are paid out the same working day.
 * Everything else goes in the next window.
 */

export interface BankCalendar {
  isWorkingDay(date: Date, currency: Money['currency']): boolean;
  /** Cut-off for same-day transfers, as "HH:MM" in the bank's timezone. */
  cutoff(currency: Money['currency']): string;
}

export interface PayoutWindow {
  sendAt: Date;
  expectedArrival: Date;
  sameDay: boolean;
}

/** Leave this much headroom before the bank's cut-off so a slow batch still makes it. */
const CUTOFF_MARGIN_MINUTES = 20;

export class PayoutScheduler {
  constructor(private readonly calendar: BankCalendar) {}

  // @why P-2
  // ACME-915: bank holidays in one country are working days in another;
  // use the calendar of the payout currency, not the shop's timezone.
  nextPayoutWindow(shop: Shop, now: Date): PayoutWindow {
    const [h, m] = this.calendar.cutoff(shop.currency).split(':').map(Number);
    const cutoff = new Date(now);
    cutoff.setHours(h, m - CUTOFF_MARGIN_MINUTES, 0, 0);

    if (this.calendar.isWorkingDay(now, shop.currency) && now < cutoff) {
      return { sendAt: now, expectedArrival: now, sameDay: true };
    }
    const next = this.nextWorkingDay(now, shop.currency);
    return { sendAt: next, expectedArrival: next, sameDay: false };
  }

  private nextWorkingDay(from: Date, currency: Money['currency']): Date {
    const day = new Date(from);
    do {
      day.setDate(day.getDate() + 1);
      day.setHours(9, 0, 0, 0);
    } while (!this.calendar.isWorkingDay(day, currency));
    return day;
  }
}

export function buildPayout(shop: Shop, orders: Order[], window: PayoutWindow): Payout {
  const payable = orders.filter((o) => o.status === 'paid' && !o.payoutId);
  const amount = payable.reduce(
    (sum, o) => addMoney(sum, money(o.total.amount - o.fees.amount, o.total.currency)),
    money(0, shop.currency),
  );
  return {
    id: `po_${shop.id}_${window.sendAt.getTime()}`,
    shopId: shop.id,
    amount,
    orderIds: payable.map((o) => o.id),
    initiatedAt: window.sendAt,
    expectedArrival: window.expectedArrival,
    status: 'scheduled',
  };
}

// GH-431: a failed payout is retried in the next window, never silently dropped.
export function retryFailed(payout: Payout, window: PayoutWindow): Payout {
  if (payout.status !== 'failed') {
    return payout;
  }
  return { ...payout, status: 'scheduled', initiatedAt: window.sendAt, expectedArrival: window.expectedArrival };
}
