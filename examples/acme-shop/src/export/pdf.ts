import { Order, Shop, formatMoney, addMoney, money } from '../orders/types';

/**
 * Month-end statement as a PDF, for shops whose bookkeeper wants something
 * they can file rather than a spreadsheet.
 *
 * We do not draw PDFs ourselves: we build a small layout tree and hand it to
 * the rendering service, which returns the bytes.
 */

export type Block =
  | { kind: 'heading'; text: string }
  | { kind: 'paragraph'; text: string }
  | { kind: 'table'; header: string[]; rows: string[][] };

export interface PdfRenderer {
  render(blocks: Block[]): Promise<Uint8Array>;
}

const ROWS_PER_TABLE = 40;

export class StatementBuilder {
  constructor(private readonly shop: Shop) {}

  build(month: string, orders: Order[]): Block[] {
    const blocks: Block[] = [
      { kind: 'heading', text: `${this.shop.name}: statement for ${month}` },
      { kind: 'paragraph', text: this.summary(orders) },
    ];
    // @why P-14 -- fees and refunds on their own lines, the way accountants book them
    const header = ['Order', 'Date', 'Total', 'Fees', 'Refunded'];
    for (let i = 0; i < orders.length; i += ROWS_PER_TABLE) {
      const rows = orders.slice(i, i + ROWS_PER_TABLE).map((o) => [
        `#${o.number}`,
        o.createdAt.toISOString().slice(0, 10),
        formatMoney(o.total),
        formatMoney(o.fees),
        formatMoney(o.refunded),
      ]);
      blocks.push({ kind: 'table', header, rows });
    }
    return blocks;
  }

  private summary(orders: Order[]): string {
    const zero = money(0, this.shop.currency);
    const gross = orders.reduce((sum, o) => addMoney(sum, o.total), zero);
    const fees = orders.reduce((sum, o) => addMoney(sum, o.fees), zero);
    const refunds = orders.reduce((sum, o) => addMoney(sum, o.refunded), zero);
    return (
      `${orders.length} orders. Gross ${formatMoney(gross)}, ` +
      `fees ${formatMoney(fees)}, refunds ${formatMoney(refunds)}.`
    );
  }
}

export async function renderStatement(
  renderer: PdfRenderer,
  shop: Shop,
  month: string,
  orders: Order[],
): Promise<Uint8Array> {
  const blocks = new StatementBuilder(shop).build(month, orders);
  return renderer.render(blocks);
}
