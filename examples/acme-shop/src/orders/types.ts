/**
 * Core domain types shared by every feature folder.
 *
 * Money is always stored in minor units (pence, cents) as integers so that
 * rounding never happens outside the payments module.
 */

export type Currency = 'GBP' | 'EUR' | 'USD';

export interface Money {
  amount: number; // minor units
  currency: Currency;
}

export type OrderStatus = 'pending' | 'paid' | 'refunded' | 'partially_refunded' | 'cancelled';

export interface OrderLine {
  sku: string;
  title: string;
  quantity: number;
  unitPrice: Money;
}

export interface Order {
  id: string;
  shopId: string;
  number: number; // the human-facing order number, e.g. #1042
  createdAt: Date;
  status: OrderStatus;
  customerEmail: string;
  lines: OrderLine[];
  total: Money;
  fees: Money;
  refunded: Money;
  payoutId?: string;
}

export interface Shop {
  id: string;
  name: string;
  ownerEmail: string;
  timezone: string; // IANA, e.g. "Europe/London"
  currency: Currency;
  bankAccountVerified: boolean;
  plan: 'starter' | 'growth' | 'business';
}

export interface Payout {
  id: string;
  shopId: string;
  amount: Money;
  orderIds: string[];
  initiatedAt: Date;
  expectedArrival: Date;
  status: 'scheduled' | 'sent' | 'paid' | 'failed';
  bankReference?: string;
}

export function money(amount: number, currency: Currency): Money {
  return { amount: Math.round(amount), currency };
}

export function addMoney(a: Money, b: Money): Money {
  if (a.currency !== b.currency) {
    throw new Error(`Cannot add ${a.currency} to ${b.currency}`);
  }
  return { amount: a.amount + b.amount, currency: a.currency };
}

export function formatMoney(m: Money): string {
  const symbol = m.currency === 'GBP' ? '£' : m.currency === 'EUR' ? '€' : '$';
  return `${symbol}${(m.amount / 100).toFixed(2)}`;
}
