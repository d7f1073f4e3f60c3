import { Order, Payout, formatMoney } from '../orders/types';

/**
 * Reconciliation: which orders make up the payout that just landed in the
 * shop's bank account?
 *
 * Owners do this on Sunday night with a bank statement in one tab and Acme
 * Shop in the other. The goal is ten minutes, not two hours.
 */

export interface BankLine {
  date: Date;
  amount: number; // minor units
  reference: string;
}

export interface Match {
  bankLine: BankLine;
  payout?: Payout;
  orders: Order[];
  difference: number;
  explanation: string;
}

// @why P-4
export class Reconciler {
  constructor(private readonly payouts: Payout[], private readonly orders: Map<string, Order>) {}

  // ACME-877: match on the bank reference first; amounts alone were ambiguous
  // for shops with many payouts of the same size.
  matchPayout(line: BankLine): Match {
    const byReference = this.payouts.find((p) => p.bankReference && line.reference.includes(p.bankReference));
    const payout = byReference ?? this.payouts.find((p) => p.amount.amount === line.amount);
    if (!payout) {
      return { bankLine: line, orders: [], difference: line.amount, explanation: 'No payout matches this bank line.' };
    }
    const orders = payout.orderIds.map((id) => this.orders.get(id)).filter((o): o is Order => o !== undefined);
    const difference = line.amount - payout.amount.amount;
    return { bankLine: line, payout, orders, difference, explanation: this.explain(payout, orders, difference) };
  }

  private explain(payout: Payout, orders: Order[], difference: number): string {
    if (difference === 0) {
      return `${orders.length} orders, ${formatMoney(payout.amount)}: matches exactly.`;
    }
    const refunds = orders.filter((o) => o.refunded.amount > 0).length;
    return `${orders.length} orders; off by ${difference} (${refunds} refunded orders may explain it).`;
  }

  matchStatement(lines: BankLine[]): Match[] {
    return lines.map((line) => this.matchPayout(line));
  }
}
