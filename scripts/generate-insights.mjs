#!/usr/bin/env node
// Generates believable customer-insights.yaml files (and the same data as JSON) for the benchmark.
//
//   node scripts/generate-insights.mjs [--out bench-data] [--sizes realistic,large,huge] [--force]
//
// Plain Node, no dependencies, deterministic: a seeded PRNG (mulberry32) drives every choice, so the
// same sizes always produce byte-identical files. Three sizes:
//   realistic   50 problems,    5 evidence items each,   3 anchors each   (about 60 KB)
//   large      200 problems,  2,000 evidence items,   2,000 anchors
//   huge     2,000 problems, 20,000 evidence items,  20,000 anchors
//
// Every part of the format is used: product, trackers (prefix and pattern), personas, customers with
// arr/health, every status, severity, horizon and evidence kind, explicit and default signals, impact
// figures, tickets (keys and URLs), related problems, anchors of every kind (path, directory, glob,
// symbol, lines with and without text, notes), block scalars and comments.
//
// Four "intended" problems are planted at every size; a search for the query must show them first:
//   exprot csv   -> "CSV export times out on large reports"
//   onbording    -> "New shops abandon onboarding at bank verification"
//   slow login   -> "Login takes over 8 seconds on shared tablets"
//   sso          -> "Enterprise customers require SAML single sign-on (SSO)"
// Around them sit realistic distractors: other export problems ("Large exports time out behind the
// proxy"), CSV imports whose quotes talk about exports, other onboarding and login problems, "slow"
// problems elsewhere (reports, search, checkout), sessions and permissions problems that mention SSO in
// their description. As in a real file, each intended problem is the most important of its theme:
// distractors whose titles share the query word exactly (other onboarding problems) have a lower
// impact, so a tie on the words is broken by impact, as the unfiltered list is.
//
// Output: bench-data/<size>/customer-insights.yaml, bench-data/<size>/customer-insights.json and
// bench-data/manifest.json (sizes, files, counts, and the id of the intended problem per query).
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** Bump when the generated data changes, so stale bench-data is regenerated. */
export const GENERATOR_VERSION = 5;

export const SIZES = {
  realistic: { seed: 11, problems: 50, evidence: 5, anchors: 3, customers: 14 },
  large: { seed: 22, problems: 200, evidence: 10, anchors: 10, customers: 60 },
  huge: { seed: 33, problems: 2000, evidence: 10, anchors: 10, customers: 300 },
};

export const TODAY = '2026-11-20';

// ---- randomness -------------------------------------------------------------------------------

function mulberry32(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

class Random {
  constructor(seed) {
    this.next = mulberry32(seed);
  }
  int(min, max) {
    return min + Math.floor(this.next() * (max - min + 1));
  }
  pick(list) {
    return list[Math.floor(this.next() * list.length)];
  }
  chance(p) {
    return this.next() < p;
  }
  /** `n` distinct items of `list` (fewer when the list is shorter). */
  sample(list, n) {
    const copy = [...list];
    const out = [];
    while (out.length < n && copy.length > 0) out.push(copy.splice(Math.floor(this.next() * copy.length), 1)[0]);
    return out;
  }
  shuffle(list) {
    return this.sample(list, list.length);
  }
  /** A weighted choice: `pairs` is [[value, weight], ...]. */
  weighted(pairs) {
    const total = pairs.reduce((s, [, w]) => s + w, 0);
    let r = this.next() * total;
    for (const [v, w] of pairs) {
      r -= w;
      if (r < 0) return v;
    }
    return pairs[pairs.length - 1][0];
  }
  /** A date `min`..`max` days before TODAY. */
  daysAgo(min, max) {
    const d = new Date(`${TODAY}T00:00:00Z`);
    d.setUTCDate(d.getUTCDate() - this.int(min, max));
    return d.toISOString().slice(0, 10);
  }
}

// ---- vocabulary -------------------------------------------------------------------------------

const PERSONAS = [
  { id: 'shop-owner', name: 'Shop owner', description: 'Runs a 1-5 person shop, online and behind the counter. Does the books on Sunday night.', jobs: ["Get paid for today's sales today", "Reconcile the week's payments in under 10 minutes"] },
  { id: 'bookkeeper', name: 'Bookkeeper', description: 'Freelance accountant looking after 10-40 shops; lives in Xero and spreadsheets.', jobs: ['Close the month for every client by the 10th', 'Book card fees and refunds against the right accounts'] },
  { id: 'floor-staff', name: 'Floor staff', description: 'Works the till on a shared tablet, often part-time, while a queue is forming.', jobs: ['Find any product in under five seconds', 'Never lose a sale to a login screen'] },
  { id: 'it-admin', name: 'IT admin', description: 'Looks after systems for a multi-store retailer and answers to a security team.', jobs: ['Give and remove staff access from one place', 'Pass the annual security review without exceptions'] },
  { id: 'new-merchant', name: 'New merchant', description: 'Signed up this week, usually moving from a market stall or Etsy.', jobs: ['Take a first online payment the day they sign up'] },
  { id: 'store-manager', name: 'Store manager', description: 'Runs one store of a chain: rotas, stock counts and the end-of-day cash-up.', jobs: ['Close the till in under 15 minutes', 'Know what to reorder before the weekend'] },
  { id: 'ops-lead', name: 'Operations lead', description: 'Head office role at a 5-50 store retailer; owns integrations and reporting.', jobs: ['See every store on one dashboard', 'Keep the marketplace listings in sync'] },
];

const CUSTOMER_NAMES = [
  'Globex Corp', 'Initech Outdoor', 'Northwind Outfitters', 'Bluebird Bakery', 'Kettle & Co', 'Stark Cycles',
  'Umbrella Pharmacy', 'Harbour Books', 'Fern & Finch', 'Copper Kettle Cafe', 'Moss Garden Centre', 'Tidewater Surf',
  'Oakridge Hardware', 'Little Lark Toys', 'Pennyworth Tailors', 'Saltmarsh Deli', 'Brightside Opticians', 'Redwood Running',
  'Meadow & Vine', 'Ironbridge Coffee', 'Lantern Lane Gifts', 'Paper Crane Stationery', 'Foxglove Florists', 'Granite Outdoor',
];
const NAME_FIRST = ['Amber', 'Birch', 'Cobalt', 'Drift', 'Ember', 'Falcon', 'Grove', 'Hazel', 'Indigo', 'Juniper', 'Kestrel', 'Linden', 'Marlow', 'Nettle', 'Orchard', 'Pebble', 'Quarry', 'Rowan', 'Sable', 'Thistle', 'Umber', 'Vale', 'Willow', 'Yarrow'];
const NAME_SECOND = ['Bakery', 'Books', 'Cycles', 'Deli', 'Florists', 'Gifts', 'Hardware', 'Interiors', 'Jewellers', 'Kitchenware', 'Lighting', 'Market', 'Nursery', 'Optics', 'Pets', 'Records', 'Surf', 'Tea Rooms', 'Toys', 'Wines'];
const SEGMENTS = [['smb', 6], ['mid-market', 3], ['enterprise', 1]];
const OWNERS = ['dana', 'priya', 'sam', 'li', 'marco', 'jo', 'alex', 'noor', 'tomas', 'ines'];
const QUALIFIERS = [
  '', '', '', '', ' for multi-store shops', ' on the iPad app', ' on Android tablets', ' during the holiday rush',
  ' since the March release', ' for shops in Ireland', ' for shops with over 5,000 products', ' on the Business plan',
  ' for part-time staff', ' in the EU', ' after the app update', ' on Saturdays', ' for shops that sell abroad',
];
const FREE_TEXT_CUSTOMERS = [
  'Three florists at the Leeds small-business meetup', 'Anonymous reviewer on the app marketplace',
  'Two bakeries from the Bristol pilot', 'Partner round-table, October', 'A prospect on the Business plan trial',
];
const GENERIC_SUMMARIES = [
  'Raised in the quarterly NPS comments by several detractors.',
  'Came up unprompted in most of the customer calls this month.',
  'Support tagged these tickets after the October triage.',
  'Seen in session recordings: people try, give up and leave the page.',
  'Mentioned in the churn survey as a reason to look at competitors.',
  'Account managers flagged it in the pipeline review.',
];

// Themes: titles (complete; a qualifier may follow), description sentences, quotes, summaries, tags
// and the code that answers them. No theme but the intended problems' pairs "csv" with "export" in a
// title, and no login theme text says "slow" (those are the distractor rules the ranking is tested on).
const THEMES = [
  {
    key: 'export', tags: ['export', 'reporting', 'bookkeeping'], dir: 'src/export', files: ['csv.ts', 'pdf.ts', 'xero.ts', 'jobs.ts'],
    symbols: ['CsvWriter.flush', 'CsvWriter.writeRow', 'StatementBuilder.build', 'ExportJob.run', 'XeroMapper.mapLine'],
    lines: ['if (rows.length > MAX_ROWS) {', 'export const COLUMNS = [', 'const stream = res.write(chunk);', 'for (const order of page.orders) {'],
    titles: [
      'Large exports time out behind the proxy', 'PDF statements time out for a full year of orders', 'Month-end export lacks the fee and refund columns',
      'Excel export loses leading zeros in SKUs', 'Xero export books card fees to the wrong account', 'Scheduled export emails arrive with an empty attachment',
      'Order export ignores the selected date range', 'Export splits one order over several rows', 'VAT report export rounds to the nearest pound',
      'Customer list export leaves out marketing consent', 'Export button is hidden on the mobile app',
    ],
    sentences: [
      'Bookkeepers open the CSV in Excel and rebuild the columns by hand every month.', 'The export runs on the web request, so anything over a minute is cut off by the proxy.',
      'Shops with **several stores** export each store separately and merge the files.', 'Accountants want the file to match the payout to the penny.',
      'The problem gets worse at month end, when every shop exports at once.', 'Support has a macro for it, which tells us how often it comes up.',
    ],
    quotes: [
      'I spend the first Monday of every month fixing the export before I can send it on.', 'The file opens, but half the columns are in the wrong place for Xero.',
      'It says the export is ready and then the file is empty.', 'My accountant charges me an extra hour for cleaning up your spreadsheet.',
    ],
    summaries: ['Export failures cluster on the first working day of the month.', 'Tickets about export files that need fixing before import into accounting tools.'],
  },
  {
    key: 'import', tags: ['import', 'catalogue', 'migration'], dir: 'src/import', files: ['csvImport.ts', 'shopify.ts', 'images.ts'],
    symbols: ['CsvImporter.parseRow', 'CsvImporter.validate', 'ShopifyMigrator.importVariants', 'ImageQueue.drain'],
    lines: ['const delimiter = sniffDelimiter(sample);', 'if (row.length !== header.length) {', 'await queue.add(image);'],
    titles: [
      'CSV product import rejects files saved from Excel', 'CSV customer import fails above 10,000 rows', 'Stock count import doubles quantities',
      'Product import from Shopify drops variants', 'Import shows no line number for bad rows', 'Image import stalls on large catalogues',
      'Supplier price lists cannot be imported', 'Import overwrites prices that were edited by hand',
    ],
    sentences: [
      'Most shops moving to us export their catalogue as CSV from their old system and import it here.', 'The import gives up at the first bad row without saying which one.',
      'Semicolon-separated files from European versions of Excel are read as one column.', 'Shops retry the import several times and end up with duplicates.',
    ],
    quotes: [
      'We export everything from Shopify as CSV and your import chokes on it.', 'It just says "invalid file". Which line? Which column?',
      'I gave up and typed 400 products in by hand over a weekend.', 'The CSV export from our old till opens fine everywhere except here.',
    ],
    summaries: ['Failed imports in the first week of sign-up, mostly from migrating shops.', 'Import errors where the file was saved by a European Excel.'],
  },
  {
    key: 'onboarding', tags: ['onboarding', 'activation', 'growth'], dir: 'src/onboarding', files: ['wizard.ts', 'checklist.ts', 'emails.ts'],
    symbols: ['OnboardingWizard.next', 'OnboardingWizard.verifyBankAccount', 'Checklist.progress', 'WelcomeEmails.schedule'],
    lines: ["case 'unavailable':", 'if (!shop.vatNumber) {', 'const steps = checklistFor(plan);'],
    titles: [
      'Onboarding checklist ignores shops that import their products', 'Staff onboarding takes a manager a full afternoon', 'Onboarding emails stop after the second day',
      'Sign-up asks for a VAT number before shops have one', 'Onboarding video does not play in Safari', 'New shops cannot find where to add their logo',
      'Tax setup step confuses shops outside the UK', 'Shops moving from Etsy cannot bring their reviews', 'Welcome tour covers features the plan does not include',
    ],
    sentences: [
      'New merchants drop out in the first week when a step asks for something they do not have yet.', 'The onboarding flow was designed for single-store shops.',
      'Shops that skip a step never find their way back to it.', 'Activation is measured as a first payment within 14 days of sign-up.',
    ],
    quotes: [
      'I signed up on a Sunday and by Tuesday I still could not take a payment.', 'The checklist kept telling me to add products I had already imported.',
      'I did not know what it wanted from me, so I closed it and went back to my old till.', 'Setting up each new starter takes me most of an afternoon.',
    ],
    summaries: ['Drop-off between sign-up and first payment, by onboarding step.', 'Sign-up survey answers about the first week.'],
  },
  {
    key: 'login', tags: ['auth', 'login', 'till'], dir: 'src/auth', files: ['login.ts', 'session.ts', 'twoFactor.ts', 'pin.ts'],
    symbols: ['LoginController.submit', 'SessionStore.touch', 'TwoFactor.sendCode', 'PinPad.verify', 'canSeeReports'],
    lines: ['const session = await sessions.create(user, device);', 'if (attempts >= MAX_ATTEMPTS) {', 'return normaliseEmail(input);'],
    titles: [
      'Login page rejects passwords with spaces', 'Staff are logged out of the till tablet mid-shift', 'Password reset emails arrive after the link expires',
      'Two-factor codes do not reach staff without a phone', 'Login fails for email addresses with a plus sign', 'Shared tablet shows the previous user after logout',
      'Login with Google creates a second account', 'Staff PINs can be guessed from smudges on the screen', 'Locked-out owners wait a day for support to unlock them',
    ],
    sentences: [
      'Staff share one tablet per till and switch users many times a shift.', 'Owners reset passwords for staff who forgot theirs, often mid-queue.',
      'The login screen is the first thing a new starter sees, and the first thing they get wrong.', 'Support unlocks accounts by hand after a security check.',
    ],
    quotes: [
      'I had a queue out the door and the tablet wanted my password again.', 'The reset link had already expired when the email arrived.',
      'Half my staff do not have a work phone, so the codes go nowhere.', 'I could see the previous person was still signed in on the till.',
    ],
    summaries: ['Tickets about staff being unable to sign in at the till.', 'Account lock-outs per week, mostly on Saturday mornings.'],
  },
  {
    key: 'access', tags: ['permissions', 'security', 'auth'], dir: 'src/auth', files: ['roles.ts', 'audit.ts', 'access.ts'],
    symbols: ['RoleGuard.check', 'AuditLog.record', 'AccessReview.leavers', 'Roles.forStore'],
    lines: ['if (!role.allows(action, store)) {', 'auditLog.record(actor, change);'],
    titles: [
      'Leavers keep access to the back office for weeks', "Bookkeepers share the owner's login to see reports", 'Staff permissions cannot be set per store',
      'Audit log does not show who changed prices', 'Admins cannot force a password reset for all staff', 'Sessions on shared tablets never expire',
      'No way to give an agency temporary access', 'Role changes take effect only after signing out again',
    ],
    sentences: [
      'Larger retailers manage staff accounts in their identity provider and expect SSO.', 'IT admins are measured on how fast leavers lose access.',
      'There is no read-only role, so people share the owner account.', 'Security reviews ask for a record of who changed what.',
    ],
    quotes: [
      'Our auditors flagged every shared password last year.', 'A manager who left in June could still see the sales figures in August.',
      'I just want one place where I remove someone and they are gone everywhere.', 'We give the agency the owner password because there is no other way.',
    ],
    summaries: ['Security questionnaires from Business-plan prospects.', 'Access requests handled by support for multi-store retailers.'],
  },
  {
    key: 'payouts', tags: ['payments', 'payouts', 'trust'], dir: 'src/payments', files: ['payouts.ts', 'reconcile.ts', 'refunds.ts'],
    symbols: ['PayoutScheduler.nextPayoutWindow', 'Reconciler.matchPayout', 'RefundLedger.deduct'],
    lines: ['if (this.calendar.isWorkingDay(now, shop.currency) && now < cutoff) {', 'const net = gross - fees - refunds;'],
    titles: [
      'Payouts miss the same-day window on bank holidays', 'Payout emails do not say which orders are included', 'Payouts to Irish banks arrive a day late',
      'Reconciling payouts against orders takes hours every week', 'Refunds are taken from the next payout without warning', 'Payout schedule cannot be changed to weekly',
      'Chargeback fees appear without an explanation',
    ],
    sentences: [
      'Same-day payouts are the headline promise of the product.', 'Owners match bank lines to orders by amount, by hand, on Sunday night.',
      'Refunds and fees make the payout differ from the sales total and nobody can tell why.', 'Bank holidays abroad push payouts to the next working day.',
    ],
    quotes: [
      'That is the one thing I pay you for: the money, today.', 'I just want to click the payout and see the orders in it.',
      'The payout was short and I had no idea why until I called.', 'I told my supplier he would have the money Friday.',
    ],
    summaries: ['"Where is my payout?" tickets, clustered on bank holidays.', 'Payouts initiated before cut-off that arrived the next day.'],
  },
  {
    key: 'search', tags: ['search', 'till', 'catalogue'], dir: 'src/search', files: ['productSearch.ts', 'barcode.ts'],
    symbols: ['ProductSearch.query', 'ProductSearch.rank', 'BarcodeLookup.find'],
    lines: ['const terms = tokenize(query);', 'if (isBarcode(input)) {'],
    titles: [
      'Product search misses SKUs and small typos', 'Search results ignore stock levels', 'Search cannot find products by barcode',
      'Search at the till is slow on older iPads', 'Archived products appear in search results', 'Search does not understand plurals',
    ],
    sentences: [
      'Staff type the SKU from the label or misspell a product name and get nothing back.', 'Zero-result searches send staff to the back room to check.',
      'Older iPads take several seconds to show results on large catalogues.',
    ],
    quotes: [
      "Search can't find 'helmit'. Customers can spell better than the software.", 'It shows me the red one that we sold out of last month.',
      'I scan the barcode and it says no product found.',
    ],
    summaries: ['Till searches that return zero results; half of them look like SKUs.', 'Search latency on first-generation iPad Air devices.'],
  },
  {
    key: 'notifications', tags: ['notifications', 'email'], dir: 'src/notifications', files: ['email.ts', 'push.ts', 'sms.ts'],
    symbols: ['Mailer.send', 'PushService.notify', 'SmsSender.format', 'DigestJob.run'],
    lines: ['await mailer.send(template, to);', 'if (prefs.digest === false) return;'],
    titles: [
      'Low-stock alerts arrive after the item has sold out', "Order confirmation emails land in buyers' spam folders", 'Push notifications for new orders arrive twice',
      'Shops cannot turn off the daily summary email', 'SMS receipts are sent with the wrong country code', 'Notification settings reset after an update',
    ],
    sentences: [
      'The daily email goes out at 6am, so fast sellers go from low to sold out without a warning.', 'Owners get so many emails that they stop reading the important ones.',
      'Buyers reply to the confirmation email and nobody at the shop sees it.',
    ],
    quotes: [
      'The email told me the tea was low. It had been gone since lunchtime the day before.', 'My phone buzzes twice for every order, all day.',
      'I cannot find where to turn this email off.',
    ],
    summaries: ['Requests for real-time alerts instead of the daily email.', 'Duplicate push notifications seen in device logs.'],
  },
  {
    key: 'inventory', tags: ['inventory', 'marketplace', 'stock'], dir: 'src/inventory', files: ['stock.ts', 'transfers.ts', 'bundles.ts'],
    symbols: ['StockLedger.reserve', 'StockLedger.lowStock', 'TransferService.complete', 'Bundle.components'],
    lines: ['reserve(sku: string, quantity: number', 'if (level < 0 && !allowNegative) {'],
    titles: [
      'Two channels sell the last item and one order is cancelled', 'Stock counts drift after returns', 'Variants share one stock number by mistake',
      'Transfers between stores take a day to show', 'Bundles do not reduce the stock of their items', 'Negative stock is allowed at the till',
    ],
    sentences: [
      'A shop selling online and at the till oversells when both take the last unit within minutes.', 'Stock is reserved at add-to-cart, not when payment clears.',
      'Stores move stock between them every week and the numbers lag behind.',
    ],
    quotes: [
      "We're not moving the second store over until the stock is one number everywhere.", 'I had to call a customer and tell them the jacket was gone after all.',
      'The count says twelve and the shelf says three.',
    ],
    summaries: ['Orders cancelled for stock, mostly at weekends.', 'Half a day in a flagship store on a Saturday: two oversells in four hours.'],
  },
  {
    key: 'reports', tags: ['reports', 'analytics', 'performance'], dir: 'src/reports', files: ['sales.ts', 'dashboard.ts', 'margins.ts'],
    symbols: ['SalesReport.totals', 'Dashboard.refresh', 'MarginReport.compute'],
    lines: ['const tz = shop.timeZone ?? "UTC";', 'for (const day of range.days()) {'],
    titles: [
      'Sales report totals differ from the payout', 'Reports are slow to load for shops with many orders', 'Reports cannot be filtered by staff member',
      "Dashboard shows yesterday's figures until noon", 'Margin report ignores supplier discounts', "Reports use UTC instead of the shop's time zone",
    ],
    sentences: [
      'Owners check the dashboard first thing in the morning and see stale numbers.', 'The sales report and the payout disagree by refunds and fees.',
      'Large shops wait a long time for the monthly report to appear.',
    ],
    quotes: [
      'I open the dashboard with my coffee and it is still showing yesterday.', 'The report takes so long I go and do something else.',
      'Which number is right, the report or the bank?',
    ],
    summaries: ['Report page load times for shops over 10k orders a month.', 'Questions about report totals raised with account managers.'],
  },
  {
    key: 'checkout', tags: ['checkout', 'payments', 'conversion'], dir: 'src/checkout', files: ['cart.ts', 'threeDs.ts', 'discounts.ts'],
    symbols: ['Checkout.confirm', 'ThreeDSecure.challenge', 'DiscountEngine.apply'],
    lines: ['if (requiresChallenge(card)) {', 'const total = subtotal - discount + shipping;'],
    titles: [
      'Checkout fails for cards that need 3-D Secure', 'Buyers cannot apply two discount codes', 'Checkout page is slow on mobile networks',
      'Apple Pay button is missing on some themes', 'Guest checkout asks for an account anyway', 'Tips cannot be added after the card is tapped',
    ],
    sentences: [
      'Buyers abandon the basket when the bank challenge opens in a new window.', 'Most buyers check out on a phone, often on a weak connection.',
      'Shops run promotions that stack a newsletter code with a seasonal one.',
    ],
    quotes: [
      'My customers tell me the payment page just spins on their phone.', 'They had the discount code and it would not take it.',
      'A buyer emailed to say she gave up and bought it elsewhere.',
    ],
    summaries: ['Checkout abandonment by step and device.', 'Failed 3-D Secure challenges by card issuer.'],
  },
  {
    key: 'shipping', tags: ['shipping', 'fulfilment'], dir: 'src/shipping', files: ['labels.ts', 'rates.ts', 'customs.ts'],
    symbols: ['LabelPrinter.render', 'RateCalculator.quote', 'CustomsForm.build'],
    lines: ['const weight = parcel.items.reduce(sumWeight, 0);'],
    titles: [
      'Shipping labels print at the wrong size', 'Click-and-collect orders show a delivery fee', 'Tracking links open the wrong carrier',
      'Shipping rates ignore parcel weight', 'International orders need customs forms by hand',
    ],
    sentences: [
      'Shops print labels on thermal printers that expect 4x6 inches.', 'Carriers change their tracking URLs without notice.',
      'Heavy items are sold at a loss because the rate is flat.',
    ],
    quotes: ['Every label comes out tiny in the corner of the sticker.', 'I lose money on every cast-iron pan I post.', 'The tracking link goes to a courier we do not use.'],
    summaries: ['Tickets about label printing, by printer model.', 'Orders where the shipping charged was below the carrier cost.'],
  },
  {
    key: 'invoices', tags: ['invoices', 'tax', 'compliance'], dir: 'src/invoices', files: ['invoice.ts', 'creditNotes.ts', 'tax.ts'],
    symbols: ['InvoiceRenderer.render', 'CreditNote.issue', 'TaxCalculator.lineTax'],
    lines: ['const number = sequence.next(shop.id);'],
    titles: [
      "Invoices lack the shop's VAT number", 'Credit notes cannot be issued for part of an order', 'Tax is charged twice on shipping in some states',
      'Invoice numbers restart every year by mistake', 'Shops cannot add their logo to invoices',
    ],
    sentences: [
      'Business buyers need a VAT invoice to reclaim the tax.', 'Partial refunds are common for bundles and damaged items.',
      'Accountants flag gaps and repeats in invoice numbers.',
    ],
    quotes: ['My trade customers keep asking for a proper VAT invoice.', 'I had to refund the whole order to take one item off.', 'Our accountant flagged two invoices with the same number.'],
    summaries: ['Requests from trade buyers for compliant invoices.', 'Partial refunds handled by support on behalf of shops.'],
  },
  {
    key: 'integrations', tags: ['integrations', 'sync'], dir: 'src/integrations', files: ['xeroSync.ts', 'mailchimp.ts', 'webhooks.ts', 'marketplace.ts'],
    symbols: ['XeroSync.run', 'MailchimpSync.upsert', 'WebhookDispatcher.retry', 'MarketplaceFeed.pull'],
    lines: ['if (response.status === 410) {', 'await sync.run({ since: cursor });'],
    titles: [
      'Xero sync stops silently after a password change', 'Mailchimp sync duplicates customers', 'Marketplace orders arrive an hour late',
      'Webhooks retry forever on a 410', 'QuickBooks sync cannot map tax codes',
    ],
    sentences: [
      'Integrations fail quietly and owners find out at month end.', 'Marketplace orders are pulled every hour, not pushed.',
      'Partners build on our webhooks and expect standard retry behaviour.',
    ],
    quotes: ['Nothing told me the sync had stopped three weeks ago.', 'Every customer is in Mailchimp twice now.', 'The marketplace order came in after we had closed.'],
    summaries: ['Integrations disconnected without a notification.', 'Partner tickets about webhook retries.'],
  },
  {
    key: 'hardware', tags: ['hardware', 'till', 'offline'], dir: 'src/till', files: ['cardReader.ts', 'printer.ts', 'offline.ts', 'drawer.ts'],
    symbols: ['CardReader.reconnect', 'ReceiptPrinter.cut', 'OfflineQueue.flush', 'CashDrawer.open'],
    lines: ['if (!reader.connected) await reader.reconnect();', 'queue.push(sale);'],
    titles: [
      'Card reader disconnects after the tablet sleeps', 'Receipt printer cuts receipts in half', 'Barcode scanner drops the first digit',
      'Till app crashes when the tablet goes offline', 'Cash drawer does not open for split payments',
    ],
    sentences: [
      'Tills run on consumer tablets that sleep to save battery.', 'Market stalls and pop-ups often have no reliable connection.',
      'Staff take split payments, part cash and part card, many times a day.',
    ],
    quotes: ['Every morning the card reader needs pairing again.', 'We lost a whole afternoon of sales when the wifi dropped.', 'The drawer stays shut and the customer is holding out cash.'],
    summaries: ['Reader disconnections per device per day.', 'Crash reports from the till app while offline.'],
  },
];

const THEME = Object.fromEntries(THEMES.map((t) => [t.key, t]));

/** The planted problems: the query a person would type, and the problem they are looking for. */
const INTENDED = [
  {
    query: 'exprot csv', theme: 'export',
    title: 'CSV export times out on large reports',
    description: [
      'Shops with more than **5,000 orders** a month cannot export the month as CSV:',
      'the request runs for a minute and fails at the proxy. Bookkeepers then',
      'export week by week and stitch the files together by hand.',
    ],
    status: 'in-progress', severity: 'high', horizon: 'urgent', tags: ['export', 'performance', 'reporting'],
    impact: { customers: 140, arr: 410000, votes: 37, tickets: 52 },
    quotes: ['Every Monday the export spins for ten minutes and dies. I have stopped trying before nine.'],
    summaries: ['Timeouts on /reports/export, 90% of them for shops over 5k orders a month.'],
    symbols: ['CsvWriter.flush'], lines: ['if (rows.length > MAX_ROWS) {'],
  },
  {
    query: 'onbording', theme: 'onboarding',
    title: 'New shops abandon onboarding at bank verification',
    description: [
      'The onboarding wizard parks new merchants on a spinner while we confirm their',
      'bank account. When the bank check is unavailable they wait 1-2 days for',
      'micro-deposits, and many never come back.',
    ],
    status: 'validated', severity: 'high', horizon: 'active', tags: ['onboarding', 'activation'],
    impact: { customers: 210, arr: 265000, tickets: 88 },
    quotes: ["It said 'verifying' and I had customers waiting at the stall, so I just took cash. Never went back to it."],
    summaries: ['38% of sign-ups who reach the bank step do not take a payment within 14 days.'],
    symbols: ['OnboardingWizard.verifyBankAccount'], lines: ["case 'unavailable':"],
  },
  {
    query: 'slow login', theme: 'login',
    title: 'Login takes over 8 seconds on shared tablets',
    description: [
      'On the shared till tablet, logging in is slow: staff wait 8-12 seconds after',
      'entering their PIN while the app loads the whole catalogue. Queues form at',
      'opening time and at every shift change.',
    ],
    status: 'in-progress', severity: 'high', horizon: 'urgent', tags: ['auth', 'performance', 'till'],
    impact: { customers: 95, arr: 188000, votes: 21, tickets: 64 },
    quotes: ['Logging in is so slow that I take cash instead of waiting for the till.'],
    summaries: ['Median time from PIN to till screen on shared tablets is 9.4 seconds (target 2).'],
    symbols: ['LoginController.submit'], lines: ['const session = await sessions.create(user, device);'],
  },
  {
    query: 'sso', theme: 'access',
    title: 'Enterprise customers require SAML single sign-on (SSO)',
    description: [
      'Larger retailers will not roll the product out to every store while staff',
      'accounts are managed by hand. Their security teams require single sign-on',
      'through their identity provider, and fast removal of leavers.',
    ],
    status: 'validated', severity: 'high', horizon: 'strategic', tags: ['auth', 'enterprise', 'security'],
    impact: { customers: 12, arr: 940000 },
    quotes: ['No single sign-on, no renewal. Our auditors flagged every shared tablet password last year.'],
    summaries: ['Single sign-on raised as a blocker in 5 of the 9 Business-plan deals lost this half.'],
    symbols: ['SamlProvider.validateAssertion'], lines: ['if (!assertion.audience.includes(entityId)) {'],
  },
];

const STATUSES = [['hypothesis', 2], ['validated', 4], ['in-progress', 3], ['solved', 2], ['wont-fix', 1]];
const SEVERITIES = [['critical', 1], ['high', 3], ['medium', 5], ['low', 3]];
const HORIZONS = [[undefined, 4], ['urgent', 1], ['active', 3], ['strategic', 2]];
const KINDS = [['interview', 5], ['field-study', 2], ['focus-group', 1], ['survey', 2], ['support', 4], ['sales-call', 2], ['usage-data', 3], ['review', 2], ['other', 1]];
const SAID_OBSERVED_DEFAULT = { 'field-study': 'observed', 'usage-data': 'observed' };

// ---- the data ---------------------------------------------------------------------------------

/**
 * The file's data as plain values (what YAML.parse of the written file gives), plus comments to
 * write: `comments` maps a problem id to a comment line above it, `inline` a problem id to a comment
 * after its severity.
 */
export function generate(sizeName) {
  const size = SIZES[sizeName];
  if (!size) throw new Error(`unknown size "${sizeName}" (${Object.keys(SIZES).join(', ')})`);
  const rnd = new Random(size.seed);

  const customers = [];
  const usedNames = new Set();
  for (let i = 0; customers.length < size.customers; i++) {
    const name = i < CUSTOMER_NAMES.length ? CUSTOMER_NAMES[i] : `${rnd.pick(NAME_FIRST)} ${rnd.pick(NAME_SECOND)}`;
    if (usedNames.has(name)) continue;
    usedNames.add(name);
    const segment = i === 0 ? 'enterprise' : rnd.weighted(SEGMENTS);
    const arr = segment === 'enterprise' ? rnd.int(12, 40) * 10000 : segment === 'mid-market' ? rnd.int(10, 60) * 1200 : rnd.int(10, 60) * 120;
    const customer = { id: slug(name), name, segment, arr, health: rnd.weighted([['healthy', 7], ['at-risk', 2], ['churned', 1]]) };
    if (rnd.chance(0.1)) delete customer.segment;
    customers.push(customer);
  }
  const customerIds = customers.map((c) => c.id);
  const personaIds = PERSONAS.map((p) => p.id);

  // Titles: theme titles with qualifiers, shuffled, drawn without repeats until exhausted.
  const pool = [];
  for (const theme of THEMES) for (const t of theme.titles) for (const q of QUALIFIERS) pool.push({ theme, title: t + q });
  const unique = [...new Map(pool.map((p) => [p.title, p])).values()];
  let titles = rnd.shuffle(unique.filter((p) => !p.title.includes('  ')));
  // Plain titles first (as people write most of the time); qualified ones fill the large sizes.
  titles = [...titles.filter((p) => !QUALIFIERS.slice(4).some((q) => p.title.endsWith(q))), ...titles.filter((p) => QUALIFIERS.slice(4).some((q) => p.title.endsWith(q)))];

  const count = size.problems;
  // Intended problems sit at fixed, spread-out positions (never first, never together).
  const intendedAt = new Map(INTENDED.map((spec, k) => [Math.floor(((k + 1) * count) / (INTENDED.length + 1)) + 1, spec]));
  const ids = Array.from({ length: count }, (_, i) => `P-${i + 1}`);
  const problems = [];
  const comments = new Map();
  const inline = new Map();
  let t = 0;
  for (let i = 0; i < count; i++) {
    const id = ids[i];
    const spec = intendedAt.get(i);
    const { theme, title } = spec ? { theme: THEME[spec.theme], title: spec.title } : titles[t++ % titles.length];
    const p = { id, title };
    p.description = (spec ? spec.description : descriptionFor(rnd, theme)).join('\n') + '\n';
    const status = spec ? spec.status : rnd.weighted(STATUSES);
    if (status !== 'hypothesis' || rnd.chance(0.5)) p.status = status;
    let severity = spec ? spec.severity : rnd.weighted(SEVERITIES);
    // Onboarding distractors share the query word "onboarding" with the intended problem: keep them
    // below it in impact (see the header).
    if (!spec && theme.key === 'onboarding' && severity === 'critical') severity = 'high';
    if (severity !== 'medium' || rnd.chance(0.4)) p.severity = severity;
    const horizon = spec ? spec.horizon : rnd.weighted(HORIZONS);
    if (horizon) p.horizon = horizon;
    p.personas = rnd.sample(personaIds, rnd.int(1, 2));
    const listed = rnd.sample(customerIds, rnd.int(0, 4));
    if (listed.length) p.customers = listed;
    p.tags = spec ? spec.tags : rnd.sample(theme.tags, rnd.int(1, 3));
    if (spec || rnd.chance(0.45)) {
      const impact = spec ? { ...spec.impact } : {
        customers: theme.key === 'onboarding' ? rnd.int(1, 120) : rnd.int(1, 260),
        arr: rnd.int(1, 400) * 1000,
        votes: rnd.chance(0.5) ? rnd.int(1, 80) : undefined,
        tickets: rnd.chance(0.6) ? rnd.int(1, 300) : undefined,
      };
      impact.as_of = rnd.daysAgo(5, 200);
      for (const k of Object.keys(impact)) if (impact[k] === undefined) delete impact[k];
      p.impact = impact;
    }
    if (status !== 'hypothesis') p.validated = spec ? rnd.daysAgo(3, 40) : rnd.daysAgo(3, 260);
    p.owner = rnd.pick(OWNERS);
    if (i > 0 && rnd.chance(0.4)) p.related = rnd.sample(ids.slice(0, count).filter((x) => x !== id), rnd.int(1, 2));
    p.evidence = [];
    for (let e = 0; e < size.evidence; e++) p.evidence.push(evidenceFor(rnd, theme, spec, e, customerIds, personaIds));
    p.tickets = ticketsFor(rnd);
    if (p.tickets.length === 0) delete p.tickets;
    p.code = [];
    for (let a = 0; a < size.anchors; a++) p.code.push(anchorFor(rnd, theme, spec, a));
    problems.push(p);
    if (rnd.chance(0.08)) comments.set(id, rnd.pick([
      `Merged from P-${rnd.int(count + 1, count + 400)} in October; that id is retired.`,
      'Re-check with a customer before prioritising.',
      'Discussed in the Monday product sync; owner to add the interview notes.',
      'Evidence from the autumn research round.',
    ]));
    if (rnd.chance(0.05)) inline.set(id, rnd.pick(['raised after the renewal call', 'was medium until October', 'sales asks about this weekly']));
  }

  const data = {
    version: 1,
    product: { name: 'Acme Shop', value: 'Small shops get paid the same day.' },
    trackers: [
      { prefix: 'ACME', url: 'https://acme.example/browse/{key}' },
      { pattern: 'GH-(\\d+)', url: 'https://github.example/acme/shop/issues/{1}' },
      { prefix: 'ZD', url: 'https://acme.zendesk.example/agent/tickets/{key}' },
    ],
    personas: PERSONAS.map((p) => ({ ...p, jobs: [...p.jobs] })),
    customers,
    problems,
  };
  const intended = Object.fromEntries([...intendedAt.entries()].map(([i, spec]) => [spec.query, ids[i]]));
  return { data, comments, inline, intended };
}

function descriptionFor(rnd, theme) {
  const sentences = rnd.shuffle(theme.sentences);
  const lines = wrap(sentences.slice(0, rnd.int(1, 2)).join(' '), 78);
  if (rnd.chance(0.15)) {
    lines.push('', 'What we heard most:');
    for (const s of sentences.slice(2, 4)) lines.push(`- ${s}`);
  }
  return lines;
}

function evidenceFor(rnd, theme, spec, e, customerIds, personaIds) {
  const kind = spec && e === 0 ? 'interview' : spec && e === 1 ? 'support' : rnd.weighted(KINDS);
  const item = { kind };
  if (rnd.chance(0.1)) item.signal = rnd.chance(0.7) ? (SAID_OBSERVED_DEFAULT[kind] ?? 'said') : (SAID_OBSERVED_DEFAULT[kind] ? 'said' : 'observed');
  const own = spec && e < 2;
  const observed = (item.signal ?? SAID_OBSERVED_DEFAULT[kind] ?? 'said') === 'observed';
  if (own && e === 0) item.quote = spec.quotes[0];
  else if (own) item.summary = spec.summaries[0];
  else if (observed || kind === 'usage-data' || kind === 'support') item.summary = rnd.chance(0.7) ? rnd.pick(theme.summaries) : rnd.pick(GENERIC_SUMMARIES);
  else {
    item.quote = rnd.pick(theme.quotes);
    if (rnd.chance(0.05)) item.summary = rnd.pick(GENERIC_SUMMARIES);
  }
  if (rnd.chance(0.3)) item.customer = rnd.chance(0.85) ? rnd.pick(customerIds) : rnd.pick(FREE_TEXT_CUSTOMERS);
  if (rnd.chance(0.2)) item.persona = rnd.pick(personaIds);
  item.date = rnd.daysAgo(2, 320);
  if (rnd.chance(0.08)) item.url = rnd.pick([
    `https://support.example/tickets/${rnd.int(40000, 69999)}`,
    `https://research.example/sessions/${rnd.int(100, 999)}`,
    `https://crm.example/opportunities/${rnd.int(1000, 9999)}`,
  ]);
  if (kind === 'survey' || kind === 'usage-data' || (kind === 'support' && rnd.chance(0.3))) item.count = rnd.int(3, 5000);
  return item;
}

function ticketsFor(rnd) {
  const tickets = [];
  const n = rnd.int(0, 3);
  for (let k = 0; k < n; k++) {
    tickets.push(rnd.weighted([
      [`ACME-${rnd.int(100, 1999)}`, 6], [`GH-${rnd.int(100, 999)}`, 3], [`ZD-${rnd.int(10000, 99999)}`, 2],
      [`https://support.example/tickets/${rnd.int(40000, 69999)}`, 1],
    ]));
  }
  return [...new Set(tickets)];
}

function anchorFor(rnd, theme, spec, a) {
  const file = `${theme.dir}/${rnd.pick(theme.files)}`;
  if (spec && a === 0) return { path: `${theme.dir}/${theme.files[0]}`, symbol: spec.symbols[0], note: 'Where the fix lives.' };
  if (spec && a === 1) return { path: `${theme.dir}/${theme.files[0]}`, lines: '88-104', text: spec.lines[0] };
  const shape = rnd.weighted([['glob', 1], ['dir', 1], ['file', 1], ['symbol', 3], ['lines-text', 3], ['lines', 1]]);
  switch (shape) {
    case 'glob': return rnd.pick([`${theme.dir}/**`, `${theme.dir}/*.ts`, `${theme.dir}/**/*.test.ts`]);
    case 'dir': return theme.dir;
    case 'file': return file;
    case 'symbol': {
      const anchor = { path: file, symbol: rnd.pick(theme.symbols) };
      if (rnd.chance(0.2)) anchor.note = 'The entry point for this behaviour.';
      return anchor;
    }
    case 'lines-text': {
      const start = rnd.int(5, 400);
      const anchor = { path: file, lines: `${start}-${start + rnd.int(1, 30)}`, text: rnd.pick(theme.lines) };
      if (rnd.chance(0.15)) anchor.note = rnd.pick(['The check itself.', 'Keep this in step with the docs.', 'Changed for this problem in the autumn release.']);
      return anchor;
    }
    default: return { path: file, lines: rnd.int(1, 500) };
  }
}

// ---- writing YAML -----------------------------------------------------------------------------

/** The YAML text of generated data, with comments, block scalars and flow lists as people write them. */
export function toYaml({ data, comments, inline }) {
  const out = [];
  out.push(
    '# Acme Shop: customer insights (generated for the benchmark by scripts/generate-insights.mjs)',
    '#',
    '# What our customers struggle with, the evidence we hold for it, and the code',
    '# that answers it. Product owns this file; engineering keeps the `code:` anchors honest.',
    '',
    `version: ${data.version}`,
    '',
    'product:',
    `  name: ${scalar(data.product.name)}`,
    `  value: ${scalar(data.product.value)}`,
    '',
    '# Ticket keys in code comments and branch names become links.',
    'trackers:',
  );
  for (const t of data.trackers) {
    out.push(t.prefix ? `  - prefix: ${t.prefix}` : `  - pattern: ${JSON.stringify(t.pattern)}`);
    out.push(`    url: ${t.url}`);
  }
  out.push('', '# Personas: who we build for.', 'personas:');
  for (const p of data.personas) {
    out.push(`  - id: ${p.id}`, `    name: ${scalar(p.name)}`, `    description: ${scalar(p.description)}`, '    jobs:');
    for (const j of p.jobs) out.push(`      - ${scalar(j)}`);
  }
  out.push('', '# Customers: the accounts whose evidence we hold. ARR in GBP.', 'customers:');
  for (const c of data.customers) {
    out.push(`  - id: ${c.id}`, `    name: ${scalar(c.name)}`);
    if (c.segment) out.push(`    segment: ${c.segment}`);
    out.push(`    arr: ${c.arr}`, `    health: ${c.health}`);
  }
  out.push('', '# Problems, roughly by how much they hurt right now.', 'problems:');
  for (const p of data.problems) {
    out.push('');
    if (comments.has(p.id)) out.push(`  # ${comments.get(p.id)}`);
    out.push(`  - id: ${p.id}`, `    title: ${scalar(p.title)}`, '    description: |');
    for (const line of p.description.replace(/\n$/, '').split('\n')) out.push(line === '' ? '' : `      ${line}`);
    if (p.status) out.push(`    status: ${p.status}`);
    if (p.severity) out.push(`    severity: ${p.severity}${inline.has(p.id) ? `          # ${inline.get(p.id)}` : ''}`);
    if (p.horizon) out.push(`    horizon: ${p.horizon}`);
    out.push(`    personas: ${flow(p.personas)}`);
    if (p.customers) out.push(`    customers: ${flow(p.customers)}`);
    out.push(`    tags: ${flow(p.tags)}`);
    if (p.impact) {
      out.push('    impact:');
      for (const [k, v] of Object.entries(p.impact)) out.push(`      ${k}: ${v}`);
    }
    if (p.validated) out.push(`    validated: ${p.validated}`);
    out.push(`    owner: ${p.owner}`);
    if (p.related) out.push(`    related: ${flow(p.related)}`);
    out.push('    evidence:');
    for (const e of p.evidence) {
      out.push(`      - kind: ${e.kind}`);
      for (const k of ['signal', 'quote', 'summary', 'customer', 'persona', 'date', 'url', 'count']) {
        if (e[k] === undefined) continue;
        out.push(`        ${k}: ${k === 'quote' ? JSON.stringify(e[k]) : scalar(e[k])}`);
      }
    }
    if (p.tickets) out.push(`    tickets: ${flow(p.tickets)}`);
    out.push('    code:');
    for (const a of p.code) {
      if (typeof a === 'string') {
        out.push(`      - ${scalar(a)}${a.endsWith('**') ? '                      # everything in this feature' : ''}`);
        continue;
      }
      out.push(`      - path: ${scalar(a.path)}`);
      for (const k of ['symbol', 'lines', 'text', 'note']) if (a[k] !== undefined) out.push(`        ${k}: ${scalar(a[k])}`);
    }
  }
  return `${out.join('\n')}\n`;
}

/** A scalar as YAML: plain when that reads back as the same string (or number), else double-quoted. */
function scalar(value) {
  if (typeof value === 'number') return String(value);
  const s = String(value);
  // Dates and line ranges stay strings under YAML 1.2's core schema.
  if (/^\d{4}-\d{2}-\d{2}$/.test(s) || /^\d+-\d+$/.test(s)) return s;
  if (/^(https?:\/\/|src\/)[^\s#,{}[\]]*$/.test(s)) return s;
  const plain = /^[A-Za-z][A-Za-z0-9 .,;'()&/_@%+!?=*-]*$/.test(s) && !/( #|\s$)/.test(s)
    && !/^(true|false|null|yes|no|on|off|y|n)$/i.test(s);
  return plain ? s : JSON.stringify(s);
}

function flow(list) {
  return `[${list.map((v) => (/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(v) ? v : JSON.stringify(v))).join(', ')}]`;
}

function wrap(text, width) {
  const lines = [];
  let line = '';
  for (const word of text.split(' ')) {
    if (line && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  if (line) lines.push(line);
  return lines;
}

function slug(name) {
  return name.toLowerCase().replace(/&/g, 'and').replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '');
}

// ---- files ------------------------------------------------------------------------------------

/** Writes the sizes into `outDir` (skipping sizes already written by this generator version unless `force`). */
export function writeData(outDir, { sizes = Object.keys(SIZES), force = false, log = () => {} } = {}) {
  const manifestPath = path.join(outDir, 'manifest.json');
  const previous = readJson(manifestPath);
  const manifest = previous?.generator === GENERATOR_VERSION ? previous : { generator: GENERATOR_VERSION, today: TODAY, sizes: {} };
  for (const name of sizes) {
    const dir = path.join(outDir, name);
    const yamlFile = path.join(dir, 'customer-insights.yaml');
    const jsonFile = path.join(dir, 'customer-insights.json');
    if (!force && manifest.sizes[name] && fs.existsSync(yamlFile) && fs.existsSync(jsonFile)) continue;
    const generated = generate(name);
    const yaml = toYaml(generated);
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(yamlFile, yaml);
    fs.writeFileSync(jsonFile, JSON.stringify(generated.data));
    const { problems } = generated.data;
    manifest.sizes[name] = {
      yaml: path.relative(outDir, yamlFile).split(path.sep).join('/'),
      json: path.relative(outDir, jsonFile).split(path.sep).join('/'),
      bytes: Buffer.byteLength(yaml),
      problems: problems.length,
      evidence: problems.reduce((s, p) => s + p.evidence.length, 0),
      anchors: problems.reduce((s, p) => s + p.code.length, 0),
      customers: generated.data.customers.length,
      intended: generated.intended,
    };
    log(`wrote ${yamlFile} (${(Buffer.byteLength(yaml) / 1024).toFixed(0)} KB)`);
  }
  fs.mkdirSync(outDir, { recursive: true });
  fs.writeFileSync(manifestPath, `${JSON.stringify(manifest, null, 2)}\n`);
  return manifest;
}

function readJson(file) {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch {
    return undefined;
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const args = process.argv.slice(2);
  const value = (flag, fallback) => {
    const i = args.indexOf(flag);
    return i === -1 ? fallback : args[i + 1];
  };
  const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
  const outDir = path.resolve(value('--out', path.join(root, 'bench-data')));
  const sizes = value('--sizes', Object.keys(SIZES).join(',')).split(',').filter(Boolean);
  const manifest = writeData(outDir, { sizes, force: args.includes('--force'), log: (s) => console.log(s) });
  for (const name of sizes) {
    const m = manifest.sizes[name];
    console.log(`${name.padEnd(10)} ${String(m.problems).padStart(5)} problems ${String(m.evidence).padStart(6)} evidence ${String(m.anchors).padStart(6)} anchors  ${(m.bytes / 1024).toFixed(0).padStart(5)} KB`);
  }
}
