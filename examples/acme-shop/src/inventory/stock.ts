/**
 * Stock levels, shared between the online store, the till and any
 * marketplace a shop sells on.
 *
 * Every change goes through a reservation so two channels can never sell
 * the last item twice.
 */

export interface StockLevel {
  sku: string;
  onHand: number;
  reserved: number;
  reorderPoint: number;
}

export interface Reservation {
  id: string;
  sku: string;
  quantity: number;
  channel: 'online' | 'till' | 'marketplace';
  expiresAt: number;
}

export class OutOfStockError extends Error {
  constructor(readonly sku: string, readonly available: number) {
    super(`Only ${available} of ${sku} left.`);
  }
}

/** Carts hold stock for this long; after that it goes back on the shelf. */
const RESERVATION_TTL_MS = 15 * 60 * 1000;

export class StockLedger {
  private levels = new Map<string, StockLevel>();
  private reservations = new Map<string, Reservation>();

  load(levels: StockLevel[]): void {
    for (const level of levels) this.levels.set(level.sku, { ...level });
  }

  available(sku: string): number {
    const level = this.levels.get(sku);
    return level ? level.onHand - level.reserved : 0;
  }

  // @why P-8
  // ACME-921: reserve at "add to cart" and at the till, not when payment clears.
  reserve(sku: string, quantity: number, channel: Reservation['channel'], now = Date.now()): Reservation {
    const level = this.levels.get(sku);
    if (!level || level.onHand - level.reserved < quantity) {
      throw new OutOfStockError(sku, this.available(sku));
    }
    level.reserved += quantity;
    const reservation: Reservation = {
      id: `${sku}:${now}:${Math.random().toString(36).slice(2, 8)}`,
      sku,
      quantity,
      channel,
      expiresAt: now + RESERVATION_TTL_MS,
    };
    this.reservations.set(reservation.id, reservation);
    return reservation;
  }

  commit(reservationId: string): void {
    const r = this.take(reservationId);
    const level = this.levels.get(r.sku)!;
    level.reserved -= r.quantity;
    level.onHand -= r.quantity;
  }

  release(reservationId: string): void {
    const r = this.take(reservationId);
    this.levels.get(r.sku)!.reserved -= r.quantity;
  }

  expire(now = Date.now()): number {
    const expired = [...this.reservations.values()].filter((r) => r.expiresAt <= now);
    expired.forEach((r) => this.release(r.id));
    return expired.length;
  }

  // @why P-5
  lowStock(): StockLevel[] {
    return [...this.levels.values()].filter((l) => l.onHand - l.reserved <= l.reorderPoint);
  }

  private take(id: string): Reservation {
    const r = this.reservations.get(id);
    if (!r) throw new Error(`Unknown reservation ${id}`);
    this.reservations.delete(id);
    return r;
  }
}
