// The leadmkt dashboard: figures of a time range from the reports API, live auctions from
// /v1/auctions/recent and the server-sent events of /v1/auctions/live. Every figure shown is one
// the API computed (money as its decimal strings, rates as its percentages): nothing is summed here.
'use strict';

const REFRESH_MS = 10000;
const LIVE_ROWS = 50;
const KEY_STORE = 'leadmkt.key';
const charts = {};
let refreshes = 0;
let liveStream = null;

// ---- the API key: taken from ?key= or #key= once, kept for this tab, sent as a bearer token ----

function takeKeyFromUrl() {
  const url = new URL(window.location.href);
  const fromHash = new URLSearchParams(url.hash.slice(1)).get('key');
  const key = url.searchParams.get('key') || fromHash;
  if (key !== null) {
    sessionStorage.setItem(KEY_STORE, key);
    url.searchParams.delete('key');
    url.hash = '';
    history.replaceState(null, '', url); // not left in the address bar or the history
  }
}

function headers() {
  const key = sessionStorage.getItem(KEY_STORE);
  return key ? { Authorization: 'Bearer ' + key } : {};
}

async function getJson(path) {
  const response = await fetch(path, { headers: headers() });
  if (!response.ok) {
    let detail = '';
    try { detail = (await response.json()).error || ''; } catch (e) { /* not JSON */ }
    const error = new Error(path.split('?')[0] + ' answered ' + response.status + (detail ? ' ' + detail : ''));
    error.status = response.status;
    throw error;
  }
  return response.json();
}

// ---- filters: in the page's own query string, so a view can be linked ----

function filters() {
  const form = document.getElementById('filters');
  const local = name => form.elements[name].value;
  return {
    from: local('from') ? new Date(local('from')).toISOString() : null,
    to: local('to') ? new Date(local('to')).toISOString() : null,
    bucket: local('bucket'),
    campaign: local('campaign'),
    source: local('source'),
  };
}

/** An ISO instant as a datetime-local input value, in the browser's time zone. */
function localInput(iso) {
  const d = new Date(iso);
  const pad = n => String(n).padStart(2, '0');
  return d.getFullYear() + '-' + pad(d.getMonth() + 1) + '-' + pad(d.getDate()) + 'T' + pad(d.getHours()) + ':' + pad(d.getMinutes());
}

/** The filters a link gives; without from and to the page shows the API's default, the last 24 hours, rolling. */
function readFiltersFromUrl() {
  const params = new URLSearchParams(window.location.search);
  const form = document.getElementById('filters');
  for (const name of ['from', 'to']) {
    if (params.get(name)) form.elements[name].value = localInput(params.get(name));
  }
  form.elements.bucket.value = params.get('bucket') || 'hour';
  for (const name of ['campaign', 'source']) {
    const value = params.get(name);
    if (value) {
      addOption(form.elements[name], value);
      form.elements[name].value = value;
    }
  }
}

function writeFiltersToUrl(f) {
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(f)) {
    if (value) params.set(name, value);
  }
  history.replaceState(null, '', window.location.pathname + '?' + params);
}

function addOption(select, value) {
  if (![...select.options].some(o => o.value === value)) {
    select.add(new Option(value, value));
  }
}

function query(f, extra) {
  const params = new URLSearchParams({ bucket: f.bucket });
  if (f.from) params.set('from', f.from);
  if (f.to) params.set('to', f.to);
  for (const [name, value] of Object.entries(extra || {})) {
    if (value) params.set(name, value);
  }
  return params.toString();
}

// ---- formatting: the API's values as they are, with their unit ----

const money = v => (v === null || v === undefined ? '–' : '$' + v);
const rate = v => (v === null || v === undefined ? '–' : v.toFixed(1) + ' %');
const count = v => (v === null || v === undefined ? '–' : String(v));
const ms = v => (v === null || v === undefined ? '–' : v + ' ms');
const MONEY = new Set(['revenue', 'sellerPayout', 'platformFee', 'epl', 'rpl', 'returnCredit', 'clawback',
  'conversionValue']);
const RATES = new Set(['sellThrough', 'bidRate', 'winRate', 'acceptRate', 'returnRate', 'conversionRate']);
const shown = (figure, v) => (MONEY.has(figure) ? money(v) : RATES.has(figure) ? rate(v) : count(v));

function cell(row, text, figure) {
  const td = row.insertCell();
  td.textContent = text;
  if (figure) td.dataset.figure = figure;
  return td;
}

// ---- the figures of a time range: reports ----

/**
 * The lead rows the headline and the time chart are of: a chosen campaign's, else a chosen source's,
 * else every seller's (each lead has one seller, so their totals are the whole market's).
 */
function leadReport(f) {
  if (f.campaign) return { dimension: 'campaign', value: f.campaign };
  if (f.source) return { dimension: 'source', value: f.source };
  return { dimension: 'seller', value: null };
}

async function refreshReports(f) {
  let lead = leadReport(f);
  let [leads, buyers, sources, campaigns] = await Promise.all([
    getJson('/v1/reports/' + lead.dimension + '?' + query(f, { [lead.dimension]: lead.value })),
    getJson('/v1/reports/buyer?' + query(f)),
    getJson('/v1/reports/source?' + query(f, { source: f.source })),
    getJson('/v1/reports/campaign?' + query(f)),
  ]);
  if (lead.dimension === 'seller' && leads.byValue.length === 0 && sources.byValue.length > 0) {
    // A seller's key sees its own sources' rows, no seller's (those sum other sources too): its sources are its headline.
    lead = { dimension: 'source', value: null, own: true };
    leads = sources;
  }
  campaigns.byValue.forEach(row => addOption(document.getElementById('filters').elements.campaign, row.campaign));
  sources.byValue.forEach(row => addOption(document.getElementById('filters').elements.source, row.source));
  document.getElementById('scope-note').textContent =
    'Headline and time chart: ' + (lead.value ? lead.dimension + ' ' + lead.value : lead.own ? 'your sources' : 'every seller')
    + (f.campaign && f.source ? ' (the reports break a campaign down by buyer and time, not by source)' : '')
    + '. Buyer figures are every campaign\'s; live panels follow both filters.';

  for (const el of document.querySelectorAll('#totals [data-figure]')) {
    el.textContent = shown(el.dataset.figure, leads.total[el.dataset.figure]);
  }
  drawTime(leads.byBucket, f.bucket);
  drawBuyers(buyers.byValue);
  drawSources(sources.byValue);
}

function drawTime(buckets, bucket) {
  const label = b => (bucket === 'day' ? b.bucket.slice(0, 10) : b.bucket.slice(0, 16).replace('T', ' ') + 'Z');
  charts.time.setOption({
    tooltip: { trigger: 'axis' },
    legend: { data: ['revenue', 'sell-through'] },
    grid: { left: 60, right: 50, top: 30, bottom: 30 },
    xAxis: { type: 'category', data: buckets.map(label) },
    yAxis: [{ type: 'value', name: '$' }, { type: 'value', name: '%', max: 100 }],
    series: [
      { name: 'revenue', type: 'bar', data: buckets.map(b => Number(b.revenue)) },
      { name: 'sell-through', type: 'line', yAxisIndex: 1, data: buckets.map(b => b.sellThrough) },
    ],
  }, true);
}

function drawBuyers(rows) {
  charts.buyers.setOption({
    tooltip: { trigger: 'axis' },
    legend: { data: ['bid rate', 'win rate', 'accept rate'] },
    grid: { left: 40, right: 10, top: 30, bottom: 30 },
    xAxis: { type: 'category', data: rows.map(r => r.buyer), axisLabel: { interval: 0 } },
    yAxis: { type: 'value', max: 100, name: '%' },
    series: [
      { name: 'bid rate', type: 'bar', data: rows.map(r => r.bidRate) },
      { name: 'win rate', type: 'bar', data: rows.map(r => r.winRate) },
      { name: 'accept rate', type: 'bar', data: rows.map(r => r.acceptRate) },
    ],
  }, true);
  fillTable('buyers', 'buyer', rows, ['pings', 'bids', 'bidRate', 'wins', 'winRate', 'posts', 'accepted',
    'acceptRate', 'timeouts', 'errors', 'pingsNotReached', 'postsNotReached', 'sold', 'revenue', 'returns', 'returnRate', 'returnCredit', 'conversions',
    'conversionValue']);
}

function drawSources(rows) {
  charts.epl.setOption({
    tooltip: { trigger: 'axis' },
    grid: { left: 50, right: 10, top: 20, bottom: 30 },
    xAxis: { type: 'category', data: rows.map(r => r.source), axisLabel: { interval: 0 } },
    yAxis: { type: 'value', name: '$ per valid lead' },
    series: [{ name: 'EPL', type: 'bar', data: rows.map(r => (r.epl === null ? null : Number(r.epl))) }],
  }, true);
  fillTable('sources', 'source', rows, ['leads', 'valid', 'sold', 'sellThrough', 'sellerPayout', 'epl']);
}

/** One row per dimension value (marked data-<dimension>), then the figures named, as the API gave them. */
function fillTable(id, dimension, rows, figures) {
  const body = document.querySelector('#' + id + ' tbody');
  body.replaceChildren();
  for (const r of rows) {
    const tr = body.insertRow();
    tr.dataset[dimension] = r[dimension];
    cell(tr, r[dimension]);
    for (const figure of figures) {
      cell(tr, shown(figure, r[figure]), figure);
    }
  }
}

// ---- the floor what-if: the range's decided leads replayed under other floors, and routed otherwise ----

function whatIfFloors() {
  return document.getElementById('whatif-form').elements.floors.value.replace(/\s+/g, '');
}

async function refreshWhatIf(f) {
  const range = {};
  if (f.from) range.from = f.from;
  if (f.to) range.to = f.to;
  if (f.campaign) range.campaign = f.campaign;
  let curve, policies;
  try {
    [curve, policies] = await Promise.all([
      getJson('/v1/whatif/floor?' + new URLSearchParams({ ...range, floors: whatIfFloors() })),
      getJson('/v1/whatif/policies?' + new URLSearchParams(range)),
    ]);
  } catch (e) {
    if (e.status !== 403) throw e;
    // A seller's or buyer's key: the what-if rests on every buyer's bids, so it is not theirs to see.
    document.getElementById('whatif').hidden = true;
    return;
  }
  document.getElementById('whatif').hidden = false;
  charts.whatif.setOption({
    tooltip: { trigger: 'axis' },
    legend: { data: ['revenue', 'seller payout', 'sell-through'] },
    grid: { left: 60, right: 50, top: 30, bottom: 40 },
    xAxis: { type: 'category', name: 'floor $', nameLocation: 'middle', nameGap: 25, data: curve.points.map(p => p.floor) },
    yAxis: [{ type: 'value', name: '$' }, { type: 'value', name: '%', max: 100 }],
    series: [
      { name: 'revenue', type: 'line', data: curve.points.map(p => Number(p.revenue)) },
      { name: 'seller payout', type: 'line', data: curve.points.map(p => Number(p.sellerPayout)) },
      { name: 'sell-through', type: 'line', yAxisIndex: 1, data: curve.points.map(p => p.sellThrough) },
    ],
  }, true);
  const rows = [{ policy: 'recorded', ...policies.recorded }, ...policies.policies];
  fillTable('whatif-policies', 'policy', rows, ['leads', 'sold', 'sellThrough', 'revenue', 'sellerPayout',
    'platformFee', 'estimatedLeads']);
  document.getElementById('whatif-note').textContent = (f.campaign ? 'Campaign ' + f.campaign : 'Every campaign')
    + ' (the what-if does not filter by source). '
    + policies.assumptions.join(' ');
}

// ---- the live part: recent auctions and their figures, then each auction as it ends ----

async function refreshLive(f) {
  const recent = await getJson('/v1/auctions/recent?' + new URLSearchParams(
    Object.fromEntries(Object.entries({ campaign: f.campaign, source: f.source, limit: LIVE_ROWS }).filter(([, v]) => v))));
  const body = document.getElementById('live-auctions');
  body.replaceChildren();
  recent.auctions.slice().reverse().forEach(a => addAuction(a, false));
  const figures = recent.figures;
  const set = (name, text) => { document.querySelector('[data-figure="' + name + '"]').textContent = text; };
  set('bids.count', count(figures.bids.price.count));
  for (const p of ['p50', 'p90', 'p99']) {
    set('bids.' + p, money(figures.bids.price[p]));
    set('decision.' + p, ms(figures.decisionMs[p]));
  }
  set('decision.count', count(figures.decisionMs.count));
  charts.bids.setOption({
    tooltip: { trigger: 'axis' },
    grid: { left: 40, right: 10, top: 20, bottom: 30 },
    xAxis: { type: 'category', data: figures.bids.bands.map(b => '$' + b.from + '–' + b.to) },
    yAxis: { type: 'value', name: 'bids', minInterval: 1 },
    series: [{ name: 'bids', type: 'bar', data: figures.bids.bands.map(b => b.count) }],
  }, true);
  const buyers = Object.keys(figures.buyers);
  charts.latency.setOption({
    tooltip: { trigger: 'axis' },
    legend: { data: ['p50', 'p90', 'p99'] },
    grid: { left: 50, right: 10, top: 30, bottom: 30 },
    xAxis: { type: 'category', data: buyers, axisLabel: { interval: 0 } },
    yAxis: { type: 'value', name: 'ms to answer a ping' },
    series: ['p50', 'p90', 'p99'].map(p => ({ name: p, type: 'bar', data: buyers.map(b => figures.buyers[b].latencyMs[p]) })),
  }, true);
}

function addAuction(a, fresh) {
  const body = document.getElementById('live-auctions');
  const old = body.querySelector('tr[data-lead="' + CSS.escape(a.leadId) + '"]');
  if (old) old.remove();
  const tr = body.insertRow(0);
  tr.dataset.lead = a.leadId;
  if (fresh) tr.className = 'fresh';
  cell(tr, a.decidedAt.slice(11, 19));
  cell(tr, a.leadId, 'lead');
  cell(tr, a.campaign || '–', 'campaign');
  cell(tr, a.source || '–', 'source');
  cell(tr, a.state || '–', 'state');
  cell(tr, a.status + (a.reason ? ' ' + a.reason : ''), 'status');
  cell(tr, a.buyer || '–', 'buyer');
  cell(tr, money(a.price), 'price');
  cell(tr, a.buyersPinged === null ? '–' : a.bidsReceived + '/' + a.buyersPinged, 'bids');
  cell(tr, ms(a.decisionMs));
  while (body.rows.length > LIVE_ROWS) body.deleteRow(body.rows.length - 1);
}

/** Server-sent events read with fetch (EventSource cannot send the Authorization header). */
async function follow(f) {
  const controller = new AbortController();
  liveStream = controller;
  const state = document.getElementById('live-state');
  const params = new URLSearchParams(Object.fromEntries(Object.entries({ campaign: f.campaign, source: f.source }).filter(([, v]) => v)));
  while (!controller.signal.aborted) {
    try {
      const response = await fetch('/v1/auctions/live?' + params,
        { headers: { ...headers(), Accept: 'text/event-stream' }, signal: controller.signal });
      if (!response.ok) throw new Error('live stream answered ' + response.status);
      state.textContent = 'live';
      document.body.dataset.live = 'open';
      const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
      let buffer = '';
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        buffer += value;
        let end;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          handleEvent(buffer.slice(0, end));
          buffer = buffer.slice(end + 2);
        }
      }
    } catch (e) {
      if (controller.signal.aborted) return;
      state.textContent = 'reconnecting (' + e.message + ')';
    }
    document.body.dataset.live = 'closed';
    await new Promise(resolve => setTimeout(resolve, 3000));
  }
}

function handleEvent(text) {
  let event = 'message';
  const data = [];
  for (const line of text.split('\n')) {
    if (line.startsWith('event:')) event = line.slice(6).trim();
    else if (line.startsWith('data:')) data.push(line.slice(5).replace(/^ /, ''));
  }
  if (event === 'auction' && data.length) {
    addAuction(JSON.parse(data.join('\n')), true);
    document.body.dataset.events = String(Number(document.body.dataset.events || 0) + 1);
  }
}

// ---- putting it together ----

async function refresh() {
  const f = filters();
  const problem = document.getElementById('problem');
  try {
    await Promise.all([refreshReports(f), refreshLive(f), refreshWhatIf(f)]);
    problem.hidden = true;
    document.body.dataset.refreshed = String(++refreshes);
  } catch (e) {
    problem.textContent = e.message + (String(e.message).includes(' 401') || String(e.message).includes(' 403')
      ? ' — enter an API key with the rights to see these figures' : ' — retrying');
    problem.hidden = false;
  }
}

function restartLive() {
  if (liveStream) liveStream.abort();
  follow(filters());
}

function start() {
  takeKeyFromUrl();
  readFiltersFromUrl();
  for (const name of ['time', 'buyers', 'epl', 'bids', 'latency', 'whatif']) {
    charts[name] = echarts.init(document.getElementById('chart-' + name));
  }
  window.addEventListener('resize', () => Object.values(charts).forEach(c => c.resize()));
  document.getElementById('filters').addEventListener('submit', e => {
    e.preventDefault();
    writeFiltersToUrl(filters());
    refresh();
    restartLive();
  });
  document.getElementById('whatif-form').addEventListener('submit', e => {
    e.preventDefault();
    refresh();
  });
  document.getElementById('login').addEventListener('submit', e => {
    e.preventDefault();
    const input = e.target.elements.key;
    if (input.value) sessionStorage.setItem(KEY_STORE, input.value); else sessionStorage.removeItem(KEY_STORE);
    input.value = '';
    refresh();
    restartLive();
  });
  // A page left for another keeps no live stream open: browsers allow six connections per server, and a
  // page kept for the back button with its stream open held one each (the seventh page waited for a
  // minute). One brought back from that cache catches up and follows again.
  window.addEventListener('pagehide', () => { if (liveStream) liveStream.abort(); });
  window.addEventListener('pageshow', e => {
    if (e.persisted) {
      refresh();
      restartLive();
    }
  });
  refresh();
  follow(filters());
  setInterval(refresh, REFRESH_MS);
}

start();
