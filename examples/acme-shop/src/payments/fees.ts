import { Money, money } from '../orders/types';

/**
 * Card processing and platform fees. Kept in one place so that exports,
 * statements and payouts never disagree about what a fee was.
 */

export interface FeeSchedule {
  percent: number; // e.g. 1.4 for 1.4%
  fixed: number; // minor units per transaction
  sameDaySurcharge: number; // percent, charged on same-day payouts only
}

export const PLAN_FEES: Record<'starter' | 'growth' | 'business', FeeSchedule> = {
  starter: { percent: 2.4, fixed: 20, sameDaySurcharge: 0.5 },
  growth: { percent: 1.9, fixed: 20, sameDaySurcharge: 0.3 },
  business: { percent: 1.4, fixed: 20, sameDaySurcharge: 0 },
};

export function cardFee(total: Money, schedule: FeeSchedule): Money {
  const variable = (total.amount * schedule.percent) / 100;
  return money(variable + schedule.fixed, total.currency);
}

export function sameDayFee(payout: Money, schedule: FeeSchedule): Money {
  return money((payout.amount * schedule.sameDaySurcharge) / 100, payout.currency);
}

/** Fees never exceed the order total: a £0.10 sticker does not cost £0.20 to sell. */
export function cappedFee(total: Money, schedule: FeeSchedule): Money {
  const fee = cardFee(total, schedule);
  return fee.amount > total.amount ? money(total.amount, total.currency) : fee;
}

export function describeSchedule(schedule: FeeSchedule): string {
  const fixed = (schedule.fixed / 100).toFixed(2);
  const surcharge = schedule.sameDaySurcharge > 0 ? `, +${schedule.sameDaySurcharge}% for same-day payouts` : '';
  return `${schedule.percent}% + ${fixed} per sale${surcharge}`;
}
