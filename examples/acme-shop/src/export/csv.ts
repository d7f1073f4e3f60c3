import { Order, formatMoney } from '../orders/types';

/**
 * CSV export of orders for a date range ("Reports > Export orders").
 *
 * Shop owners and their bookkeepers download this every month; the bigger
 * shops run it every Monday for the previous week.
 */

/** Above this many rows the synchronous "Download now" path gives up and queues a background export. */
export const MAX_ROWS = 5_000;

/** Rows are written to the sink in chunks of this size. */
const CHUNK_SIZE = 500;

// @why P-12, P-14 -- bookkeepers asked for fees and refunds as separate columns
export const COLUMNS = [
  'order_number',
  'date',
  'status',
  'customer_email',
  'total',
  'fees',
  'refunded',
  'net',
  'payout_id',
] as const;

export interface CsvSink {
  write(chunk: string): Promise<void>;
  close(): Promise<void>;
}

export class ExportTooLargeError extends Error {
  constructor(readonly rowCount: number) {
    super(`Export has ${rowCount} rows; it will be emailed when it is ready.`);
  }
}

function escapeCell(value: string): string {
  if (/[",\n]/.test(value)) {
    return `"${value.replace(/"/g, '""')}"`;
  }
  return value;
}

export function toRow(order: Order): string[] {
  const net = order.total.amount - order.fees.amount - order.refunded.amount;
  return [
    `#${order.number}`,
    order.createdAt.toISOString().slice(0, 10),
    order.status,
    order.customerEmail,
    formatMoney(order.total),
    formatMoney(order.fees),
    formatMoney(order.refunded),
    formatMoney({ amount: net, currency: order.total.currency }),
    order.payoutId ?? '',
  ];
}

// @why P-12
export class CsvWriter {
  private buffer: string[] = [];
  private written = 0;

  constructor(private readonly sink: CsvSink) {}

  async writeHeader(): Promise<void> {
    this.buffer.push(COLUMNS.join(','));
  }

  // ACME-881: stream rows instead of buffering the whole month in memory.
  // The proxy in front of the app kills requests after 60s; a 20k-row
  // export used to spend most of that building one giant string.
  async writeOrder(order: Order): Promise<void> {
    this.buffer.push(toRow(order).map(escapeCell).join(','));
    if (this.buffer.length >= CHUNK_SIZE) {
      await this.flush();
    }
  }

  /** Sends whatever is buffered to the sink. Safe to call at any time. */
  async flush(): Promise<void> {
    if (this.buffer.length === 0) {
      return;
    }
    const chunk = this.buffer.join('\n') + '\n';
    this.written += this.buffer.length;
    this.buffer = [];
    await this.sink.write(chunk);
  }

  async close(): Promise<number> {
    await this.flush();
    await this.sink.close();
    return this.written;
  }
}

/**
 * The synchronous "Download now" path. Small exports are written in one go;
 * anything bigger is handed to the background job (see exportJob.ts).
 */
export async function exportOrdersNow(rows: Order[], sink: CsvSink): Promise<number> {
  if (rows.length > MAX_ROWS) {
    throw new ExportTooLargeError(rows.length);
  }
  const writer = new CsvWriter(sink);
  await writer.writeHeader();
  for (const order of rows) {
    await writer.writeOrder(order);
  }
  return writer.close();
}
