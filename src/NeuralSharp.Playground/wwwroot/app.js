// NeuralSharp Playground — the page. Training runs in the server; this file only draws snapshots and sends choices.
'use strict';

const FEATURES = ['x1', 'x2', 'x1^2', 'x2^2', 'x1x2', 'sin_x1', 'sin_x2'];
const FEATURE_LABELS = { 'x1': 'x₁', 'x2': 'x₂', 'x1^2': 'x₁²', 'x2^2': 'x₂²', 'x1x2': 'x₁x₂', 'sin_x1': 'sin x₁', 'sin_x2': 'sin x₂' };
const CHOICES = {
  dataset: ['circle', 'xor', 'gauss', 'spiral', 'gauss3', 'spiral4', 'plane', 'course-regression', 'upload'],
  learningRate: [0.00001, 0.0001, 0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1, 3, 10],
  activation: ['relu', 'tanh', 'sigmoid', 'identity', 'step', 'leaky-relu', 'gelu', 'gelu-tanh', 'silu'],
  optimizer: ['sgd', 'momentum', 'adagrad', 'rmsprop', 'adam'],
  init: ['xavier', 'he', 'normal:0.1', 'uniform', 'zeros'],
  regularizationRate: [0, 0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1],
};
const DEFAULTS = {
  dataset: 'circle', noise: 0, trainRatio: 50, features: ['x1', 'x2'], hidden: [4, 2], activation: 'tanh', output: 'course',
  init: 'xavier', learningRate: 0.03, batch: 10, optimizer: 'sgd', regularization: 'none', regularizationRate: 0, seed: 1,
};
const $ = id => document.getElementById(id);
// vertical distance between neurons: a 36-px neuron, its 12-px label below and a gap
const UNIT_STEP = 58;
// class colours: TensorFlow Playground's orange and blue for two classes, then green, purple, red, brown …
const PALETTE = [[245, 147, 34], [8, 119, 189], [44, 160, 44], [148, 103, 189], [214, 39, 40], [140, 86, 75], [227, 119, 194], [127, 127, 127], [188, 189, 34], [23, 190, 207]];
const state = { config: null, id: null, stream: null, snapshot: null, points: null, selected: null, csv: null, formulaAt: 0, autoplay: false };
window.playground = state;

// ---- configuration <-> URL ----
function configFromUrl() {
  const q = new URLSearchParams(location.search);
  const c = structuredClone(DEFAULTS);
  for (const key of Object.keys(DEFAULTS)) {
    if (!q.has(key)) continue;
    const v = q.get(key);
    if (key === 'features') c.features = v.split(',').filter(f => FEATURES.includes(f));
    else if (key === 'hidden') c.hidden = v === '' ? [] : v.split(',').map(Number);
    else if (typeof DEFAULTS[key] === 'number') c[key] = Number(v);
    else c[key] = v;
  }
  if (c.dataset === 'upload') c.dataset = 'circle';
  // ?autoplay=1 starts training as the page opens (not part of the session's configuration)
  state.autoplay = ['1', 'true', 'yes'].includes(q.get('autoplay'));
  return c;
}
function writeUrl() {
  // commas stay readable: ?features=x1,x2&hidden=8,8
  const query = Object.entries(state.config)
    .map(([key, value]) => key + '=' + encodeURIComponent(Array.isArray(value) ? value.join(',') : String(value)).replace(/%2C/g, ','))
    .join('&');
  history.replaceState(null, '', '?' + query + (state.autoplay ? '&autoplay=1' : ''));
}

// ---- server calls ----
async function api(method, path, body) {
  const response = await fetch(path, { method, headers: body ? { 'Content-Type': 'application/json' } : {}, body: body ? JSON.stringify(body) : undefined });
  const json = response.status === 204 ? null : await response.json();
  if (!response.ok) throw new Error(json && json.error ? json.error : response.statusText);
  return json;
}
function showError(message) { $('error').textContent = message || ''; }

async function createSession() {
  const old = state.id;
  const body = { config: state.config, csv: state.config.dataset === 'upload' ? state.csv : null };
  const snapshot = await api('POST', '/api/sessions', body);
  state.id = snapshot.id;
  if (old) api('DELETE', '/api/sessions/' + old).catch(() => {});
  await afterReset(snapshot);
  openStream();
  for (const [id, file] of [['download-model', 'model.nsmodel'], ['download-onnx', 'model.onnx'], ['download-csv', 'data.csv']]) $(id).href = `/api/sessions/${state.id}/${file}`;
  if (state.autoplay) render(await api('POST', `/api/sessions/${state.id}/play`));
}
async function resetSession() {
  try {
    showError('');
    if (!state.id || state.config.dataset === 'upload') return await createSession();
    await afterReset(await api('POST', `/api/sessions/${state.id}/reset`, { config: state.config }));
  } catch (e) { showError(e.message); }
}
async function afterReset(snapshot) {
  writeUrl();
  state.points = await api('GET', `/api/sessions/${state.id}/points`);
  state.selected = null;
  $('formula').textContent = '';
  buildNetworkView();
  render(snapshot);
}
function openStream() {
  if (state.stream) state.stream.close();
  state.stream = new EventSource(`/api/sessions/${state.id}/stream`);
  // receive every frame; draw the newest at most ~15 times a second (drawing costs more than receiving, and the
  // browser often shares the machine with the server that trains)
  state.stream.onmessage = e => {
    state.received = (state.received || 0) + 1;
    state.pending = JSON.parse(e.data);
    if (state.drawScheduled) return;
    state.drawScheduled = true;
    const wait = Math.max(0, 66 - (performance.now() - (state.drawnAt || 0)));
    setTimeout(() => requestAnimationFrame(() => {
      state.drawScheduled = false; state.drawnAt = performance.now(); render(state.pending);
    }), wait);
  };
}

// ---- controls ----
function fillSelect(id, values) { $(id).innerHTML = values.map(v => `<option value="${v}">${v}</option>`).join(''); }
function syncControls() {
  const c = state.config;
  for (const key of ['dataset', 'activation', 'output', 'optimizer', 'init', 'regularization']) $(key).value = c[key];
  $('learningRate').value = String(c.learningRate);
  $('regularizationRate').value = String(c.regularizationRate);
  $('seed').value = c.seed;
  $('noise').value = c.noise; $('noiseValue').textContent = c.noise;
  $('trainRatio').value = c.trainRatio; $('trainRatioValue').textContent = c.trainRatio;
  $('fullBatch').checked = c.batch === 0; $('online').checked = c.batch === -1;
  $('batch').value = c.batch > 0 ? c.batch : 10; $('batch').disabled = c.batch <= 0;
  $('layer-count').textContent = c.hidden.length;
  markThumbnail();
}
function change(mutate) { mutate(state.config); syncControls(); resetSession(); }
function wireControls() {
  for (const [id, values] of Object.entries(CHOICES)) fillSelect(id, values);
  for (const key of ['activation', 'output', 'optimizer', 'init', 'regularization']) $(key).onchange = () => change(c => { c[key] = $(key).value; });
  $('dataset').onchange = () => {
    if ($('dataset').value === 'upload') { $('upload').click(); $('dataset').value = state.config.dataset; return; }
    change(c => { c.dataset = $('dataset').value; });
  };
  $('learningRate').onchange = () => change(c => { c.learningRate = Number($('learningRate').value); });
  $('regularizationRate').onchange = () => change(c => { c.regularizationRate = Number($('regularizationRate').value); });
  $('seed').onchange = () => change(c => { c.seed = Number($('seed').value); });
  $('noise').oninput = () => { $('noiseValue').textContent = $('noise').value; };
  $('noise').onchange = () => change(c => { c.noise = Number($('noise').value); });
  $('trainRatio').oninput = () => { $('trainRatioValue').textContent = $('trainRatio').value; };
  $('trainRatio').onchange = () => change(c => { c.trainRatio = Number($('trainRatio').value); });
  $('batch').onchange = () => change(c => { c.batch = Number($('batch').value); });
  $('fullBatch').onchange = () => change(c => { c.batch = $('fullBatch').checked ? 0 : Number($('batch').value) || 10; });
  $('online').onchange = () => change(c => { c.batch = $('online').checked ? -1 : Number($('batch').value) || 10; });
  $('upload').onchange = async () => {
    const file = $('upload').files[0];
    if (!file) return;
    state.csv = await file.text();
    state.config.dataset = 'upload';
    syncControls();
    try { showError(''); await createSession(); } catch (e) { showError(e.message); state.config.dataset = 'circle'; syncControls(); }
  };
  $('add-layer').onclick = () => { if (state.config.hidden.length < 8) change(c => c.hidden.push(2)); };
  $('remove-layer').onclick = () => { if (state.config.hidden.length > 0) change(c => c.hidden.pop()); };
  $('play').onclick = () => api('POST', `/api/sessions/${state.id}/${state.snapshot && state.snapshot.playing ? 'pause' : 'play'}`).then(render).catch(e => showError(e.message));
  $('step').onclick = () => api('POST', `/api/sessions/${state.id}/step`).then(s => { render(s); refreshFormula(true); }).catch(e => showError(e.message));
  // the speed is the session's, not its configuration: training goes on where it is
  $('speed').onchange = () => api('POST', `/api/sessions/${state.id}/speed`, { epochsPerSecond: Number($('speed').value) }).then(render).catch(e => showError(e.message));
  $('reset').onclick = () => resetSession();
  $('showTest').onchange = () => state.snapshot && drawHeatmap(state.snapshot);
  $('weight-input').onchange = editWeight;
}

// ---- network view ----
function layout() {
  const c = state.config;
  const columns = [c.features.length, ...c.hidden, state.snapshot ? state.snapshot.weights[state.snapshot.weights.length - 1][0].length : 1];
  const net = $('network'); const width = net.clientWidth || 600; const step = width / (columns.length + 0.2);
  return columns.map((count, k) => Array.from({ length: count }, (_, u) => ({ x: 20 + k * step, y: 40 + u * UNIT_STEP })));
}
function buildNetworkView() {
  const net = $('network');
  net.querySelectorAll('.neuron, .neuron-label, .unit-buttons').forEach(e => e.remove());
  $('feature-toggles').innerHTML = '';
  const positions = layout();
  positions.forEach((column, k) => column.forEach((p, u) => {
    const canvas = document.createElement('canvas');
    canvas.width = 16; canvas.height = 16; canvas.className = 'neuron';
    canvas.style.left = p.x + 'px'; canvas.style.top = p.y + 'px';
    canvas.dataset.layer = k; canvas.dataset.unit = u;
    canvas.title = k === 0 ? FEATURE_LABELS[state.config.features[u]] : `layer ${k}, neuron ${u + 1}`;
    if (k > 0) canvas.onclick = () => selectNeuron(k, u);
    net.appendChild(canvas);
    if (k === 0) { const label = document.createElement('span'); label.className = 'neuron-label'; label.textContent = FEATURE_LABELS[state.config.features[u]]; label.style.left = (p.x - 4) + 'px'; label.style.top = (p.y + 39) + 'px'; net.appendChild(label); }
  }));
  // feature toggles and neuron +/- per hidden layer
  // the feature toggles sit above the drawing, in the page's flow: they never cover a neuron or its label
  const features = $('feature-toggles');
  features.innerHTML = FEATURES.map(f => `<label><input type="checkbox" data-feature="${f}" ${state.config.features.includes(f) ? 'checked' : ''}>${FEATURE_LABELS[f]}</label>`).join(' ');
  features.querySelectorAll('input').forEach(box => box.onchange = () => {
    const chosen = FEATURES.filter(f => features.querySelector(`[data-feature="${f}"]`).checked);
    if (chosen.length === 0) { box.checked = true; return; }
    change(c => { c.features = chosen; });
  });
  state.config.hidden.forEach((width, i) => {
    const p = positions[i + 1][0]; const buttons = document.createElement('div'); buttons.className = 'unit-buttons';
    buttons.style.left = p.x + 'px'; buttons.style.top = (p.y - 22 + 10) + 'px';
    buttons.innerHTML = `<button data-d="1">+</button><button data-d="-1">−</button>`;
    buttons.querySelectorAll('button').forEach(b => b.onclick = () => {
      const next = width + Number(b.dataset.d); if (next < 1 || next > 16) return;
      change(c => { c.hidden[i] = next; });
    });
    net.appendChild(buttons);
  });
  net.style.height = Math.max(360, 60 + Math.max(...positions.map(c => c.length)) * UNIT_STEP) + 'px';
}
function drawLinks(snapshot) {
  const svg = $('links');
  const lines = svg.querySelectorAll('line');
  const count = snapshot.weights.reduce((sum, m) => sum + m.length * m[0].length, 0);
  if (lines.length === count && count > 0) {
    // same shape: restyle the existing lines instead of rebuilding them
    lines.forEach(line => {
      const w = snapshot.weights[line.dataset.layer - 1][line.dataset.from][line.dataset.to];
      line.setAttribute('stroke', w >= 0 ? '#2f7fc1' : '#f0883e');
      line.setAttribute('stroke-width', Math.min(0.5 + Math.abs(w) * 2, 8).toFixed(2));
      line.dataset.weight = w;
      line.firstChild.textContent = `w = ${w.toFixed(4)}`;
    });
    return;
  }
  const positions = layout(); const parts = [];
  snapshot.weights.forEach((matrix, k) => matrix.forEach((row, i) => row.forEach((w, j) => {
    const a = positions[k][i], b = positions[k + 1] && positions[k + 1][j];
    if (!a || !b) return;
    const width = Math.min(0.5 + Math.abs(w) * 2, 8).toFixed(2);
    parts.push(`<line x1="${a.x + 37}" y1="${a.y + 18}" x2="${b.x}" y2="${b.y + 18}" stroke="${w >= 0 ? '#2f7fc1' : '#f0883e'}" stroke-width="${width}" data-layer="${k + 1}" data-from="${i}" data-to="${j}" data-weight="${w}"><title>w = ${w.toFixed(4)}</title></line>`);
  })));
  svg.innerHTML = parts.join('');
  svg.querySelectorAll('line').forEach(line => line.onmouseenter = e => openWeightEditor(line, e));
}
function openWeightEditor(line, event) {
  const editor = $('weight-editor');
  if (!editor.hidden && document.activeElement === $('weight-input')) return; // keep the weight being edited
  editor.hidden = false; editor.style.left = (event.clientX + 8) + 'px'; editor.style.top = (event.clientY + 8) + 'px';
  editor.dataset.layer = line.dataset.layer; editor.dataset.from = line.dataset.from; editor.dataset.to = line.dataset.to;
  $('weight-label').textContent = `w(layer ${line.dataset.layer}: ${Number(line.dataset.from) + 1}→${Number(line.dataset.to) + 1}) =`;
  $('weight-input').value = Number(line.dataset.weight).toFixed(4);
}
async function editWeight() {
  const editor = $('weight-editor');
  try {
    render(await api('POST', `/api/sessions/${state.id}/weights`, { layer: Number(editor.dataset.layer), from: Number(editor.dataset.from), to: Number(editor.dataset.to), value: Number($('weight-input').value) }));
    refreshFormula(true);
  } catch (e) { showError(e.message); }
  editor.hidden = true;
}

// ---- drawing ----
function colour(t) {
  // −1 → orange, 0 → white, +1 → blue (TensorFlow Playground's palette)
  return tint(t < 0 ? PALETTE[0] : PALETTE[1], Math.min(Math.abs(t), 1));
}
// white mixed with a colour: a = 0 is white, 1 the colour itself
function tint(rgb, a) { return rgb.map(c => Math.round(255 + (c - 255) * a)); }
// a cell of a softmax over k classes: the winner's colour, as strong as its lead over a uniform guess
function classColour(winner, p, k) { return tint(PALETTE[winner % PALETTE.length], Math.max(0, Math.min(1, (p - 1 / k) / (1 - 1 / k)))); }
const offscreens = {};
function offscreen(size) {
  if (!offscreens[size]) { const c = document.createElement('canvas'); c.width = size; c.height = size; offscreens[size] = c; }
  return offscreens[size];
}
function paintGrid(canvas, base64, size, classBase64, classes) {
  const bytes = Uint8Array.from(atob(base64), ch => ch.charCodeAt(0));
  const winners = classBase64 ? Uint8Array.from(atob(classBase64), ch => ch.charCodeAt(0)) : null;
  const ctx = canvas.getContext('2d'); const image = ctx.createImageData(size, size);
  for (let i = 0; i < bytes.length; i++) {
    const [r, g, b] = winners ? classColour(winners[i], bytes[i] / 255, classes) : colour(bytes[i] / 127.5 - 1);
    image.data.set([r, g, b, 255], i * 4);
  }
  const off = offscreen(size); off.getContext('2d').putImageData(image, 0, 0);
  ctx.imageSmoothingEnabled = canvas.width > size * 2;
  ctx.clearRect(0, 0, canvas.width, canvas.height); ctx.drawImage(off, 0, 0, canvas.width, canvas.height);
}
function drawHeatmap(snapshot) {
  const canvas = $('heatmap'); paintGrid(canvas, snapshot.grid, snapshot.gridSize, snapshot.classGrid, (snapshot.classes || []).length);
  if (!state.points) return;
  const ctx = canvas.getContext('2d'); const [x0, x1, y0, y1] = snapshot.bounds; const p = state.points;
  const showTest = $('showTest').checked;
  for (let i = 0; i < p.targets.length; i++) {
    const test = i >= p.trainCount; if (test && !showTest) continue;
    const x = (p.points[2 * i] - x0) / (x1 - x0) * canvas.width, y = (y1 - p.points[2 * i + 1]) / (y1 - y0) * canvas.height;
    // a point keeps its class's full colour over the heat map, ringed dark (training), or white inside a dark ring (test)
    const [r, g, b] = p.classes > 0 ? PALETTE[p.targets[i] % PALETTE.length] : colour(p.targets[i] / 3);
    ctx.beginPath(); ctx.arc(x, y, 3.5, 0, 2 * Math.PI); ctx.fillStyle = `rgb(${r},${g},${b})`; ctx.fill();
    ctx.lineWidth = test ? 1.5 : 1.2; ctx.strokeStyle = test ? '#fff' : '#222'; ctx.stroke();
    if (test) { ctx.beginPath(); ctx.arc(x, y, 5, 0, 2 * Math.PI); ctx.lineWidth = 1; ctx.strokeStyle = '#222'; ctx.stroke(); }
  }
}
function drawLegend(snapshot) {
  const legend = $('legend');
  const key = JSON.stringify([snapshot.problem, snapshot.classes, state.config.output]);
  if (legend.dataset.key === key) return;
  legend.dataset.key = key;
  if (snapshot.problem === 'classification') {
    const names = snapshot.classes || ['-1', '1'];
    legend.innerHTML = names.map((name, c) => `<span class="swatch" style="background: rgb(${PALETTE[c % PALETTE.length].join(',')})"></span>${escapeHtml(name)}`).join(' ') +
      ' <span class="legend-note">background: the network\'s answer, paler where it is less sure</span>';
  } else {
    const stops = [-1, -0.5, 0, 0.5, 1].map(t => `rgb(${colour(t).join(',')})`).join(',');
    legend.innerHTML = `<span class="legend-value">−3</span><span class="gradient" style="background: linear-gradient(to right, ${stops})"></span><span class="legend-value">+3</span> <span class="legend-note">output value</span>`;
  }
}
function escapeHtml(text) { return String(text).replace(/[&<>"']/g, ch => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[ch]); }
function drawLossCurve(snapshot) {
  // axes with their values: loss from 0 to the largest seen (left), epochs from 0 to the last (bottom)
  const canvas = $('loss-curve'); const ctx = canvas.getContext('2d'); const h = snapshot.history;
  const left = 44, bottom = canvas.height - 18, top = 8, right = canvas.width - 8;
  ctx.clearRect(0, 0, canvas.width, canvas.height);
  const all = h.train.concat(h.test).filter(Number.isFinite); const max = Math.max(...all, 1e-9);
  const last = Math.max(h.epoch[h.epoch.length - 1] || 0, 1);
  ctx.strokeStyle = '#888'; ctx.lineWidth = 1; ctx.beginPath(); ctx.moveTo(left, top); ctx.lineTo(left, bottom); ctx.lineTo(right, bottom); ctx.stroke();
  ctx.fillStyle = '#444'; ctx.font = '10px system-ui, sans-serif';
  ctx.textAlign = 'right'; ctx.textBaseline = 'middle';
  ctx.fillText(fmt(max), left - 4, top); ctx.fillText(fmt(max / 2), left - 4, (top + bottom) / 2); ctx.fillText('0', left - 4, bottom);
  ctx.textAlign = 'center'; ctx.textBaseline = 'top';
  ctx.fillText('0', left, bottom + 3); ctx.fillText(`epoch ${last}`, right - 24, bottom + 3);
  for (const [series, stroke] of [[h.train, '#999'], [h.test, '#000']]) {
    ctx.beginPath(); ctx.strokeStyle = stroke; ctx.lineWidth = 1.5;
    series.forEach((v, i) => {
      const x = left + h.epoch[i] / last * (right - left), y = bottom - (Number.isFinite(v) ? v : max) / max * (bottom - top);
      i ? ctx.lineTo(x, y) : ctx.moveTo(x, y);
    });
    ctx.stroke();
  }
  ctx.textAlign = 'right'; ctx.fillStyle = '#999'; ctx.fillText('— train', right, top); ctx.fillStyle = '#000'; ctx.fillText('— test', right - 48, top); ctx.fillText('loss', right - 92, top);
}
// a number in four significant digits, or in scientific notation when it is very small or large: gradients of 1e-6
// read as themselves, not as 0.0000, and −0 reads 0
function fmt(v) {
  v = Number(v);
  if (!Number.isFinite(v)) return String(v);
  if (v === 0) return '0';
  const a = Math.abs(v);
  return a >= 1e-3 && a < 1e5 ? String(Number(v.toPrecision(4))) : v.toExponential(3);
}
function drawNeurons(snapshot) {
  document.querySelectorAll('.neuron').forEach(canvas => {
    const k = Number(canvas.dataset.layer), u = Number(canvas.dataset.unit);
    if (k > 0 && k <= snapshot.neurons.length && snapshot.neurons[k - 1][u]) paintGrid(canvas, snapshot.neurons[k - 1][u], snapshot.neuronGridSize);
    else if (k === snapshot.neurons.length + 1) paintGrid(canvas, snapshot.grid, snapshot.gridSize, snapshot.classGrid, (snapshot.classes || []).length);
    else if (k === 0) paintFeature(canvas, state.config.features[u], snapshot.bounds);
  });
}
function paintFeature(canvas, feature, [x0, x1, y0, y1]) {
  const ctx = canvas.getContext('2d'); const n = 16; const image = ctx.createImageData(n, n);
  for (let r = 0; r < n; r++) for (let c = 0; c < n; c++) {
    const x = x0 + (c + 0.5) * (x1 - x0) / n, y = y1 - (r + 0.5) * (y1 - y0) / n;
    const v = { 'x1': x / 6, 'x2': y / 6, 'x1^2': x * x / 18 - 1, 'x2^2': y * y / 18 - 1, 'x1x2': x * y / 18, 'sin_x1': Math.sin(x), 'sin_x2': Math.sin(y) }[feature];
    image.data.set([...colour(v), 255], (r * n + c) * 4);
  }
  ctx.putImageData(image, 0, 0);
}
function render(snapshot) {
  if (!snapshot || (state.snapshot && snapshot.id === state.snapshot.id && snapshot.version < state.snapshot.version)) return;
  const rebuilt = !state.snapshot || state.snapshot.weights.length !== snapshot.weights.length;
  state.snapshot = snapshot;
  if (rebuilt) buildNetworkView();
  $('epoch').textContent = snapshot.epoch;
  // a diverged session's losses arrive as "Infinity" or "NaN": Number() reads both
  $('trainLoss').textContent = fmt(snapshot.trainLoss);
  $('testLoss').textContent = fmt(snapshot.testLoss);
  $('testAccuracy').textContent = snapshot.testAccuracy == null ? '–' : (100 * snapshot.testAccuracy).toFixed(1) + '%';
  $('play').textContent = snapshot.playing ? 'Pause' : 'Play';
  $('speed').value = String(snapshot.epochsPerSecond ?? 0);
  if (snapshot.error) showError(snapshot.error);
  drawLinks(snapshot); drawNeurons(snapshot); drawHeatmap(snapshot); drawLegend(snapshot); drawLossCurve(snapshot);
  refreshFormula(false);
}

// ---- formula panel: the course's trace for one neuron, live ----
function selectNeuron(layer, unit) {
  state.selected = { layer, unit };
  document.querySelectorAll('.neuron').forEach(n => n.classList.toggle('selected', Number(n.dataset.layer) === layer && Number(n.dataset.unit) === unit));
  refreshFormula(true);
}
async function refreshFormula(now) {
  if (!state.selected || (!now && Date.now() - state.formulaAt < 500)) return;
  state.formulaAt = Date.now();
  try {
    const f = await api('GET', `/api/sessions/${state.id}/neuron?layer=${state.selected.layer}&unit=${state.selected.unit}&sample=0`);
    const n = fmt;
    const terms = f.weights.map((w, i) => `(${n(w)})(${n(f.inputs[i])})`).join(' + ');
    $('formula').textContent =
      `layer ${f.layer}, neuron ${f.unit + 1}, training point (${n(f.point[0])}, ${n(f.point[1])})\n\n` +
      `u = Σ w·x + b\n  = ${terms} + (${n(f.bias)})\n  = ${n(f.u)}\n` +
      `z = ${f.activation.toLowerCase()}(u) = ${n(f.z)}\n\n` +
      `backward (this point's loss E = ${n(f.loss)}):\n` +
      `δ = ∂E/∂u = ${n(f.delta)}\n` +
      f.weightGradients.map((g, i) => `∂E/∂w${i + 1} = x${i + 1}·δ = ${n(g)}`).join('\n') + `\n∂E/∂b = δ = ${n(f.biasGradient)}`;
    $('formula').dataset.u = f.u;
  } catch (e) { showError(e.message); }
}

// ---- dataset thumbnails: each generated set drawn small, a click chooses it ----
async function drawThumbnails() {
  const sets = await api('GET', '/api/datasets');
  const box = $('thumbnails');
  box.innerHTML = '';
  for (const set of sets) {
    const canvas = document.createElement('canvas'); canvas.width = 44; canvas.height = 44; canvas.className = 'thumbnail';
    canvas.title = set.name; canvas.dataset.dataset = set.name;
    const ctx = canvas.getContext('2d'); ctx.fillStyle = '#fff'; ctx.fillRect(0, 0, 44, 44);
    for (let i = 0; i < set.targets.length; i++) {
      const x = (set.points[2 * i] + 6) / 12 * 44, y = (6 - set.points[2 * i + 1]) / 12 * 44;
      const [r, g, b] = set.classes > 0 ? PALETTE[set.targets[i] % PALETTE.length] : colour(set.targets[i] / 3);
      ctx.fillStyle = `rgb(${r},${g},${b})`; ctx.fillRect(x - 1, y - 1, 2.5, 2.5);
    }
    canvas.onclick = () => change(c => { c.dataset = set.name; });
    box.appendChild(canvas);
  }
  markThumbnail();
}
function markThumbnail() { document.querySelectorAll('.thumbnail').forEach(t => t.classList.toggle('chosen', t.dataset.dataset === state.config.dataset)); }

// ---- start ----
state.config = configFromUrl();
wireControls();
syncControls();
drawThumbnails().catch(e => showError(e.message));
createSession().catch(e => showError(e.message));
