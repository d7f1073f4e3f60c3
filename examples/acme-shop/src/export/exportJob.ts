import { CsvSink, CsvWriter } from './csv';
import { Order } from '../orders/types';

/**
 * Background exports: large reports are built off the request path and the
 * shop owner gets an email with a download link when the file is ready.
 */

export interface OrderPage {
  orders: Order[];
  nextCursor?: string;
}

export interface OrderSource {
  page(shopId: string, from: Date, to: Date, cursor?: string): Promise<OrderPage>;
}

export interface ExportJobResult {
  rows: number;
  durationMs: number;
}

// @why P-12
// GH-412: page through orders with a cursor; OFFSET queries got slower with every page.
export async function runExportJob(
  source: OrderSource,
  sink: CsvSink,
  shopId: string,
  from: Date,
  to: Date,
): Promise<ExportJobResult> {
  const started = Date.now();
  const writer = new CsvWriter(sink);
  await writer.writeHeader();

  let cursor: string | undefined;
  do {
    const page = await source.page(shopId, from, to, cursor);
    for (const order of page.orders) {
      await writer.writeOrder(order);
    }
    cursor = page.nextCursor;
  } while (cursor);

  const rows = await writer.close();
  return { rows, durationMs: Date.now() - started };
}

/** Monday-morning exports pile up; spread them out so one shop cannot starve the queue. */
export function queueDelayMs(queuedForShop: number): number {
  const base = 2_000;
  return Math.min(base * 2 ** queuedForShop, 60_000);
}
