// The classroom page of `ruralsim serve`: levers for two scenarios (A and B),
// NetLogo-like buttons, live charts, a map of the 160 counties and the lesson.
// Plain JavaScript, no build step; Chart.js (global `Chart`) draws the charts.
'use strict';

(function () {
  const RUN_NAMES = ['A', 'B'];
  const COLORS = ['#1f77b4', '#ff7f0e', '#2ca02c', '#d62728', '#9467bd', '#8c564b', '#e377c2', '#17becf'];
  const B_DASH = [6, 4];
  const DIFF_DASH = [];
  const NODATA = '#cfd2cc';
  // Sequential (viridis-like) and diverging (blue - white - orange) colour ramps.
  const SEQ = ['#440154', '#46327e', '#365c8d', '#277f8e', '#1fa187', '#4ac16d', '#a0da39', '#fde725'];
  const DIV = ['#2c5f9e', '#6b9bd1', '#b9d3ec', '#f7f7f2', '#f8c98f', '#e8893a', '#b3530f'];

  const S = {
    ready: false,
    model: null,
    levers: [],           // the model's levers
    leverByKey: {},
    scale: null,           // the shared population scale
    values: { A: {}, B: {} },  // lever values on the page
    bOn: false,
    compare: false,
    view: 'monthly',
    labels: [],            // month labels, "2021-01" ...
    years: [],             // calendar years
    yearLast: [],          // each year's last step
    runs: { A: newRun('A'), B: newRun('B') },
    charts: [],            // {chart, def, hidden:Set}
    map: { indicator: null, run: 'A', circles: [], fills: [], firstFills: null, draws: 0, step: -1 },
    timing: null,          // {action, at, from:{A,B}, first:{A,B}, done:{A,B}}
    errors: [],
    log: [],               // the last requests and events, for a look when something goes wrong
    chain: Promise.resolve(),
    drawQueued: false,
    dataVersion: 0,        // counts the months received and the resets
  };

  function newRun(name) {
    return {
      name, id: null, seed: null, status: null, es: null, esRetry: 0, esTimer: null,
      count: 0, dates: [], totals: [], maps: [], yearly: {},
    };
  }

  const $ = (sel, root) => (root || document).querySelector(sel);
  function el(tag, attrs, ...kids) {
    const e = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (v === null || v === undefined || v === false) continue;
      if (k === 'text') e.textContent = v;
      else if (k === 'class') e.className = v;
      else e.setAttribute(k, v === true ? '' : String(v));
    }
    for (const kid of kids) if (kid !== null && kid !== undefined) e.append(kid);
    return e;
  }
  const SVGNS = 'http://www.w3.org/2000/svg';
  function svg(tag, attrs) {
    const e = document.createElementNS(SVGNS, tag);
    for (const [k, v] of Object.entries(attrs || {})) e.setAttribute(k, String(v));
    return e;
  }

  // ---------------------------------------------------------------- numbers

  function fmt(v) {
    if (v === null || v === undefined || !Number.isFinite(v)) return '–';
    const a = Math.abs(v);
    if (a >= 1000) return Math.round(v).toLocaleString('en');
    if (a >= 100) return v.toFixed(0);
    if (a >= 10) return v.toFixed(1);
    if (a >= 1) return v.toFixed(2);
    if (a === 0) return '0';
    return v.toPrecision(3);
  }
  function fmtSigned(v) {
    const s = fmt(v);
    return v > 0 ? '+' + s : s.replace('-', '−');
  }
  const compact = new Intl.NumberFormat('en', { notation: 'compact', maximumSignificantDigits: 3 });
  function fmtTick(v) {
    if (!Number.isFinite(v)) return '';
    const a = Math.abs(v);
    if (a >= 10000) return compact.format(v);
    if (a >= 100 || a === 0) return String(Math.round(v * 100) / 100);
    return String(Number(v.toPrecision(3)));
  }
  function decimalsOf(step) {
    if (!step || step >= 1) return 0;
    return Math.min(6, Math.max(0, Math.ceil(-Math.log10(step) - 1e-9)));
  }
  function same(a, b) {
    return Math.abs(Number(a) - Number(b)) <= 1e-9 * Math.max(1, Math.abs(Number(a)));
  }

  // ---------------------------------------------------------------- messages

  function showMessage(text, kind) {
    const box = $('#messages');
    const item = el('div', { class: 'msg ' + (kind || 'error'), role: kind === 'info' ? 'status' : 'alert' },
      el('span', { class: 'msg-text', text }),
      el('button', { type: 'button', class: 'msg-close', 'aria-label': 'Dismiss', text: '×' }));
    item.querySelector('.msg-close').addEventListener('click', () => item.remove());
    box.prepend(item);
    while (box.children.length > 4) box.lastChild.remove();
    if (kind === 'info') setTimeout(() => item.remove(), 8000);
    else S.errors.push(text);
    return item;
  }
  function showError(text) {
    showMessage(text, 'error');
    const e = new Error(text);
    e.shown = true;
    return e;
  }
  function report(e) {
    if (!e || !e.shown) showError(String(e && e.message ? e.message : e));
  }

  // ---------------------------------------------------------------- the API

  async function request(method, path, body) {
    const init = { method, headers: {} };
    if (body !== undefined) {
      init.headers['Content-Type'] = 'application/json';
      init.body = typeof body === 'string' ? body : JSON.stringify(body);
    }
    let res;
    try {
      res = await fetch(path, init);
    } catch (e) {
      return { ok: false, status: 0, data: null, error: 'the server does not answer (' + e.message + ')' };
    }
    const text = res.status === 204 ? '' : await res.text();
    let data = null;
    try { data = text ? JSON.parse(text) : null; } catch (e) { data = null; }
    if (res.ok) return { ok: true, status: res.status, data };
    const msg = data && typeof data.error === 'string' ? data.error : (text || res.statusText || 'no answer');
    return { ok: false, status: res.status, data, error: msg };
  }

  async function api(method, path, body, who) {
    const r = await request(method, path, body);
    if (r.ok) return r.data;
    const prefix = who ? who + ': ' : '';
    throw showError(prefix + r.error + (r.status ? ' (' + r.status + ')' : ''));
  }

  // ---------------------------------------------------------------- start

  async function start() {
    let model;
    try {
      model = await api('GET', '/api/model');
    } catch (e) {
      $('#status-A').textContent = 'No connection to the server: is `ruralsim serve` running?';
      return;
    }
    S.model = model;
    S.levers = model.levers || [];
    for (const l of S.levers) S.leverByKey[l.key] = l;
    S.scale = model.scale ? clampScale(model.scale.default) : null;
    for (const name of RUN_NAMES) for (const l of S.levers) S.values[name][l.key] = l.default;
    const cal = model.calendar || { start_year: 2021, start_month: 1, months: 60 };
    for (let s = 0; s < cal.months; s++) {
      const m0 = cal.start_month - 1 + s;
      const y = cal.start_year + Math.floor(m0 / 12);
      S.labels.push(y + '-' + String((m0 % 12) + 1).padStart(2, '0'));
      if (!S.years.includes(y)) S.years.push(y);
      S.yearLast[S.years.indexOf(y)] = s;
    }
    $('#model-name').textContent = [model.model && model.model.name, model.model && model.model.version]
      .filter(Boolean).join(' ') + ' · ' + S.labels[0] + ' to ' + S.labels[S.labels.length - 1];
    buildLevers();
    buildCharts();
    buildMap();
    buildLesson();
    wireControls();
    updateAll();
    S.ready = true;
    document.body.dataset.ready = '1';
    warmSoon();
  }

  function scaleMax() {
    const m = S.model;
    let mx = m.scale.max;
    if (m.limits && Number.isFinite(m.limits.max_scale)) mx = Math.min(mx, m.limits.max_scale);
    return mx;
  }
  function clampScale(v) {
    return Math.min(Math.max(v, S.model.scale.min), scaleMax());
  }

  // ---------------------------------------------------------------- levers

  // "(2020: none at all)" in an explanation names what a special value means.
  function specialValues(l) {
    const out = {};
    const re = /\((-?\d+(?:\.\d+)?):\s*([^)]+)\)/g;
    let m;
    while ((m = re.exec(l.explanation || '')) !== null) out[Number(m[1])] = m[2];
    return out;
  }

  // A lever's value as text; `short` (beside a slider): a special value by its meaning alone.
  function leverText(l, v, short) {
    if (v === undefined || v === null) return '–';
    const sp = l._special && l._special[v];
    let num = l.integer ? String(Math.round(v)) : Number(v).toFixed(decimalsOf(l.step));
    // A default between the slider's steps (e.g. 0.995) is shown as it is.
    if (!l.integer && Math.abs(Number(num) - v) > 1e-9) num = String(Number(Number(v).toPrecision(6)));
    if (sp && short) return sp;
    return sp ? num + ' (' + sp + ')' : num;
  }

  function leverDelta(l, d) {
    const t = l.integer ? String(Math.round(Math.abs(d))) : Math.abs(d).toFixed(decimalsOf(l.step));
    return (d < 0 ? '−' : '+') + t;
  }

  function leverInput(l, run, value, min, max) {
    return el('input', {
      type: 'range', min, max, step: l.step, value,
      'data-lever': l.key, 'data-run': run, id: 'lever-' + run + '-' + l.key.replace(/[^A-Za-z0-9_-]/g, '_'),
      'aria-label': l.label + ' (' + run + ')',
    });
  }

  function buildLevers() {
    const box = $('#levers');
    for (const l of S.levers) {
      l._special = specialValues(l);
      const block = el('div', { class: 'lever', 'data-key': l.key },
        el('div', { class: 'lever-head' },
          el('span', { class: 'lever-label', text: l.label }),
          el('span', { class: 'unit', text: l.unit && l.unit !== '1' ? l.unit : '' })));
      for (const run of RUN_NAMES) {
        const row = el('div', { class: 'lever-row', 'data-run': run },
          el('span', { class: 'tag tag-' + run, text: run }),
          leverInput(l, run, S.values[run][l.key], l.min, l.max),
          el('output', { class: 'value', title: 'Double-click: the default (' + leverText(l, l.default) + ')' }));
        if (run === 'B') row.hidden = true;
        block.append(row);
      }
      block.append(el('p', { class: 'explain', text: l.explanation || '' }));
      box.append(block);
    }
    const sc = S.model.scale;
    if (sc) {
      const l = Object.assign({}, sc, { unit: 'share of households', integer: false });
      l._special = {};
      S.scaleLever = l;
      const input = el('input', {
        type: 'range', min: sc.min, max: scaleMax(), step: sc.step, value: S.scale,
        'data-lever': sc.key, 'data-run': 'AB', id: 'scale', 'aria-label': sc.label,
      });
      const block = el('div', { class: 'lever scale', 'data-key': sc.key },
        el('div', { class: 'lever-head' },
          el('span', { class: 'lever-label', text: sc.label }),
          el('span', { class: 'unit', text: 'A and B' })),
        el('div', { class: 'lever-row', 'data-run': 'AB' },
          el('span', { class: 'tag tag-AB', text: 'A·B' }), input,
          el('output', { class: 'value', title: 'Double-click: the default (' + leverText(l, sc.default) + ')' })),
        el('p', { class: 'explain', text: sc.explanation || '' }));
      $('#scale-box').append(block);
    }

    const onLever = (ev) => {
      const t = ev.target;
      if (!t.matches('input[data-lever]')) return;
      const v = Number(t.value);
      if (t.dataset.run === 'AB') S.scale = v;
      else S.values[t.dataset.run][t.dataset.lever] = v;
      updateLeverViews();
      updatePending();
      warmSoon();
    };
    for (const box2 of [$('#levers'), $('#scale-box')]) {
      box2.addEventListener('input', onLever);
      box2.addEventListener('change', onLever);
      box2.addEventListener('dblclick', (ev) => {
        const out = ev.target.closest('output.value');
        if (!out) return;
        const input = out.parentElement.querySelector('input[data-lever]');
        // The default itself, even where it lies between the slider's steps.
        if (input.dataset.run === 'AB') S.scale = S.model.scale.default;
        else S.values[input.dataset.run][input.dataset.lever] = S.leverByKey[input.dataset.lever].default;
        updateLeverViews();
        updatePending();
        warmSoon();
      });
    }
  }

  function updateLeverViews() {
    for (const l of S.levers) {
      const block = document.querySelector('.lever[data-key="' + CSS.escape(l.key) + '"]');
      if (!block) continue;
      const a = S.values.A[l.key];
      const b = S.values.B[l.key];
      for (const run of RUN_NAMES) {
        const row = block.querySelector('.lever-row[data-run="' + run + '"]');
        const input = row.querySelector('input');
        const v = S.values[run][l.key];
        if (!same(input.value, v)) input.value = v;
        let text = leverText(l, v, true);
        if (run === 'B' && !same(a, b)) text += ' (' + leverDelta(l, b - a) + ')';
        const out = row.querySelector('output');
        out.textContent = text;
        out.title = leverText(l, v) + ' · double-click: the default (' + leverText(l, l.default) + ')';
        if (run === 'B') row.hidden = !S.bOn;
      }
      block.classList.toggle('differs', S.bOn && !same(a, b));
    }
    const sIn = $('#scale');
    if (sIn) {
      if (!same(sIn.value, S.scale)) sIn.value = S.scale;
      sIn.parentElement.querySelector('output').textContent = leverText(S.scaleLever, S.scale);
    }
  }

  // Lever values the run was set up with differ from those on the page.
  function runDiffers(name) {
    const r = S.runs[name];
    if (!r.id || !r.status) return false;
    const applied = r.status.levers || {};
    for (const l of S.levers) {
      if (applied[l.key] !== undefined && !same(applied[l.key], S.values[name][l.key])) return true;
    }
    if (S.scale !== null && r.status.scale !== undefined && !same(r.status.scale, S.scale)) return true;
    const sd = Number($('#seed').value);
    return Number.isInteger(sd) && r.seed !== null && sd !== r.seed;
  }
  function updatePending() {
    const pending = activeRuns().some((n) => {
      const r = S.runs[n];
      return r.status && r.status.state !== 'idle' && runDiffers(n);
    });
    $('#pending').hidden = !pending;
  }

  // ---------------------------------------------------------------- runs

  function activeRuns() { return S.bOn ? ['A', 'B'] : ['A']; }
  function speed() { return Number($('#speed').value); }
  function seed() {
    const v = Number($('#seed').value);
    if (!Number.isInteger(v) || v < 0) throw showError('The seed must be a whole number, 0 or more');
    return v;
  }
  function leversOf(name) { return Object.assign({}, S.values[name]); }

  async function ensureRun(name) {
    const r = S.runs[name];
    const sd = seed();
    if (r.id && r.seed !== sd) await deleteRun(name);
    if (r.id) {
      if (!r.es) openEvents(name);
      return false;
    }
    const body = { label: name, levers: leversOf(name), seed: sd };
    if (S.scale !== null) body.scale = S.scale;
    const st = await api('POST', '/api/runs', body, 'Run ' + name);
    r.id = st.id;
    r.seed = sd;
    clearRunData(name);
    applyStatus(name, st);
    openEvents(name);
    return true;
  }

  async function deleteRun(name) {
    const r = S.runs[name];
    if (!r.id) return;
    const id = r.id;
    closeEvents(name);
    r.id = null;
    r.status = null;
    clearRunData(name);
    const res = await request('DELETE', '/api/runs/' + encodeURIComponent(id));
    if (!res.ok && res.status !== 404) showError('Run ' + name + ': ' + res.error);
  }

  async function control(name, action, extra) {
    const r = S.runs[name];
    const body = Object.assign({ action, speed_ms: speed() }, extra || {});
    note(name + ' control ' + action);
    const sent = performance.now();
    const st = await api('POST', '/api/runs/' + encodeURIComponent(r.id) + '/control', body, 'Run ' + name + ' ' + action);
    applyStatus(name, st, 'control', sent);
    refreshSoon(name);
    return st;
  }
  // The answer to a control is the state when the server took the request; the
  // run's thread moves on (a fast run may even finish before the answer
  // arrives), and the event stream says so. A look shortly after settles it.
  function refreshSoon(name) {
    const r = S.runs[name];
    clearTimeout(r.refreshTimer);
    r.refreshTimer = setTimeout(async () => {
      const id = r.id;
      if (!id) return;
      const sent = performance.now();
      const got = await request('GET', '/api/runs/' + encodeURIComponent(id));
      if (got.ok && r.id === id) applyStatus(name, got.data, 'get', sent);
    }, 400);
  }
  // The server applies a reset on the run's own thread: wait until it has.
  async function settle(name, pred, what, ms) {
    const r = S.runs[name];
    const end = performance.now() + (ms || 20000);
    while (!(r.status && pred(r.status))) {
      if (performance.now() > end) throw showError('Run ' + name + ': the server did not ' + what + ' in time');
      await new Promise((res) => setTimeout(res, 30));
      const sent = performance.now();
      const got = await request('GET', '/api/runs/' + encodeURIComponent(r.id));
      if (!got.ok) throw showError('Run ' + name + ': ' + got.error + (got.status ? ' (' + got.status + ')' : ''));
      applyStatus(name, got.data, 'get', sent);
    }
  }
  async function resetTo(name) {
    await control(name, 'reset', config(name));
    await settle(name, (st) => st.state === 'idle' && st.step === 0, 'reset the run');
  }

  function config(name) {
    const c = { levers: leversOf(name) };
    if (S.scale !== null) c.scale = S.scale;
    return c;
  }
  function stateOf(name) {
    const r = S.runs[name];
    return r.status ? r.status.state : 'none';
  }

  // The buttons, as NetLogo has them, for one run.
  const ACTIONS = {
    async setup(name) {
      await ensureRun(name);
      if (stateOf(name) !== 'idle') {
        await resetTo(name);
        await control(name, 'setup');
      } else {
        await control(name, 'setup', config(name));
      }
    },
    async go(name) {
      await ensureRun(name);
      const st = stateOf(name);
      if (st === 'running') return;
      if (st === 'idle') {
        if (runDiffers(name)) await control(name, 'setup', config(name));
      } else if (st === 'done' || st === 'failed' || (st === 'ready' && runDiffers(name))) {
        await resetTo(name);
      }
      await control(name, 'go');
    },
    async step(name) {
      await ensureRun(name);
      const st = stateOf(name);
      if (st === 'running') { await control(name, 'pause'); return; }
      if (st === 'done') { showMessage('Run ' + name + ' is at the last month: Setup or Reset to run it again.', 'info'); return; }
      if (st === 'idle') {
        if (runDiffers(name)) await control(name, 'setup', config(name));
      } else if (st === 'failed' || (st === 'ready' && runDiffers(name))) {
        await resetTo(name);
      }
      await control(name, 'step');
    },
    async pause(name) {
      if (stateOf(name) === 'running') await control(name, 'pause');
    },
    async reset(name) {
      if (!S.runs[name].id) return;
      await control(name, 'reset', config(name));
    },
  };

  // Set-up ahead of Go: a run without months is set up in the background
  // with the levers on the page (again when they change), so that Go starts
  // stepping at once instead of building the population first. A run that
  // has months is left as the class left it.
  let warmTimer = null;
  function warmSoon() {
    clearTimeout(warmTimer);
    warmTimer = setTimeout(() => {
      S.chain = S.chain.then(async () => {
        for (const n of activeRuns()) {
          const r = S.runs[n];
          try {
            seed();
            if (r.id && r.count > 0) continue;
            await ensureRun(n);
            const st = stateOf(n);
            if (st === 'idle') await control(n, 'setup', config(n));
            else if ((st === 'ready' || st === 'failed') && runDiffers(n)) {
              await resetTo(n);
              await control(n, 'setup');
            }
          } catch (e) { /* the buttons report what goes wrong */ }
        }
        drawStatus();
      });
    }, 300);
  }

  function startTiming(action, runs) {
    const from = {};
    const restart = {};
    for (const n of runs) {
      const st = stateOf(n);
      // Months already drawn that this action keeps (none when it starts over:
      // then the old months count only once the reset has cleared them).
      from[n] = (st === 'paused' || st === 'running' || (st === 'ready' && !runDiffers(n))) ? S.runs[n].count : 0;
      if (from[n] === 0 && S.runs[n].count > 0) restart[n] = true;
    }
    S.timing = { action, at: performance.now(), from, restart, first: {}, done: {}, runs: runs.slice() };
  }

  function buttonAction(action) {
    const runs = activeRuns();
    if (action === 'go' || action === 'step') startTiming(action, runs);
    S.chain = S.chain.then(async () => {
      try { seed(); } catch (e) { return; }
      const results = await Promise.allSettled(runs.map((n) => ACTIONS[action](n)));
      for (const r of results) if (r.status === 'rejected') report(r.reason);
      updateLeverViews();
      drawStatus();
    });
    if (action === 'reset') warmSoon();
    return S.chain;
  }

  function note(what) {
    S.log.push(Math.round(performance.now()) + ' ' + what);
    if (S.log.length > 300) S.log.splice(0, S.log.length - 300);
  }

  // A run's status comes from its event stream, and from the answers to
  // requests. The stream tells every change in order; an answer is a snapshot
  // taken while the request was served, and is set aside when the stream has
  // said something since the request left (the stream tells any later change).
  function applyStatus(name, st, how, sentAt) {
    const r = S.runs[name];
    if (!st || (r.id && st.id && st.id !== r.id)) return;
    note(name + ' status via ' + (how || 'events') + ': ' + st.state + ' ' + st.step);
    if (how) {
      if (sentAt !== undefined && r.eventsAt > sentAt) return;
      if (r.status && st.state !== 'idle' && Number.isFinite(st.step) && st.step < r.count) return;
    } else {
      r.eventsAt = performance.now();
    }
    const prev = r.status ? r.status.state : null;
    r.status = st;
    if (st.state === 'failed' && prev !== 'failed') showError('Run ' + name + ' failed: ' + (st.error || 'no reason given'));
    drawStatus();
  }

  function clearRunData(name) {
    const r = S.runs[name];
    r.count = 0;
    r.dates = [];
    r.totals = [];
    r.maps = [];
    r.yearly = {};
    S.dataVersion += 1;
    if (S.timing && S.timing.from[name] !== undefined) {
      S.timing.from[name] = 0;
      delete S.timing.restart[name];
    }
    S.map.firstFills = null;
    scheduleDraw();
  }

  // ---------------------------------------------------------------- events

  function closeEvents(name) {
    const r = S.runs[name];
    if (r.es) { r.es.close(); r.es = null; }
    if (r.esTimer) { clearTimeout(r.esTimer); r.esTimer = null; }
  }

  function openEvents(name) {
    const r = S.runs[name];
    closeEvents(name);
    const id = r.id;
    const es = new EventSource('/api/runs/' + encodeURIComponent(id) + '/events?from=' + r.count);
    r.es = es;
    const mine = () => r.es === es && r.id === id;
    es.addEventListener('state', (ev) => {
      if (!mine()) return;
      r.esRetry = 0;
      const st = JSON.parse(ev.data);
      if (Number.isFinite(st.step) && st.step < r.count) {
        // Months were discarded while the stream was away: start again.
        clearRunData(name);
        applyStatus(name, st);
        openEvents(name);
        return;
      }
      applyStatus(name, st);
    });
    es.addEventListener('open', () => note(name + ' events open'));
    es.addEventListener('month', (ev) => {
      if (!mine()) return;
      onMonth(name, JSON.parse(ev.data));
    });
    es.addEventListener('reset', () => {
      if (!mine()) return;
      note(name + ' reset event');
      clearRunData(name);
    });
    es.onerror = () => {
      if (!mine()) return;
      note(name + ' events error, readyState ' + es.readyState);
      es.close();
      r.es = null;
      const st = stateOf(name);
      const steps = (r.status && r.status.steps) || S.labels.length;
      // A finished run sends nothing more: the next button press reopens the stream.
      if ((st === 'done' || st === 'failed') && r.count >= Math.min(steps, (r.status && r.status.step) || 0)) return;
      r.esRetry += 1;
      const delay = Math.min(5000, 250 * 2 ** Math.min(r.esRetry, 5));
      r.esTimer = setTimeout(async () => {
        r.esTimer = null;
        if (r.id !== id) return;
        const res = await request('GET', '/api/runs/' + encodeURIComponent(id));
        if (r.id !== id) return;
        if (res.ok) {
          applyStatus(name, res.data);
          openEvents(name);
        } else if (res.status === 404) {
          showError('Run ' + name + ' is gone from the server (restarted?): press Setup to start it again.');
          r.id = null;
          r.status = null;
          updateAll();
        } else {
          if (r.esRetry === 3) showError('Run ' + name + ': lost the connection to the server (' + res.error + '); retrying');
          openEvents(name);
        }
      }, delay);
    };
  }

  function onMonth(name, d) {
    const r = S.runs[name];
    const step = d.step;
    if (!Number.isInteger(step) || step < r.count) return;
    for (let s = r.count; s < step; s++) { r.dates[s] = null; r.totals[s] = null; r.maps[s] = null; }
    r.dates[step] = { year: d.year, month: d.month };
    r.totals[step] = d.total || {};
    r.maps[step] = d.map || {};
    if (d.yearly && Number.isFinite(d.yearly.year)) r.yearly[d.yearly.year] = d.yearly;
    r.count = step + 1;
    r.eventsAt = performance.now();
    S.dataVersion += 1;
    if (step < 2) note(name + ' month ' + step);
    scheduleDraw();
  }

  // ---------------------------------------------------------------- drawing

  // New months are drawn at the next animation frame; while months pour in,
  // the charts are redrawn at most every other draw's time, so that the page
  // keeps answering on a slow machine.
  function scheduleDraw() {
    if (S.drawQueued) return;
    S.drawQueued = true;
    // A run's first month is drawn at once.
    const first = RUN_NAMES.some((n) => S.runs[n].count > 0 && !S.runs[n].drawn);
    const wait = first ? 0 : Math.max(0, (S.lastDrawEnd || 0) + (S.drawGap || 0) - performance.now());
    const run = () => {
      if (!S.drawQueued) return;
      S.drawQueued = false;
      draw();
    };
    setTimeout(() => {
      requestAnimationFrame(run);
      setTimeout(run, 100);  // a hidden tab gets no animation frames
    }, wait);
  }

  function draw() {
    if (!S.ready) return;
    const t0 = performance.now();
    updateCharts();
    const t1 = performance.now();
    updateMap();
    const t2 = performance.now();
    drawStatus();
    noteTiming();
    for (const n of RUN_NAMES) S.runs[n].drawn = S.runs[n].count;
    S.lastDrawEnd = performance.now();
    S.drawGap = Math.min(400, 1.5 * (S.lastDrawEnd - t0));
    note('draw A' + S.runs.A.count + ' B' + S.runs.B.count + ': charts ' + Math.round(t1 - t0) + ' ms, map ' + Math.round(t2 - t1) + ' ms');
  }

  function drawStatus() {
    if (!S.ready) return;
    updateStatus();
    updateDownloads();
  }

  function updateAll() {
    if (!S.ready) return;
    updateLeverViews();
    updatePending();
    draw();
  }

  function noteTiming() {
    const t = S.timing;
    if (!t) return;
    const now = performance.now();
    for (const n of t.runs) {
      const r = S.runs[n];
      if (t.restart[n]) continue;
      if (t.first[n] === undefined && r.count > t.from[n]) t.first[n] = now - t.at;
      const steps = (r.status && r.status.steps) || S.labels.length;
      if (t.done[n] === undefined && r.count >= steps && t.first[n] !== undefined) t.done[n] = now - t.at;
    }
  }

  // ---------------------------------------------------------------- values

  function indInfo(name) {
    return (S.model.indicators && S.model.indicators[name]) || { description: '', unit: '', format: '' };
  }

  // The yearly view. A year's last month brings the year's values as the
  // model's yearly rules make them (`yearly` in the month's message, the
  // numbers `ruralsim run` prints); the year under way is estimated from its
  // months so far: flows (".../month", "this month") summed, rates
  // (".../year") averaged, stocks as of the last month.
  function yearlyRule(name) {
    const info = indInfo(name);
    const y = info.yearly;
    if (y === 'sum' || y === 'mean' || y === 'last') return y;
    if (y) return 'mean';
    const unit = info.unit || '';
    if (/\/\s*year\b/.test(unit)) return 'mean';  // e.g. a month's income times 12
    if (/\/\s*month\b/.test(unit) || /\bthis month\b/i.test(info.description || '')) return 'sum';
    return 'last';
  }
  function yearlyUnit(name) {
    const info = indInfo(name);
    if (info.yearly_unit) return info.yearly_unit;
    const unit = info.unit || '';
    return yearlyRule(name) === 'sum' ? unit.replace(/\/\s*month\b/, '/year') : unit;
  }
  function unitOf(name) {
    const u = S.view === 'yearly' ? yearlyUnit(name) : (indInfo(name).unit || '');
    return u === '1' ? 'unitless' : u;
  }

  function aggregate(vals, rule) {
    let sum = 0, n = 0, last = null;
    for (const v of vals) {
      if (v === null || v === undefined || !Number.isFinite(v)) continue;
      sum += v; n += 1; last = v;
    }
    if (n === 0) return null;
    if (rule === 'sum') return sum;
    if (rule === 'mean') return sum / n;
    return last;
  }

  function num(v) { return (v === null || v === undefined || !Number.isFinite(v)) ? null : v; }

  // The series of one indicator for one run, up to `upto` months, in the view.
  function series(name, ind, upto) {
    const r = S.runs[name];
    const n = Math.min(r.count, upto === undefined ? Infinity : upto);
    const monthly = new Array(n);
    for (let s = 0; s < n; s++) monthly[s] = r.totals[s] ? num(r.totals[s][ind]) : null;
    if (S.view !== 'yearly') return monthly;
    const out = [];
    for (let i = 0; i < S.years.length; i++) {
      const vals = [];
      for (let s = 0; s < n; s++) if (yearIndex(s) === i) vals.push(monthly[s]);
      if (vals.length === 0) break;
      const year = r.yearly[S.years[i]];
      out.push(year && S.yearLast[i] < n ? num(year.total[ind]) : aggregate(vals, yearlyRule(ind)));
    }
    return out;
  }
  function yearFrom(step) {
    let s = step;
    while (s > 0 && yearIndex(s - 1) === yearIndex(step)) s -= 1;
    return S.labels[s];
  }
  function yearIndex(step) {
    return S.years.indexOf(Number(S.labels[step].slice(0, 4)));
  }

  // ---------------------------------------------------------------- charts

  // An indicator's short label: the model's label without its parenthesis, else its name.
  function indLabel(ind) {
    const info = indInfo(ind);
    const label = (info.label || '').replace(/\s*\([^)]*\)\s*$/, '').trim();
    return label && label.length <= 48 ? label : ind.replace(/_/g, ' ');
  }

  function buildCharts() {
    const box = $('#charts');
    (S.model.charts || []).forEach((def, ci) => {
      const canvas = el('canvas', { 'data-chart': ci, role: 'img', 'aria-label': def.title });
      const holder = el('div', { class: 'chart-box', 'data-chart-box': ci }, el('div', { class: 'chart-wrap' }, canvas));
      box.append(holder);
      const datasets = [];
      def.indicators.forEach((ind, k) => {
        const color = COLORS[k % COLORS.length];
        for (const run of ['A', 'B', 'D']) {
          datasets.push({
            label: indLabel(ind) + (run === 'D' ? ' (B − A)' : ' (' + run + ')'),
            data: [],
            borderColor: color,
            backgroundColor: color,
            borderDash: run === 'B' ? B_DASH : DIFF_DASH,
            borderWidth: run === 'D' ? 2.2 : 1.8,
            pointRadius: 0,
            pointHoverRadius: 3,
            hidden: run !== 'A',
            _run: run,
            _ind: ind,
          });
        }
      });
      const entry = { def, hidden: new Set(), chart: null };
      const chart = new Chart(canvas, {
        type: 'line',
        data: { labels: S.labels.slice(), datasets },
        options: {
          animation: false,
          responsive: true,
          maintainAspectRatio: false,
          spanGaps: true,
          normalized: true,
          interaction: { mode: 'index', intersect: false },
          elements: { line: { tension: 0 } },
          plugins: {
            title: { display: true, text: def.title, font: { size: 13, weight: '600' }, color: '#1d2b24' },
            legend: {
              position: 'bottom',
              labels: {
                boxWidth: 18, boxHeight: 2, font: { size: 11 },
                generateLabels: () => def.indicators.map((ind, k) => ({
                  text: indLabel(ind), fillStyle: COLORS[k % COLORS.length], strokeStyle: COLORS[k % COLORS.length],
                  lineWidth: 2, hidden: entry.hidden.has(ind), datasetIndex: k * 3, _ind: ind,
                })),
              },
              onClick: (e, item) => {
                if (entry.hidden.has(item._ind)) entry.hidden.delete(item._ind); else entry.hidden.add(item._ind);
                updateCharts();
              },
            },
            tooltip: {
              callbacks: {
                label: (ctx) => {
                  const ds = ctx.dataset;
                  const v = ctx.parsed.y;
                  const u = unitOf(ds._ind);
                  return ds.label + ': ' + (ds._run === 'D' ? fmtSigned(v) : fmt(v)) + (u ? ' ' + u : '');
                },
              },
            },
          },
          scales: {
            x: {
              title: { display: true, text: 'month' },
              ticks: {
                autoSkip: false, maxRotation: 0,
                callback: function (value, index) {
                  const lab = this.getLabelForValue(value);
                  if (S.view === 'yearly') return lab;
                  return lab.endsWith('-01') ? lab.slice(0, 4) : '';
                },
              },
              grid: { color: (ctx) => (ctx.tick && ctx.tick.label ? '#e3e6df' : 'transparent') },
            },
            y: {
              title: { display: true, text: '' },
              ticks: { callback: (v) => fmtTick(v) },
              grid: { color: '#eceee9' },
            },
          },
        },
      });
      entry.chart = chart;
      entry.datasets = datasets;
      S.charts.push(entry);
    });
  }

  function updateCharts() {
    const bOn = S.bOn;
    const diff = S.compare && bOn;
    const labels = S.view === 'yearly' ? S.years.map(String) : S.labels;
    for (const entry of S.charts) {
      const chart = entry.chart;
      if (chart.data.labels.length !== labels.length || chart.data.labels[0] !== labels[0]) {
        chart.data.labels = labels.slice();
      }
      for (const ds of chart.data.datasets) {
        const ind = ds._ind;
        ds.hidden = entry.hidden.has(ind) || (ds._run === 'D' ? !diff : (ds._run === 'B' ? (!bOn || diff) : diff));
        let data;
        if (ds.hidden) {
          data = [];  // hidden lines cost nothing
        } else if (ds._run === 'D') {
          data = [];
          if (diff) {
            const upto = Math.min(S.runs.A.count, S.runs.B.count);
            const a = series('A', ind, upto);
            const b = series('B', ind, upto);
            for (let i = 0; i < Math.min(a.length, b.length); i++) {
              data.push(a[i] === null || b[i] === null ? null : b[i] - a[i]);
            }
          }
        } else if (ds._run === 'B' && !bOn) {
          data = [];
        } else {
          data = series(ds._run, ind);
        }
        ds.data = data;
        // Sparse series (December only) are drawn with their points.
        const vals = data.filter((v) => v !== null).length;
        ds.pointRadius = (S.view !== 'yearly' && vals > 0 && vals * 4 < data.length) ? 2.5 : (S.view === 'yearly' ? 2 : 0);
      }
      const units = [...new Set(entry.def.indicators.map(unitOf).filter(Boolean))];
      chart.options.scales.y.title.text = (diff ? 'B − A, ' : '') + (units.join(', ') || 'value');
      chart.options.scales.x.title.text = S.view === 'yearly' ? 'year' : 'month';
      chart.update('none');
    }
    $('#line-key').textContent = diff ? 'B − A: scenario B minus scenario A, same seed'
      : (bOn ? 'A solid, B dashed' : 'scenario A');
  }

  // ---------------------------------------------------------------- map

  function buildMap() {
    const m = S.model.map || { indicators: [], areas: [] };
    const select = $('#map-indicator');
    for (const ind of m.indicators) select.append(el('option', { value: ind, text: indLabel(ind) }));
    S.map.indicator = m.indicators[0] || null;
    const areas = m.areas || [];

    // County seats; a county without coordinates sits at its province's mean.
    const prov = {};
    const known = areas.filter(hasPlace);
    const all = { lat: 0, lon: 0, n: 0 };
    for (const a of known) {
      const p = prov[a.province] || (prov[a.province] = { lat: 0, lon: 0, n: 0 });
      p.lat += a.lat; p.lon += a.lon; p.n += 1;
      all.lat += a.lat; all.lon += a.lon; all.n += 1;
    }
    const missing = {};
    const pos = areas.map((a) => {
      if (hasPlace(a)) return { lat: a.lat, lon: a.lon, placed: false };
      const p = prov[a.province] && prov[a.province].n ? prov[a.province] : all;
      const k = (missing[a.province] = (missing[a.province] || 0) + 1) - 1;
      const ang = k * 2.4;
      const rr = k === 0 ? 0 : 0.25 + 0.1 * k;
      return { lat: (p.n ? p.lat / p.n : 30) + rr * Math.sin(ang), lon: (p.n ? p.lon / p.n : 105) + rr * Math.cos(ang), placed: true };
    });
    if (!pos.length) return;

    const lats = pos.map((p) => p.lat);
    const lons = pos.map((p) => p.lon);
    const lat0 = Math.min(...lats), lat1 = Math.max(...lats);
    const lon0 = Math.min(...lons), lon1 = Math.max(...lons);
    const kx = Math.cos(((lat0 + lat1) / 2) * Math.PI / 180);
    const W = 860, H = 520, pad = 28;
    const sx = (W - 2 * pad) / Math.max(1e-6, (lon1 - lon0) * kx);
    const sy = (H - 2 * pad) / Math.max(1e-6, lat1 - lat0);
    const s = Math.min(sx, sy);
    const ox = (W - (lon1 - lon0) * kx * s) / 2;
    const oy = (H - (lat1 - lat0) * s) / 2;
    const xy = pos.map((p) => [ox + (p.lon - lon0) * kx * s, oy + (lat1 - p.lat) * s]);

    const root = svg('svg', { viewBox: '0 0 ' + W + ' ' + H, role: 'img', 'aria-label': 'Map of the 160 counties' });
    const gProv = svg('g', { class: 'provinces' });
    const gLab = svg('g', { class: 'province-labels' });
    const gCty = svg('g', { class: 'counties' });
    root.append(gProv, gCty, gLab);

    const groups = {};
    areas.forEach((a, i) => { (groups[a.province] = groups[a.province] || []).push(i); });
    Object.keys(groups).sort().forEach((pname, pi) => {
      const pts = groups[pname].map((i) => xy[i]);
      const hull = convexHull(pts);
      const d = hull.map((p, j) => (j ? 'L' : 'M') + p[0].toFixed(1) + ',' + p[1].toFixed(1)).join('') + (hull.length > 2 ? 'Z' : '');
      gProv.append(svg('path', { d: hull.length === 1 ? d + 'l0.01,0' : d, class: 'province p' + (pi % 4), 'data-province': pname }));
      const cx = pts.reduce((t, p) => t + p[0], 0) / pts.length;
      const cy = pts.reduce((t, p) => t + p[1], 0) / pts.length;
      const label = svg('text', { x: cx.toFixed(1), y: (cy - 12).toFixed(1), class: 'province-label' });
      label.textContent = pname;
      gLab.append(label);
    });

    areas.forEach((a, i) => {
      const c = svg('circle', {
        cx: xy[i][0].toFixed(1), cy: xy[i][1].toFixed(1), r: 5.2, fill: NODATA,
        'data-county': i, class: pos[i].placed ? 'county placed' : 'county',
      });
      gCty.append(c);
      S.map.circles.push(c);
      S.map.fills.push(NODATA);
    });
    $('#map').append(root);

    const tip = $('#tooltip');
    root.addEventListener('mouseover', (ev) => {
      const c = ev.target.closest && ev.target.closest('circle[data-county]');
      if (!c) return;
      showTip(Number(c.dataset.county), ev);
    });
    root.addEventListener('mousemove', (ev) => {
      if (!tip.hidden) placeTip(ev);
    });
    root.addEventListener('mouseout', (ev) => {
      if (ev.target.closest && ev.target.closest('circle[data-county]')) tip.hidden = true;
    });
  }

  // A county seat's coordinates; null, or negative (the county table's "not
  // given": all of China is north and east), mean none.
  function hasPlace(a) {
    return Number.isFinite(a.lat) && Number.isFinite(a.lon) && a.lat >= 0 && a.lon >= 0 && a.lat <= 90 && a.lon <= 180;
  }

  function convexHull(points) {
    const p = points.map((q) => q.slice()).sort((a, b) => a[0] - b[0] || a[1] - b[1]);
    if (p.length < 3) return p;
    const cross = (o, a, b) => (a[0] - o[0]) * (b[1] - o[1]) - (a[1] - o[1]) * (b[0] - o[0]);
    const lower = [];
    for (const q of p) {
      while (lower.length >= 2 && cross(lower[lower.length - 2], lower[lower.length - 1], q) <= 0) lower.pop();
      lower.push(q);
    }
    const upper = [];
    for (let i = p.length - 1; i >= 0; i--) {
      const q = p[i];
      while (upper.length >= 2 && cross(upper[upper.length - 2], upper[upper.length - 1], q) <= 0) upper.pop();
      upper.push(q);
    }
    upper.pop(); lower.pop();
    return lower.concat(upper);
  }

  // The step the map shows for its run (for B − A the last month both have).
  function mapStep() {
    const mr = S.map.run;
    if (mr === 'D') return Math.min(S.runs.A.count, S.runs.B.count) - 1;
    return S.runs[mr].count - 1;
  }

  // One county's values of the map indicator for a run at `step`, in the view.
  function countyValue(name, ind, county, step) {
    const r = S.runs[name];
    if (step < 0 || step >= r.count) return null;
    if (S.view !== 'yearly') {
      const m = r.maps[step];
      return m && m[ind] ? num(m[ind][county]) : null;
    }
    const yi = yearIndex(step);
    const year = r.yearly[S.years[yi]];
    if (year && S.yearLast[yi] <= step) return year.map && year.map[ind] ? num(year.map[ind][county]) : null;
    const vals = [];
    for (let s = 0; s <= step; s++) {
      if (yearIndex(s) !== yi) continue;
      const m = r.maps[s];
      vals.push(m && m[ind] ? num(m[ind][county]) : null);
    }
    return aggregate(vals, yearlyRule(ind));
  }
  // The map indicator's value in every county for run A, B or D (B - A) at `step`.
  function mapValues(step, run) {
    run = run || S.map.run;
    const ind = S.map.indicator;
    const n = S.map.circles.length;
    const out = new Array(n).fill(null);
    if (!ind || step < 0) return out;
    for (let i = 0; i < n; i++) {
      if (run === 'D') {
        const a = countyValue('A', ind, i, step);
        const b = countyValue('B', ind, i, step);
        out[i] = a === null || b === null ? null : b - a;
      } else {
        out[i] = countyValue(run, ind, i, step);
      }
    }
    return out;
  }

  function quantile(sorted, q) {
    if (!sorted.length) return NaN;
    const x = q * (sorted.length - 1);
    const i = Math.floor(x);
    return i + 1 < sorted.length ? sorted[i] + (sorted[i + 1] - sorted[i]) * (x - i) : sorted[i];
  }

  // The colour scale's range: the months received so far (A and B together),
  // so that colours mean the same all through the run; the 2nd to 98th
  // percentile (B - A: 95 % of the differences), so that a few small counties,
  // noisy at the teaching scale, do not wash out the rest.
  function mapDomain(step) {
    const mr = S.map.run;
    const runs = mr === 'D' ? ['D'] : (S.bOn ? RUN_NAMES : ['A']);
    const key = [S.map.indicator, mr, S.view, runs.join(''), step, S.dataVersion].join('|');
    if (S.map.domainKey === key) return S.map.domain;
    const vals = [];
    for (const run of runs) {
      const last = run === 'D' ? step : Math.min(step, S.runs[run].count - 1);
      for (let s = 0; s <= last; s++) {
        // yearly: each year's value once (at its last month so far)
        if (S.view === 'yearly' && s !== last && yearIndex(s + 1) === yearIndex(s)) continue;
        for (const v of mapValues(s, run)) if (v !== null) vals.push(run === 'D' ? Math.abs(v) : v);
      }
    }
    vals.sort((a, b) => a - b);
    let dom;
    if (mr === 'D') {
      const m = quantile(vals, 0.95);
      dom = m > 0 ? [-m, m] : [-1, 1];
    } else {
      let lo = quantile(vals, 0.02), hi = quantile(vals, 0.98);
      if (!Number.isFinite(lo)) { lo = 0; hi = 1; }
      if (lo === hi) { lo -= Math.abs(lo) * 0.1 || 1; hi += Math.abs(hi) * 0.1 || 1; }
      dom = [lo, hi];
    }
    S.map.domainKey = key;
    S.map.domain = dom;
    return dom;
  }

  function ramp(stops, t) {
    t = Math.min(1, Math.max(0, t));
    const x = t * (stops.length - 1);
    const i = Math.min(stops.length - 2, Math.floor(x));
    const f = x - i;
    const a = hex(stops[i]), b = hex(stops[i + 1]);
    const c = a.map((v, k) => Math.round(v + (b[k] - v) * f));
    return '#' + c.map((v) => v.toString(16).padStart(2, '0')).join('');
  }
  function hex(h) { return [1, 3, 5].map((i) => parseInt(h.slice(i, i + 2), 16)); }

  function updateMap() {
    if (!S.map.circles.length) return;
    if (S.map.run === 'B' && !S.bOn) S.map.run = 'A';
    if (S.map.run === 'D' && !S.bOn) S.map.run = 'A';
    $('#map-run').value = S.map.run;
    for (const opt of $('#map-run').options) opt.disabled = opt.value !== 'A' && !S.bOn;
    const step = mapStep();
    const vals = mapValues(step);
    const dom = mapDomain(step);
    const diverging = S.map.run === 'D';
    const fills = vals.map((v) => {
      if (v === null) return NODATA;
      const t = (v - dom[0]) / (dom[1] - dom[0]);
      return ramp(diverging ? DIV : SEQ, t);
    });
    let changed = false;
    fills.forEach((f, i) => {
      if (S.map.fills[i] !== f) {
        S.map.circles[i].setAttribute('fill', f);
        S.map.fills[i] = f;
        changed = true;
      }
    });
    if (step >= 0 && vals.some((v) => v !== null)) {
      S.map.draws += changed ? 1 : 0;
      if (!S.map.firstFills) S.map.firstFills = fills.slice();
    }
    S.map.step = step;
    S.map.values = vals;
    S.map.domain = dom;
    const ind = S.map.indicator;
    const runText = S.map.run === 'D' ? 'B − A' : S.map.run;
    $('#map-when').textContent = step >= 0
      ? runText + ', ' + (S.view === 'yearly' ? yearFrom(step) + ' to ' + S.labels[step] : S.labels[step])
      : runText + ': no months yet';
    drawLegend(dom, diverging, ind ? unitOf(ind) : '');
  }

  function drawLegend(dom, diverging, unit) {
    const box = $('#map-legend');
    const stops = diverging ? DIV : SEQ;
    const key = dom.join('|') + diverging + unit;
    if (box.dataset.key === key) return;
    box.dataset.key = key;
    box.replaceChildren(
      el('span', { class: 'lg-min', text: '≤ ' + (diverging ? fmtSigned(dom[0]) : fmt(dom[0])) }),
      el('span', { class: 'lg-bar', style: 'background: linear-gradient(to right, ' + stops.join(', ') + ')' }),
      el('span', { class: 'lg-max', text: '≥ ' + (diverging ? fmtSigned(dom[1]) : fmt(dom[1])) }),
      el('span', { class: 'lg-unit', text: (diverging ? 'B − A, ' : '') + (unit || '') }),
      el('span', { class: 'lg-nodata' }, el('span', { class: 'swatch', style: 'background:' + NODATA }), ' no data'));
  }

  function showTip(i, ev) {
    const a = S.model.map.areas[i];
    const tip = $('#tooltip');
    const ind = S.map.indicator;
    const unit = ind ? unitOf(ind) : '';
    const step = S.map.step;
    const lines = [
      el('div', { class: 'tip-name' }, a.name + ' ', el('span', { class: 'zh', lang: 'zh', text: a.name_zh || '' })),
      el('div', { class: 'tip-where', text: [a.prefecture, a.province].filter(Boolean).join(', ') }),
    ];
    if (ind) {
      if (S.map.run === 'D') {
        const va = countyValue('A', ind, i, step), vb = countyValue('B', ind, i, step);
        lines.push(el('div', { class: 'tip-value', text: indLabel(ind) + ', B − A: ' + (va === null || vb === null ? '–' : fmtSigned(vb - va)) + ' ' + unit }));
        lines.push(el('div', { class: 'tip-sub', text: 'A ' + fmt(va) + ', B ' + fmt(vb) }));
      } else {
        const v = countyValue(S.map.run, ind, i, step);
        lines.push(el('div', { class: 'tip-value', text: indLabel(ind) + ' (' + S.map.run + '): ' + fmt(v) + ' ' + unit }));
      }
    }
    if (!hasPlace(a)) lines.push(el('div', { class: 'tip-sub', text: 'no coordinates: shown at its province\'s centre' }));
    tip.replaceChildren(...lines);
    tip.hidden = false;
    tip.dataset.county = i;
    placeTip(ev);
  }
  function placeTip(ev) {
    const tip = $('#tooltip');
    const panel = $('#map-panel').getBoundingClientRect();
    let x = ev.clientX - panel.left + 14;
    let y = ev.clientY - panel.top + 14;
    if (x + tip.offsetWidth > panel.width - 4) x = ev.clientX - panel.left - tip.offsetWidth - 14;
    if (y + tip.offsetHeight > panel.height - 4) y = ev.clientY - panel.top - tip.offsetHeight - 14;
    tip.style.left = x + 'px';
    tip.style.top = y + 'px';
  }

  // ---------------------------------------------------------------- lesson

  function buildLesson() {
    const list = $('#lesson-steps');
    (S.model.lesson || []).forEach((step, i) => {
      const li = el('li', { 'data-lesson-step': i },
        el('h3', { text: step.title }),
        el('p', { text: step.text }));
      const tries = step.try || [];
      if (tries.length) {
        const what = tries.map((t) => {
          const l = S.leverByKey[t.key];
          return l ? l.label + ' ' + leverText(l, t.value) + (l.unit && !l.integer ? ' ' + l.unit : '') : t.key + ' ' + t.value;
        }).join(', ');
        li.append(el('p', { class: 'try-what', text: 'B: ' + what }));
        const btn = el('button', { type: 'button', class: 'try', 'data-lesson': i, text: 'Try it' });
        btn.addEventListener('click', () => tryLesson(i));
        li.append(btn);
      }
      list.append(li);
    });
  }

  function tryLesson(i) {
    const step = S.model.lesson[i];
    S.values.B = Object.assign({}, S.values.A);
    const unknown = [];
    for (const t of step.try || []) {
      if (S.leverByKey[t.key]) S.values.B[t.key] = t.value;
      else unknown.push(t.key);
    }
    if (unknown.length) showError('The lesson names levers the server does not offer: ' + unknown.join(', '));
    setB(true);
    for (const li of document.querySelectorAll('#lesson-steps li')) li.classList.toggle('active', li.dataset.lessonStep === String(i));
    showMessage(step.title + ': B is A with ' + (step.try || []).map((t) => {
      const l = S.leverByKey[t.key];
      return l ? l.label + ' = ' + leverText(l, t.value) : t.key;
    }).join(', ') + '. Press Setup, then Go.', 'info');
    updateAll();
  }

  // ---------------------------------------------------------------- controls

  function setB(on) {
    S.bOn = on;
    $('#b-toggle').checked = on;
    if (on) warmSoon();
    document.body.classList.toggle('b-on', on);
    if (!on && stateOf('B') === 'running') {
      S.chain = S.chain.then(() => control('B', 'pause').catch(report));
    }
    updateAll();
  }

  function wireControls() {
    for (const action of ['setup', 'go', 'step', 'pause', 'reset']) {
      $('#' + action).addEventListener('click', () => buttonAction(action));
    }
    const sp = $('#speed');
    let spTimer = null;
    const speedText = () => {
      $('#speed-value').textContent = Number(sp.value) === 0 ? 'no pause: as fast as the model runs'
        : 'a pause of ' + sp.value + ' ms after each month';
    };
    const sendSpeed = () => {
      speedText();
      clearTimeout(spTimer);
      spTimer = setTimeout(() => {
        for (const n of RUN_NAMES) {
          const r = S.runs[n];
          if (r.id && r.status && r.status.state !== 'done') control(n, 'speed').catch(report);
        }
      }, 120);
    };
    sp.addEventListener('input', sendSpeed);
    sp.addEventListener('change', sendSpeed);
    speedText();
    $('#b-toggle').addEventListener('change', (ev) => setB(ev.target.checked));
    $('#b-same').addEventListener('click', () => {
      S.values.B = Object.assign({}, S.values.A);
      updateAll();
    });
    $('#compare-toggle').addEventListener('change', (ev) => {
      S.compare = ev.target.checked;
      if (S.compare && !S.bOn) showMessage('B − A needs scenario B: turn on “Compare with scenario B”.', 'info');
      draw();
    });
    $('#view').addEventListener('change', (ev) => { S.view = ev.target.value; draw(); });
    $('#map-indicator').addEventListener('change', (ev) => { S.map.indicator = ev.target.value; draw(); });
    $('#map-run').addEventListener('change', (ev) => { S.map.run = ev.target.value; draw(); });
    $('#seed').addEventListener('change', () => { updatePending(); warmSoon(); });
    window.addEventListener('pagehide', () => {
      for (const n of RUN_NAMES) {
        const r = S.runs[n];
        if (r.id) {
          closeEvents(n);
          try { fetch('/api/runs/' + encodeURIComponent(r.id), { method: 'DELETE', keepalive: true }); } catch (e) { /* leaving */ }
        }
      }
    });
  }

  function statusText(name) {
    const r = S.runs[name];
    const steps = (r.status && r.status.steps) || S.labels.length;
    if (!r.id || !r.status) return name + ': not started (press Setup or Go)';
    const st = r.status.state;
    const when = r.count > 0 ? S.labels[r.count - 1] + ', step ' + r.count + ' of ' + steps : 'step 0 of ' + steps;
    let extra = '';
    if (st === 'failed') extra = ': ' + (r.status.error || 'failed');
    return name + ': ' + st.replace(/_/g, ' ') + ' · ' + when + extra;
  }
  function updateStatus() {
    for (const n of RUN_NAMES) {
      const e = $('#status-' + n);
      const st = S.runs[n].status ? S.runs[n].status.state : 'none';
      e.textContent = statusText(n);
      e.dataset.state = st;
      e.hidden = n === 'B' && !S.bOn;
    }
    const anyRunning = activeRuns().some((n) => stateOf(n) === 'running');
    $('#go').classList.toggle('active', anyRunning);
    updatePending();
  }

  function updateDownloads() {
    for (const n of RUN_NAMES) {
      const r = S.runs[n];
      const csv = $('#download-' + n + '-csv');
      const h5 = $('#download-' + n + '-h5');
      const base = r.id ? '/api/runs/' + encodeURIComponent(r.id) : null;
      setLink(csv, base && r.count > 0 ? base + '/download.csv' : null);
      setLink(h5, base && r.status && r.status.state === 'done' ? base + '/download.h5' : null);
      csv.closest('.dl-row').hidden = n === 'B' && !S.bOn;
    }
  }
  function setLink(a, href) {
    if (href) {
      if (a.getAttribute('href') !== href) a.setAttribute('href', href);
      a.classList.remove('disabled');
      a.removeAttribute('aria-disabled');
    } else {
      a.removeAttribute('href');
      a.classList.add('disabled');
      a.setAttribute('aria-disabled', 'true');
    }
  }

  // ---------------------------------------------------------------- for tests

  function snapshot() {
    const runs = {};
    for (const n of RUN_NAMES) {
      const r = S.runs[n];
      const last = r.count > 0 ? r.totals[r.count - 1] : null;
      runs[n] = {
        id: r.id,
        state: r.status ? r.status.state : null,
        serverStep: r.status ? r.status.step : null,
        months: r.count,
        lastMonth: r.count > 0 ? S.labels[r.count - 1] : null,
        lastTotal: last ? Object.assign({}, last) : null,
        levers: Object.assign({}, S.values[n]),
        applied: r.status && r.status.levers ? Object.assign({}, r.status.levers) : null,
        scale: r.status ? r.status.scale : null,
        streaming: !!r.es,
      };
    }
    return JSON.parse(JSON.stringify({
      ready: S.ready,
      bOn: S.bOn,
      compare: S.compare,
      view: S.view,
      scale: S.scale,
      runs,
      timing: S.timing,
      errors: S.errors.slice(),
      charts: S.charts.map((e) => ({
        title: e.def.title,
        datasets: e.chart.data.datasets.map((ds) => ({
          run: ds._run, indicator: ds._ind, hidden: !!ds.hidden,
          points: ds.data.filter((v) => v !== null && v !== undefined).length,
        })),
      })),
      map: {
        indicator: S.map.indicator, run: S.map.run, step: S.map.step,
        fills: S.map.fills.slice(), firstFills: S.map.firstFills, draws: S.map.draws, domain: S.map.domain || null,
      },
    }));
  }

  // The difference B - A of one indicator's total at every month both runs have.
  function difference(ind) {
    const n = Math.min(S.runs.A.count, S.runs.B.count);
    const out = [];
    for (let s = 0; s < n; s++) {
      const a = S.runs.A.totals[s] && num(S.runs.A.totals[s][ind]);
      const b = S.runs.B.totals[s] && num(S.runs.B.totals[s][ind]);
      out.push(a === null || b === null || a === undefined || b === undefined ? null : b - a);
    }
    return out;
  }

  Object.defineProperty(window, 'classroom', {
    value: Object.freeze({
      state: snapshot,
      difference,
      // The year's values the server sent with each year's last month.
      yearly: (run, ind) => S.years.map((y) => {
        const yr = S.runs[run].yearly[y];
        return yr ? num(yr.total[ind]) : null;
      }),
      log: () => S.log.slice(),
      // Sends a request as the page does, errors included (shown in the message area).
      send: async (method, path, body) => {
        const r = await request(method, path, body);
        if (!r.ok) showError(method + ' ' + path + ': ' + r.error + (r.status ? ' (' + r.status + ')' : ''));
        return { ok: r.ok, status: r.status, data: r.data, error: r.error || null };
      },
    }),
    writable: false,
  });

  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start);
  else start();
})();
