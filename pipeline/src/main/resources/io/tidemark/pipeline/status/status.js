// The Tidemark status page: fetches status.json once a second and draws it as plain SVG.
// No library, no network but this control port.
'use strict';
(function () {
  const SVG = 'http://www.w3.org/2000/svg';
  const COLORS = ['#2563eb', '#dc2626', '#16a34a', '#9333ea', '#ea580c', '#0891b2', '#be185d', '#4d7c0f'];
  const REFRESH_MS = 1000;
  let token = sessionStorage.getItem('tidemark-token');

  function el(name, attrs, parent) {
    const e = document.createElementNS(SVG, name);
    for (const k in attrs) {
      e.setAttribute(k, attrs[k]);
    }
    if (parent) {
      parent.appendChild(e);
    }
    return e;
  }

  function text(parent, x, y, s, attrs) {
    const t = el('text', Object.assign({ x: x, y: y }, attrs || {}), parent);
    t.textContent = s;
    return t;
  }

  function count(n) {
    if (n === null || n === undefined) return 'n/a';
    if (n >= 1e9) return (n / 1e9).toFixed(2) + ' G';
    if (n >= 1e6) return (n / 1e6).toFixed(2) + ' M';
    if (n >= 1e4) return (n / 1e3).toFixed(1) + ' k';
    return String(Math.round(n));
  }

  function bytes(n) {
    if (n === null || n === undefined) return 'n/a';
    const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
    let i = 0;
    while (n >= 1024 && i < units.length - 1) {
      n /= 1024;
      i++;
    }
    return (i === 0 ? n : n.toFixed(1)) + ' ' + units[i];
  }

  function micros(us) {
    if (us === null || us === undefined) return 'n/a';
    if (us >= 1e6) return (us / 1e6).toFixed(2) + ' s';
    if (us >= 1e3) return (us / 1e3).toFixed(1) + ' ms';
    return us.toFixed(0) + ' µs';
  }

  function millis(ms) {
    return ms === null || ms === undefined ? 'n/a' : micros(ms * 1000);
  }

  function percent(f) {
    return f === null || f === undefined ? 'n/a' : (f * 100).toFixed(0) + ' %';
  }

  function pressureColor(f) {
    if (f === null || f === undefined) return '#9ca3af';
    if (f < 0.1) return '#16a34a';
    if (f < 0.5) return '#d97706';
    return '#dc2626';
  }

  function niceMax(v) {
    if (!(v > 0)) return 1;
    const p = Math.pow(10, Math.floor(Math.log10(v)));
    for (const m of [1, 2, 2.5, 5, 10]) {
      if (v <= m * p) return m * p;
    }
    return 10 * p;
  }

  // Clears the chart box and draws the frame: returns the SVG and the plot area.
  function frame(box, height) {
    box.textContent = '';
    const width = 560;
    const svg = el('svg', { viewBox: '0 0 ' + width + ' ' + height, 'data-chart': box.id }, box);
    return { svg: svg, left: 64, right: width - 10, top: 8, bottom: height - 40 };
  }

  function yAxis(f, max, format) {
    for (let i = 0; i <= 4; i++) {
      const y = f.bottom - (f.bottom - f.top) * i / 4;
      el('line', { class: i === 0 ? 'axis' : 'grid', x1: f.left, x2: f.right, y1: y, y2: y }, f.svg);
      text(f.svg, f.left - 6, y + 4, format(max * i / 4), { 'text-anchor': 'end' });
    }
  }

  function legend(f, names) {
    let x = f.left;
    names.forEach(function (name, i) {
      el('rect', { x: x, y: f.bottom + 24, width: 10, height: 10, fill: COLORS[i % COLORS.length] }, f.svg);
      text(f.svg, x + 14, f.bottom + 33, name);
      x += 24 + 6 * name.length;
    });
  }

  function empty(f, message) {
    text(f.svg, (f.left + f.right) / 2, (f.top + f.bottom) / 2, message, { 'text-anchor': 'middle', class: 'empty' });
  }

  // series: [{name, values}], values aligned with times; null leaves a gap.
  // fixedMax: the top of the y axis; minMax: the least top (restarts: whole numbers on every tick).
  function lineChart(box, times, series, format, fixedMax, minMax) {
    const f = frame(box, 220);
    let max = 0;
    series.forEach(function (s) {
      s.values.forEach(function (v) {
        if (v !== null && v > max) max = v;
      });
    });
    max = fixedMax || Math.max(niceMax(max), minMax || 0);
    yAxis(f, max, format);
    if (times.length < 2) {
      empty(f, 'waiting for samples');
      return;
    }
    const t0 = times[0];
    const span = Math.max(1, times[times.length - 1] - t0);
    const x = function (t) { return f.left + (f.right - f.left) * (t - t0) / span; };
    const y = function (v) { return f.bottom - (f.bottom - f.top) * Math.min(v, max) / max; };
    for (const frac of [0, 0.5, 1]) {
      const t = t0 + span * frac;
      text(f.svg, x(t), f.bottom + 14, '-' + Math.round((times[times.length - 1] - t) / 1000) + ' s',
        { 'text-anchor': frac === 0 ? 'start' : frac === 1 ? 'end' : 'middle' });
    }
    series.forEach(function (s, i) {
      let d = '';
      let points = 0;
      let pen = 'M';
      let last = null;
      const color = COLORS[i % COLORS.length];
      s.values.forEach(function (v, k) {
        if (v === null) {
          pen = 'M';
          return;
        }
        d += pen + x(times[k]).toFixed(1) + ',' + y(v).toFixed(1) + ' ';
        const alone = (k === 0 || s.values[k - 1] === null) && (k === s.values.length - 1 || s.values[k + 1] === null);
        if (alone) {
          // a point between two gaps draws no line: show it as a dot
          el('circle', { cx: x(times[k]).toFixed(1), cy: y(v).toFixed(1), r: 2.5, fill: color }, f.svg);
        }
        pen = 'L';
        points++;
        last = v;
      });
      el('path', { class: 'series', d: d || 'M0,0', stroke: color, 'data-series': s.name,
        'data-points': points, 'data-last': last === null ? '' : last }, f.svg);
    });
    legend(f, series.map(function (s) { return s.name; }));
  }

  // Grouped bars, one group per label (checkpoint id).
  function barChart(box, labels, series, format) {
    const f = frame(box, 220);
    let max = 0;
    series.forEach(function (s) {
      s.values.forEach(function (v) {
        if (v !== null && v > max) max = v;
      });
    });
    max = niceMax(max);
    yAxis(f, max, format);
    if (labels.length === 0) {
      empty(f, 'no checkpoint yet');
      return;
    }
    const group = (f.right - f.left) / labels.length;
    const bar = Math.max(1, group * 0.8 / series.length);
    const step = Math.max(1, Math.ceil(labels.length / 12));
    labels.forEach(function (label, k) {
      if (k % step === 0) {
        text(f.svg, f.left + group * (k + 0.5), f.bottom + 14, String(label), { 'text-anchor': 'middle' });
      }
    });
    series.forEach(function (s, i) {
      s.values.forEach(function (v, k) {
        if (v === null) return;
        const h = (f.bottom - f.top) * Math.min(v, max) / max;
        const r = el('rect', { class: 'bar', x: f.left + group * k + group * 0.1 + bar * i, y: f.bottom - h,
          width: bar, height: h, fill: COLORS[i % COLORS.length], 'data-series': s.name }, f.svg);
        el('title', {}, r).textContent = s.name + ' of checkpoint ' + labels[k] + ': ' + format(v);
      });
    });
    legend(f, series.map(function (s) { return s.name; }));
  }

  // Operators placed by depth from the sources, left to right; one row per operator of a depth.
  function drawGraph(svg, operators, edges) {
    svg.textContent = '';
    const depth = {};
    operators.forEach(function (o) { depth[o.id] = 0; });
    for (let pass = 0; pass < operators.length; pass++) {
      edges.forEach(function (e) { depth[e.to] = Math.max(depth[e.to], depth[e.from] + 1); });
    }
    const rows = {};
    const at = {};
    const W = 200;
    const H = 82;
    operators.forEach(function (o) {
      const d = depth[o.id];
      rows[d] = (rows[d] || 0) + 1;
      at[o.id] = { x: 10 + d * (W + 110), y: 10 + (rows[d] - 1) * (H + 24) };
    });
    let width = 0;
    let height = 0;
    operators.forEach(function (o) {
      width = Math.max(width, at[o.id].x + W + 10);
      height = Math.max(height, at[o.id].y + H + 10);
    });
    svg.setAttribute('viewBox', '0 0 ' + width + ' ' + height);
    svg.style.maxWidth = width + 'px';
    const defs = el('defs', {}, svg);
    const marker = el('marker', { id: 'arrow', viewBox: '0 0 10 10', refX: 10, refY: 5, markerWidth: 7,
      markerHeight: 7, orient: 'auto' }, defs);
    el('path', { d: 'M0,0 L10,5 L0,10 z', fill: '#6b7280' }, marker);
    edges.forEach(function (e) {
      const a = at[e.from];
      const b = at[e.to];
      const x1 = a.x + W;
      const y1 = a.y + H / 2;
      const x2 = b.x;
      const y2 = b.y + H / 2;
      const g = el('g', { class: 'edge-group', 'data-from': e.from, 'data-to': e.to }, svg);
      el('path', { class: 'edge' + (e.chained ? ' chained' : ''), d: 'M' + x1 + ',' + y1 + ' C' + (x1 + 50) + ','
        + y1 + ' ' + (x2 - 50) + ',' + y2 + ' ' + x2 + ',' + y2, stroke: pressureColor(e.backpressure),
        'marker-end': 'url(#arrow)' }, g);
      const mx = (x1 + x2) / 2;
      const my = (y1 + y2) / 2;
      text(g, mx, my - 8, e.partitioning + (e.chained ? ', chained' : ''), { 'text-anchor': 'middle' });
      if (!e.chained) {
        text(g, mx, my + 16, 'backlog ' + count(e.backlog) + ' · ' + percent(e.backpressure),
          { 'text-anchor': 'middle', fill: pressureColor(e.backpressure) });
      }
    });
    operators.forEach(function (o) {
      const p = at[o.id];
      const g = el('g', { class: 'node', 'data-operator': o.name, transform: 'translate(' + p.x + ',' + p.y + ')' },
        svg);
      el('rect', { width: W, height: H }, g);
      text(g, 10, 18, o.name, { class: 'title' });
      text(g, 10, 35, '×' + o.parallelism + (o.source ? ' · source' : '') + (o.keyed ? ' · keyed' : ''));
      text(g, 10, 52, (o.source ? 'out ' : 'in ') + count(o.rate_in_per_s) + '/s · ' + count(o.records_in)
        + ' records');
      text(g, 10, 69, o.records_out === null ? 'sink' : 'to next ' + count(o.rate_out_per_s) + '/s');
    });
  }

  function cell(row, value, na) {
    const td = document.createElement('td');
    td.textContent = value;
    if (na) td.className = 'na';
    row.appendChild(td);
  }

  function drawState(state) {
    const body = document.querySelector('#state tbody');
    body.textContent = '';
    state.operators.forEach(function (o) {
      const tr = document.createElement('tr');
      cell(tr, o.name);
      cell(tr, String(o.instances));
      cell(tr, bytes(o.resident_bytes), o.resident_bytes === null);
      cell(tr, bytes(o.spilled_bytes), o.spilled_bytes === null);
      body.appendChild(tr);
    });
    document.getElementById('state-summary').textContent = 'backend ' + state.backend + ' · memory budget '
      + bytes(state.memory_budget_bytes_per_instance) + ' per keyed instance · last checkpoint '
      + bytes(state.last_checkpoint_bytes);
  }

  function drawCheckpoints(list) {
    const completed = list.filter(function (c) { return c.status === 'COMPLETED'; });
    const ids = completed.map(function (c) { return c.id; });
    const pick = function (field) { return completed.map(function (c) { return c[field]; }); };
    barChart(document.getElementById('chart-checkpoint-size'), ids,
      [{ name: 'on disk', values: pick('bytes') },
        { name: 'new streams since the previous one (uncompressed)', values: pick('incremental_bytes') }], bytes);
    barChart(document.getElementById('chart-checkpoint-duration'), ids,
      [{ name: 'trigger to commit', values: pick('duration_ms') }], millis);
    barChart(document.getElementById('chart-checkpoint-pause'), ids,
      [{ name: 'sync pause', values: pick('sync_pause_us') }], micros);
    const body = document.querySelector('#checkpoints tbody');
    body.textContent = '';
    list.slice(-10).reverse().forEach(function (c) {
      const tr = document.createElement('tr');
      cell(tr, String(c.id));
      cell(tr, c.status === 'COMPLETED' ? 'completed' : 'aborted: ' + c.reason);
      cell(tr, bytes(c.bytes), c.bytes === null);
      cell(tr, bytes(c.incremental_bytes), c.incremental_bytes === null);
      cell(tr, millis(c.duration_ms), c.duration_ms === null);
      cell(tr, micros(c.sync_pause_us), c.sync_pause_us === null);
      body.appendChild(tr);
    });
  }

  function named(object) {
    return Object.keys(object).map(function (k) { return { name: k, values: object[k] }; });
  }

  function draw(s) {
    const badge = document.getElementById('job-status');
    badge.textContent = s.status.replace('_', ' ');
    badge.className = 'badge ' + s.status;
    document.getElementById('restarts').textContent = String(s.restarts);
    document.getElementById('uptime').textContent = Math.round(s.uptime_s) + ' s';
    document.getElementById('updated').textContent = new Date(s.time_ms).toLocaleTimeString();
    const error = document.getElementById('error');
    error.hidden = s.sampler_error === null;
    error.textContent = s.sampler_error === null ? '' : 'sampler: ' + s.sampler_error;
    drawGraph(document.getElementById('graph'), s.operators, s.edges);
    const times = s.series.time_ms;
    lineChart(document.getElementById('chart-rates'), times, named(s.series.rate_in_per_s), count);
    const latency = named(s.series.latency_us).map(function (l) { return { name: 'sinks ' + l.name, values: l.values }; });
    named(s.series.input_latency_p99_us).forEach(function (l) {
      latency.push({ name: 'to ' + l.name + ' p99', values: l.values });
    });
    lineChart(document.getElementById('chart-latency'), times, latency, micros);
    lineChart(document.getElementById('chart-backpressure'), times, named(s.series.backpressure), percent, 1);
    lineChart(document.getElementById('chart-restarts'), times, [{ name: 'restarts', values: s.series.restarts }],
      count, 0, 4);
    drawCheckpoints(s.checkpoints);
    drawState(s.state);
  }

  async function refresh() {
    const headers = token ? { Authorization: 'Bearer ' + token } : {};
    try {
      const res = await fetch('status.json', { headers: headers, cache: 'no-store' });
      if (res.status === 401) {
        document.getElementById('token-form').hidden = false;
        return;
      }
      if (!res.ok) {
        throw new Error('status.json answered ' + res.status);
      }
      draw(await res.json());
      document.getElementById('token-form').hidden = true;
    } catch (e) {
      const badge = document.getElementById('job-status');
      badge.textContent = 'unreachable';
      badge.className = 'badge not_running';
      document.getElementById('error').hidden = false;
      document.getElementById('error').textContent = String(e.message || e);
    } finally {
      setTimeout(refresh, REFRESH_MS);
    }
  }

  document.getElementById('token-form').addEventListener('submit', function (event) {
    event.preventDefault();
    token = document.getElementById('token').value.trim();
    sessionStorage.setItem('tidemark-token', token);
  });
  refresh();
})();
