import { Order, Shop, formatMoney } from '../orders/types';

/**
 * Transactional email: order confirmations to buyers, payout notices and
 * export-ready links to shop owners.
 */

export interface Email {
  from: string;
  replyTo?: string;
  to: string;
  subject: string;
  text: string;
}

export interface Mailer {
  send(email: Email): Promise<void>;
}

/**
 * We always send from our own domain and put the shop in Reply-To.
 * Sending "as" the shop's domain would need their SPF/DKIM records, which
 * most shops cannot set up; see the help article on custom sender domains.
 */
const SENDER = 'orders@mail.acme.example';

export function orderConfirmation(shop: Shop, order: Order): Email {
  const lines = order.lines.map((l) => `  ${l.quantity} x ${l.title}  ${formatMoney(l.unitPrice)}`).join('\n');
  return {
    from: `${shop.name} <${SENDER}>`,
    replyTo: shop.ownerEmail,
    to: order.customerEmail,
    subject: `Your order #${order.number} from ${shop.name}`,
    text: `Thanks for your order!\n\n${lines}\n\nTotal: ${formatMoney(order.total)}\n`,
  };
}

export function payoutSent(shop: Shop, amount: string, arrival: Date): Email {
  return {
    from: `Acme Shop <${SENDER}>`,
    to: shop.ownerEmail,
    subject: `${amount} is on its way`,
    text: `We have sent ${amount} to your bank. It should arrive by ${arrival.toDateString()}.\n`,
  };
}

export function exportReady(shop: Shop, url: string, rows: number): Email {
  return {
    from: `Acme Shop <${SENDER}>`,
    to: shop.ownerEmail,
    subject: 'Your orders export is ready',
    text: `Your export (${rows} orders) is ready to download for the next 7 days:\n${url}\n`,
  };
}

export async function sendAll(mailer: Mailer, emails: Email[]): Promise<number> {
  let sent = 0;
  for (const email of emails) {
    await mailer.send(email);
    sent++;
  }
  return sent;
}
