// The Search view's page. Plain JavaScript, no framework, no build step. It renders only: every
// search runs in the extension host (src/features/search/view.ts); the messages are described in
// src/features/search/protocol.ts. Everything from the insights files is put into the DOM with
// textContent (never innerHTML), and only the host messages listed in onMessage() are handled,
// each after its fields were checked.
// @ts-check
(function () {
  'use strict';

  // eslint-disable-next-line no-undef
  const vscode = acquireVsCodeApi();

  const input = /** @type {HTMLInputElement} */ (document.getElementById('query'));
  const list = /** @type {HTMLUListElement} */ (document.getElementById('results'));
  const count = /** @type {HTMLElement} */ (document.getElementById('count'));
  const announce = /** @type {HTMLElement} */ (document.getElementById('announce'));
  const cardPane = /** @type {HTMLElement} */ (document.getElementById('card'));
  const selects = {
    statuses: /** @type {HTMLSelectElement} */ (document.getElementById('filter-status')),
    severities: /** @type {HTMLSelectElement} */ (document.getElementById('filter-severity')),
    personas: /** @type {HTMLSelectElement} */ (document.getElementById('filter-persona')),
  };

  const MAX_QUERY = 200;
  const ANNOUNCE_DELAY_MS = 500;
  const CARD_DELAY_MS = 60;

  /** Values the page knows; class names are only ever built from these. */
  let knownStatuses = ['hypothesis', 'validated', 'in-progress', 'solved', 'wont-fix'];
  let knownSeverities = ['critical', 'high', 'medium', 'low'];

  let seq = 0;
  /** The query whose results should keep the active result (a refresh after the index changed). */
  let keepActiveSeq = -1;
  /** @type {Array<any>} */
  let items = [];
  let active = -1;
  let multiRoot = false;
  let facetsSeen = false;
  /** @type {{folder: string, id: string} | null} */
  let cardRef = null;
  /** Set when a result was opened: its card is scrolled into view once it arrives. */
  let revealCard = false;
  /** @type {ReturnType<typeof setTimeout> | undefined} */
  let announceTimer;
  /** @type {ReturnType<typeof setTimeout> | undefined} */
  let cardTimer;

  // ---- state kept while the view is hidden (the page itself is thrown away) --------------------

  const saved = asObject(vscode.getState()) || {};
  input.value = str(saved.query).slice(0, MAX_QUERY);
  /** @type {Record<string, string>} */
  const wanted = { statuses: str(saved.statuses), severities: str(saved.severities), personas: str(saved.personas) };
  cardRef = isRef(saved.cardRef) ? { folder: saved.cardRef.folder, id: saved.cardRef.id } : null;

  function saveState() {
    vscode.setState({
      query: input.value,
      statuses: selects.statuses.value || wanted.statuses,
      severities: selects.severities.value || wanted.severities,
      personas: selects.personas.value || wanted.personas,
      cardRef,
    });
  }

  // ---- small checks ------------------------------------------------------------------------------

  /** @param {unknown} v */
  function asObject(v) {
    return typeof v === 'object' && v !== null && !Array.isArray(v) ? /** @type {Record<string, any>} */ (v) : undefined;
  }
  /** @param {unknown} v */
  function str(v) {
    return typeof v === 'string' ? v : '';
  }
  /** @param {unknown} v */
  function isStringArray(v) {
    return Array.isArray(v) && v.every((x) => typeof x === 'string');
  }
  /** @param {unknown} v @returns {v is {folder: string, id: string}} */
  function isRef(v) {
    const o = asObject(v);
    return !!o && typeof o.folder === 'string' && typeof o.id === 'string';
  }
  /** @param {unknown} v */
  function isCount(v) {
    return typeof v === 'number' && Number.isFinite(v) && v >= 0;
  }
  /** @param {unknown} v */
  function isRanges(v) {
    return Array.isArray(v) && v.every((r) => Array.isArray(r) && r.length === 2 && Number.isInteger(r[0]) && Number.isInteger(r[1]));
  }
  /** @param {any} it */
  function isResultItem(it) {
    return !!asObject(it) && isRef(it.ref) && typeof it.id === 'string' && typeof it.title === 'string'
      && typeof it.status === 'string' && typeof it.severity === 'string' && isCount(it.customers) && isCount(it.tickets)
      && isRanges(it.titleMatches) && (it.folderName === undefined || typeof it.folderName === 'string');
  }
  /** @param {any} c */
  function isCard(c) {
    return !!asObject(c) && isRef(c.ref) && typeof c.id === 'string' && typeof c.title === 'string'
      && typeof c.status === 'string' && typeof c.severity === 'string' && typeof c.customers === 'string'
      && isStringArray(c.personas) && isStringArray(c.atRisk) && typeof c.stale === 'boolean'
      && Array.isArray(c.evidence) && c.evidence.every((/** @type {any} */ e) => asObject(e) && typeof e.text === 'string' && typeof e.source === 'string')
      && Array.isArray(c.tickets) && c.tickets.every((/** @type {any} */ t) => asObject(t) && typeof t.key === 'string')
      && ['string', 'undefined'].includes(typeof c.description) && ['string', 'undefined'].includes(typeof c.confirmed)
      && ['string', 'undefined'].includes(typeof c.horizon) && ['string', 'undefined'].includes(typeof c.folderName);
  }
  /** @param {{folder: string, id: string} | null} a @param {{folder: string, id: string} | null} b */
  function sameRef(a, b) {
    return !!a && !!b && a.folder === b.folder && a.id === b.id;
  }
  /** @param {string} value @param {string[]} known */
  function token(value, known) {
    return known.includes(value) ? value : 'unknown';
  }

  // ---- DOM helpers (text only) -------------------------------------------------------------------

  /**
   * @param {string} tag
   * @param {string} [className]
   * @param {string} [text]
   */
  function el(tag, className, text) {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  /** The title with the matched ranges in <mark>, built from text nodes. @param {string} title @param {number[][]} ranges */
  function highlighted(title, ranges) {
    const span = el('span', 'title');
    const sorted = ranges
      .map((r) => [Math.max(0, r[0]), Math.min(title.length - 1, r[1])])
      .filter((r) => r[0] <= r[1])
      .sort((a, b) => a[0] - b[0]);
    let at = 0;
    for (const [start, end] of sorted) {
      if (end < at) continue;
      const from = Math.max(start, at);
      if (from > at) span.appendChild(document.createTextNode(title.slice(at, from)));
      span.appendChild(el('mark', undefined, title.slice(from, end + 1)));
      at = end + 1;
    }
    if (at < title.length) span.appendChild(document.createTextNode(title.slice(at)));
    return span;
  }

  /** @param {string} kind @param {string} value @param {string[]} known */
  function badge(kind, value, known) {
    return el('span', `badge ${kind} ${kind}-${token(value, known)}`, value);
  }

  /** @param {number} n @param {string} word */
  function plural(n, word) {
    return `${n} ${word}${n === 1 ? '' : 's'}`;
  }

  // ---- talking to the host -----------------------------------------------------------------------

  function filter() {
    /** @type {Record<string, string[]>} */
    const f = {};
    for (const [key, select] of Object.entries(selects)) f[key] = select.value ? [select.value] : [];
    return f;
  }

  /** @param {boolean} [keepActive] */
  function query(keepActive) {
    seq += 1;
    keepActiveSeq = keepActive === true ? seq : -1;
    vscode.postMessage({ type: 'query', seq, query: input.value.slice(0, MAX_QUERY), filter: filter() });
    saveState();
  }

  /** @param {'reveal' | 'openInFile'} type @param {number} index */
  function openResult(type, index) {
    const item = items[index];
    if (!item) return;
    setActive(index, false);
    cardRef = item.ref;
    revealCard = true;
    saveState();
    vscode.postMessage({ type, ref: item.ref });
    if (type === 'openInFile') vscode.postMessage({ type: 'card', ref: item.ref });
  }

  window.addEventListener('message', (event) => onMessage(event.data));

  /** @param {unknown} data */
  function onMessage(data) {
    const m = asObject(data);
    if (!m) return;
    switch (m.type) {
      case 'facets': {
        const f = asObject(m.facets);
        if (!f || !isStringArray(f.statuses) || !isStringArray(f.severities) || !Array.isArray(f.personas)) return;
        const personas = f.personas.filter((/** @type {any} */ p) => asObject(p) && typeof p.id === 'string' && typeof p.name === 'string');
        showFacets(f.statuses, f.severities, personas, f.multiRoot === true, f.empty === true);
        return;
      }
      case 'results': {
        if (typeof m.seq !== 'number' || typeof m.query !== 'string' || !Array.isArray(m.items)) return;
        if (m.seq !== seq) return; // an answer to an older query
        showResults(m.items.filter(isResultItem), m.more === true, m.seq === keepActiveSeq);
        return;
      }
      case 'card': {
        // Only the card last asked for: a late answer must not reopen a card the user closed.
        if (!cardRef) return;
        if (m.card === null) return showCard(null);
        if (isCard(m.card) && sameRef(m.card.ref, cardRef)) showCard(m.card);
        return;
      }
      default:
        // Not a message this page knows: ignored.
        return;
    }
  }

  // ---- facets (filter options) -------------------------------------------------------------------

  /**
   * @param {HTMLSelectElement} select
   * @param {{value: string, label: string}[]} options
   * @param {string} keep the value to keep selected when it is still offered
   */
  function fillSelect(select, options, keep) {
    while (select.options.length > 1) select.remove(1);
    for (const o of options) {
      const option = /** @type {HTMLOptionElement} */ (el('option', undefined, o.label));
      option.value = o.value;
      select.appendChild(option);
    }
    select.value = options.some((o) => o.value === keep) ? keep : '';
    select.classList.toggle('set', select.value !== '');
  }

  /**
   * @param {string[]} statuses @param {string[]} severities @param {{id: string, name: string}[]} personas
   * @param {boolean} isMultiRoot @param {boolean} empty
   */
  function showFacets(statuses, severities, personas, isMultiRoot, empty) {
    knownStatuses = statuses;
    knownSeverities = severities;
    multiRoot = isMultiRoot;
    const keep = facetsSeen
      ? { statuses: selects.statuses.value, severities: selects.severities.value, personas: selects.personas.value }
      : wanted;
    facetsSeen = true;
    fillSelect(selects.statuses, statuses.map((s) => ({ value: s, label: s })), keep.statuses);
    fillSelect(selects.severities, severities.map((s) => ({ value: s, label: s })), keep.severities);
    fillSelect(selects.personas, personas.map((p) => ({ value: p.id, label: p.name })), keep.personas);
    selects.personas.disabled = personas.length === 0;
    document.body.classList.toggle('empty-workspace', empty);
    query(true);
    if (cardRef) vscode.postMessage({ type: 'card', ref: cardRef });
  }

  // ---- results -----------------------------------------------------------------------------------

  /** @param {any[]} next @param {boolean} more @param {boolean} keepActive */
  function showResults(next, more, keepActive) {
    const previous = keepActive ? items[active] : undefined;
    items = next;
    list.replaceChildren(...items.map(renderResult));
    // Keep the active problem when it is still listed (the index changed), else the first result.
    const keep = previous ? items.findIndex((it) => sameRef(it.ref, previous.ref)) : -1;
    setActive(keep >= 0 ? keep : items.length > 0 ? 0 : -1, false);
    input.setAttribute('aria-expanded', items.length > 0 ? 'true' : 'false');
    if (cardRef && !items.some((it) => sameRef(it.ref, cardRef))) showCard(null);

    const q = input.value.trim();
    const filtered = Object.values(selects).some((s) => s.value !== '');
    let text;
    if (document.body.classList.contains('empty-workspace')) text = 'No customer-insights.yaml in this workspace yet.';
    else if (items.length === 0) text = q ? `No problems match \u201c${q}\u201d${filtered ? ' with these filters' : ''}.` : 'No problems match these filters.';
    else if (!q) text = `${more ? `Top ${items.length}` : plural(items.length, 'problem')}${filtered ? ' (filtered)' : ''}, by impact`;
    else text = `${more ? `${items.length}+` : items.length} ${items.length === 1 && !more ? 'match' : 'matches'}`;
    count.textContent = text;
    count.classList.toggle('none', items.length === 0);
    clearTimeout(announceTimer);
    announceTimer = setTimeout(() => { announce.textContent = text; }, ANNOUNCE_DELAY_MS);
  }

  /** @param {any} item @param {number} index */
  function renderResult(item, index) {
    const li = el('li', 'result');
    li.id = `result-${index}`;
    li.setAttribute('role', 'option');
    li.setAttribute('aria-selected', 'false');
    li.dataset.index = String(index);
    const sev = token(item.severity, knownSeverities);

    const top = el('div', 'line top');
    const dot = el('span', `sev-dot severity-${sev}`);
    dot.setAttribute('aria-hidden', 'true');
    top.append(dot, highlighted(item.title, item.titleMatches), el('span', 'id', item.id));

    const meta = el('div', 'line meta');
    meta.append(
      badge('status', item.status, knownStatuses),
      badge('severity', item.severity, knownSeverities),
      el('span', 'reach', `${plural(item.customers, 'customer')} \u00b7 ${plural(item.tickets, 'ticket')}`),
    );
    if (multiRoot && typeof item.folderName === 'string') meta.append(el('span', 'folder', item.folderName));
    li.append(top, meta);
    return li;
  }

  /** @param {number} index @param {boolean} showItsCard */
  function setActive(index, showItsCard) {
    const old = list.querySelector('[aria-selected="true"]');
    if (old) old.setAttribute('aria-selected', 'false');
    active = index;
    const row = index >= 0 ? document.getElementById(`result-${index}`) : null;
    if (row) {
      row.setAttribute('aria-selected', 'true');
      input.setAttribute('aria-activedescendant', row.id);
      row.scrollIntoView({ block: 'nearest' });
    } else {
      input.removeAttribute('aria-activedescendant');
    }
    if (showItsCard && items[index]) {
      const ref = items[index].ref;
      cardRef = ref;
      saveState();
      clearTimeout(cardTimer);
      cardTimer = setTimeout(() => vscode.postMessage({ type: 'card', ref }), CARD_DELAY_MS);
    }
  }

  // ---- the card ----------------------------------------------------------------------------------

  /** @param {any} card */
  function showCard(card) {
    if (!card) {
      cardRef = null;
      cardPane.hidden = true;
      cardPane.replaceChildren();
      document.body.classList.remove('has-card');
      saveState();
      return;
    }
    cardRef = card.ref;
    const sev = token(card.severity, knownSeverities);
    const head = el('div', 'card-head');
    const title = el('h2', 'card-title', card.title);
    title.id = 'card-title';
    const close = el('button', 'icon-button close', '\u00d7');
    close.setAttribute('aria-label', 'Close the card');
    close.title = 'Close';
    close.addEventListener('click', () => { showCard(null); input.focus(); });
    head.append(title, close);

    const badges = el('div', 'line badges');
    const dot = el('span', `sev-dot severity-${sev}`);
    dot.setAttribute('aria-hidden', 'true');
    badges.append(dot, el('span', 'id', card.id), badge('status', card.status, knownStatuses), badge('severity', card.severity, knownSeverities));
    if (card.horizon) badges.append(el('span', 'badge horizon', card.horizon));
    if (card.folderName) badges.append(el('span', 'folder', card.folderName));

    const parts = [head, badges];
    if (card.description) {
      const description = el('p', 'description', card.description);
      description.title = card.description;
      parts.push(description);
    }

    const facts = el('dl', 'facts');
    /** @param {string} term @param {string} value @param {string} [className] */
    const fact = (term, value, className) => {
      facts.append(el('dt', undefined, term), el('dd', className, value));
    };
    if (card.personas.length) fact('Who', card.personas.join(', '));
    fact('Customers', card.customers);
    if (card.atRisk.length) fact('At risk', card.atRisk.join(', '), 'warning');
    parts.push(facts);

    if (card.evidence.length) {
      const evidence = el('ul', 'evidence');
      evidence.setAttribute('aria-label', 'Strongest evidence');
      for (const e of card.evidence) {
        const li = el('li', `quote ${e.signal === 'observed' ? 'observed' : 'said'}`);
        li.append(
          el('blockquote', undefined, e.quoted ? `\u201c${e.text}\u201d` : e.text),
          el('div', 'source', `${e.signal === 'observed' ? 'observed' : 'said'} \u00b7 ${e.source}`),
        );
        evidence.append(li);
      }
      parts.push(evidence);
    }

    if (card.tickets.length) {
      const tickets = el('div', 'tickets');
      tickets.append(el('span', 'label', 'Tickets'));
      for (const t of card.tickets) {
        if (t.linked === true) {
          const b = el('button', 'link', t.key);
          b.title = `Open ${t.key}`;
          b.addEventListener('click', () => vscode.postMessage({ type: 'openTicket', ref: card.ref, ticket: t.key }));
          tickets.append(b);
        } else {
          tickets.append(el('span', 'ticket', t.key));
        }
      }
      parts.push(tickets);
    }

    if (card.confirmed) parts.push(el('p', card.stale ? 'confirmed stale' : 'confirmed', card.confirmed));

    const actions = el('div', 'actions');
    const reveal = el('button', 'button secondary', 'Reveal in tree');
    reveal.title = 'Reveal the problem in the Problems view';
    reveal.addEventListener('click', () => vscode.postMessage({ type: 'reveal', ref: card.ref }));
    const open = el('button', 'button', 'Open in file');
    open.title = 'Open the problem in the insights file (Ctrl+Enter in the search box)';
    open.addEventListener('click', () => vscode.postMessage({ type: 'openInFile', ref: card.ref }));
    actions.append(open, reveal);
    parts.push(actions);

    cardPane.replaceChildren(...parts);
    cardPane.setAttribute('aria-labelledby', 'card-title');
    cardPane.hidden = false;
    document.body.classList.add('has-card');
    // In a short view the page scrolls as a whole: bring an opened card into sight.
    if (revealCard) cardPane.scrollIntoView({ block: 'nearest' });
    revealCard = false;
    saveState();
  }

  // ---- input -------------------------------------------------------------------------------------

  input.addEventListener('input', () => query());
  for (const select of Object.values(selects)) {
    select.addEventListener('change', () => {
      select.classList.toggle('set', select.value !== '');
      query();
    });
  }

  input.addEventListener('keydown', (e) => {
    switch (e.key) {
      case 'ArrowDown':
        e.preventDefault();
        if (items.length) setActive(Math.min(active + 1, items.length - 1), true);
        break;
      case 'ArrowUp':
        e.preventDefault();
        if (items.length) setActive(Math.max(active - 1, 0), true);
        break;
      case 'PageDown':
        e.preventDefault();
        if (items.length) setActive(Math.min(active + 10, items.length - 1), true);
        break;
      case 'PageUp':
        e.preventDefault();
        if (items.length) setActive(Math.max(active - 10, 0), true);
        break;
      case 'Enter':
        e.preventDefault();
        if (items.length) openResult(e.ctrlKey || e.metaKey ? 'openInFile' : 'reveal', active >= 0 ? active : 0);
        break;
      case 'Escape':
        if (input.value !== '' || cardRef) {
          e.preventDefault();
          input.value = '';
          showCard(null);
          query();
        }
        break;
      default:
        break;
    }
  });

  // Clicking a result keeps the focus in the search box (the list is navigated from there).
  list.addEventListener('mousedown', (e) => e.preventDefault());
  list.addEventListener('click', (e) => {
    const target = /** @type {HTMLElement | null} */ (e.target instanceof Element ? e.target.closest('.result') : null);
    if (!target) return;
    const index = Number(target.dataset.index);
    if (Number.isInteger(index)) openResult(e.ctrlKey || e.metaKey ? 'openInFile' : 'reveal', index);
    input.focus();
  });

  // When the view gets the focus (the view's title, "Search: Focus on Search View"), type at once.
  window.addEventListener('focus', () => {
    setTimeout(() => {
      if (!document.activeElement || document.activeElement === document.body) input.focus();
    }, 0);
  });

  // In a short view the header is sticky: keep what scrolls into view just below it (CSSOM, no
  // inline style attribute, so the CSP needs no 'unsafe-inline').
  const header = document.querySelector('.search-header');
  if (header instanceof HTMLElement && typeof ResizeObserver === 'function') {
    new ResizeObserver(() => {
      document.documentElement.style.scrollPaddingTop = `${header.offsetHeight}px`;
    }).observe(header);
  }

  input.focus();
  vscode.postMessage({ type: 'ready' });
})();
