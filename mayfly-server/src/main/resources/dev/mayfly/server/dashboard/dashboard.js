// Mayfly's dashboard: a page kept open while agents run for hours. Plain JavaScript, no build step:
// it calls the server's own API (docs/server.md) with the session cookie the login set.
'use strict';

const REFRESH_MS = 2000;
const ENDED = new Set(['completed', 'failed', 'cancelled']);
/** Events drawn on the memory chart as marks: warnings, rotations, the cap breached, retries. */
const MARKS = {
  memory_warning: '#d97706', resident_memory_warning: '#d97706', rotated: '#2563eb',
  memory_exceeded: '#dc2626', retry_scheduled: '#6b7280',
};

// ---- small helpers -------------------------------------------------------------------------

/** An element with attributes and children; text is always set as text, never parsed as HTML. */
function el(tag, attributes, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes || {})) {
    if (value === null || value === undefined || value === false) continue;
    if (name.startsWith('on')) node.addEventListener(name.substring(2), value);
    else node.setAttribute(name, value === true ? '' : value);
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

async function api(path, options) {
  const init = Object.assign({credentials: 'same-origin', headers: {}}, options || {});
  if (init.method && init.method !== 'GET') init.headers['X-Mayfly'] = '1';
  const response = await fetch(path, init);
  if (response.status === 401) {
    location.href = '/';
    throw new Error('logged out');
  }
  const body = await response.json();
  if (!response.ok) throw new Error(body.error || response.statusText);
  return body;
}

function megabytes(value) {
  if (value === null || value === undefined) return '–';
  return value >= 1024 ? (value / 1024).toFixed(1) + ' GB' : Math.round(value) + ' MB';
}

function duration(ms) {
  if (ms === null || ms === undefined) return '–';
  const seconds = Math.round(ms / 1000);
  if (seconds < 60) return seconds + ' s';
  if (seconds < 3600) return Math.floor(seconds / 60) + ' min ' + (seconds % 60) + ' s';
  return Math.floor(seconds / 3600) + ' h ' + Math.floor((seconds % 3600) / 60) + ' min';
}

function percent(share) {
  return share === null || share === undefined ? '–' : (share * 100).toFixed(share < 0.1 ? 1 : 0) + ' %';
}

function time(text) {
  return text ? new Date(text).toLocaleTimeString() : '–';
}

/** How long a task has taken: its execution time once ended, else the time since it started (or was queued). */
function elapsed(task) {
  if (ENDED.has(task.state)) return duration(task.executionTimeMs);
  const since = task.startedAt || task.createdAt;
  return since ? duration(Date.now() - new Date(since).getTime()) + (task.startedAt ? '' : ' waiting') : '–';
}

/** The state coloured; shown as the reason of a failure, or as given (a state marked "(supervisor gone)"). */
function badge(state, reason, shown) {
  return el('span', {class: 'badge ' + state}, shown || (reason && state === 'failed' ? 'failed: ' + reason : state));
}

/** Memory against the cap as a bar: what it holds now while it runs, its peak once ended. */
function memoryBar(task) {
  const cap = task.memoryCapMb;
  const value = task.state === 'running' ? task.memoryNowMb : (task.residentPeakMb ?? task.memoryPeakMb);
  if (cap === null || cap === undefined) {
    return el('span', {class: 'muted', title: 'an in-process Java agent shares the supervisor\'s heap'}, 'n/a');
  }
  const share = value ? Math.min(1, value / cap) : 0;
  const level = share > 0.95 ? 'danger' : share > 0.8 ? 'warn' : 'ok';
  return el('span', {class: 'memory', title: (task.state === 'running' ? 'now ' : 'peak ') + megabytes(value) + ' of its '
      + megabytes(cap) + ' cap'},
    el('span', {class: 'bar'}, el('span', {class: level, style: 'width:' + (share * 100).toFixed(1) + '%'})),
    el('span', {class: 'memory-text'}, megabytes(value) + ' / ' + megabytes(cap)));
}

/**
 * Reads a Server-Sent Events stream with fetch (EventSource cannot carry every event type to one
 * handler): calls onEvent(type, data, id) for each, until the stream ends or the signal aborts it.
 */
async function followEvents(path, signal, onEvent) {
  const response = await fetch(path, {credentials: 'same-origin', signal});
  if (!response.ok) throw new Error('the event stream answered ' + response.status);
  const reader = response.body.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  for (;;) {
    const {value, done} = await reader.read();
    if (done) return;
    buffer += decoder.decode(value, {stream: true});
    let end;
    while ((end = buffer.indexOf('\n\n')) >= 0) {
      const frame = buffer.substring(0, end);
      buffer = buffer.substring(end + 2);
      let type = 'message', id = null;
      const data = [];
      for (const line of frame.split('\n')) {
        if (line.startsWith('event: ')) type = line.substring(7);
        else if (line.startsWith('id: ')) id = line.substring(4);
        else if (line.startsWith('data: ')) data.push(line.substring(6));
      }
      if (data.length) onEvent(type, JSON.parse(data.join('\n')), id);
    }
  }
}

// ---- the header: pool and host memory, on every page ------------------------------------------

let telemetry = null;

async function refreshHeader() {
  telemetry = await api('/api/v1/telemetry');
  const pool = telemetry.pool;
  document.getElementById('pool').textContent = 'pool ' + pool.active + ' / ' + pool.size + ' workers · '
      + pool.queued + ' queued';
  const host = telemetry.host;
  const used = host.usableMb - host.availableMb;
  const bar = document.getElementById('host-bar');
  bar.style.width = (100 * used / host.usableMb).toFixed(1) + '%';
  bar.className = host.availableMb < host.usableMb * 0.1 ? 'danger' : host.availableMb < host.usableMb * 0.25 ? 'warn' : 'ok';
  document.getElementById('host-text').textContent = megabytes(host.availableMb) + ' free of ' + megabytes(host.usableMb);
  document.getElementById('updated').textContent = 'updated ' + new Date().toLocaleTimeString();
}

// ---- the task list ---------------------------------------------------------------------------

function telemetryCards() {
  const t = telemetry;
  const card = (title, value, note, id) => el('div', {class: 'card figure', id}, el('div', {class: 'figure-title'}, title),
      el('div', {class: 'figure-value'}, value), el('div', {class: 'figure-note'}, note));
  const worker = t.modes.worker, inProcess = t.modes['in-process'];
  return el('section', {class: 'figures', id: 'telemetry'},
    card('Tasks', String(t.tasks.queued + t.tasks.running) + ' active',
        t.tasks.running + ' running · ' + t.tasks.queued + ' queued · ' + t.endings.ended + ' ended', 'figure-tasks'),
    card('Worker / in-process', worker.tasks + ' / ' + inProcess.tasks, 'tasks in each mode', 'figure-modes'),
    card('Average time', duration(worker.averageMs) + ' / ' + duration(inProcess.averageMs), 'worker / in-process, ended tasks',
        'figure-average'),
    card('Crashes · out of memory', percent(t.endings.crashRate) + ' · ' + percent(t.endings.outOfMemoryRate),
        (t.endings.byEnding.crashed || 0) + ' crashed · ' + (t.endings.byEnding.out_of_memory || 0) + ' OOM of '
        + t.endings.ended + ' ended', 'figure-failures'),
    card('Spawn success', percent(t.pool.spawnSuccessRate), t.pool.connected + ' of ' + t.pool.spawned
        + ' workers started and connected', 'figure-spawn'),
    card('Ready workers', String(t.pool.ready), percent(t.pool.readyRate) + ' of ' + (t.pool.foundReady + t.pool.startedCold)
        + ' tasks found one ready', 'figure-ready'),
    card('Supervisor', megabytes(t.supervisor.residentMb), 'resident · heap ' + megabytes(t.supervisor.heapUsedMb)
        + ' of ' + megabytes(t.supervisor.heapMaxMb), 'figure-supervisor'));
}

function listView(view) {
  let state = sessionStorage.getItem('mayfly-state') || '';
  const figures = el('div');
  const rows = el('tbody', {id: 'tasks'});
  const filter = el('select', {id: 'state-filter', onchange: () => {
    state = filter.value;
    sessionStorage.setItem('mayfly-state', state);
    refresh();
  }}, ['', 'queued', 'running', 'completed', 'failed', 'cancelled'].map(s => el('option', {value: s, selected: s === state},
      s || 'all states')));
  const groups = el('div');
  view.append(figures, el('section', {class: 'card'},
    el('div', {class: 'section-head'}, el('h2', {}, 'Tasks'), filter),
    el('table', {class: 'tasks'},
      el('thead', {}, el('tr', {}, ['Task', 'State', 'Mode', 'Agent', 'Elapsed', 'Memory', 'Prompt']
          .map(name => el('th', {}, name)))),
      rows)), groups);

  async function refresh() {
    await refreshHeader();
    figures.replaceChildren(telemetryCards());
    const page = await api('/api/v1/tasks?limit=100' + (state ? '&state=' + state : ''));
    rows.replaceChildren(...page.tasks.map(task => el('tr', {'data-task': task.taskId, 'data-state': task.state},
      el('td', {}, el('a', {href: '#/tasks/' + task.taskId}, task.taskId)),
      el('td', {}, badge(task.state, task.reason)),
      el('td', {}, task.mode),
      el('td', {class: 'agent', title: task.agent}, task.agent),
      el('td', {class: 'number'}, elapsed(task)),
      el('td', {}, memoryBar(task)),
      el('td', {class: 'prompt', title: task.prompt}, task.prompt))));
    if (!page.tasks.length) rows.append(el('tr', {}, el('td', {colspan: 7, class: 'muted'}, 'No tasks' + (state ? ' ' + state : '')
        + ' yet: mayfly run, or POST /api/v1/tasks.')));
    const [runs, batches, nodes] = await Promise.all([api('/api/v1/runs?limit=10'), api('/api/v1/batches?limit=10'),
      api('/api/v1/nodes')]);
    groups.replaceChildren(...groupTables(runs.runs, batches.batches), nodesTable(nodes.nodes));
  }
  return repeat(refresh);
}

/** The recent workflow runs and batches below the tasks, each table only when there is one. */
function groupTables(runs, batches) {
  const table = (id, title, names, items, row) => el('section', {class: 'card'}, el('h2', {}, title),
    el('table', {id}, el('thead', {}, el('tr', {}, names.map(name => el('th', {}, name)))), el('tbody', {}, ...items.map(row))));
  const tables = [];
  if (runs.length) {
    tables.push(table('runs', 'Workflow runs', ['Run', 'State', 'Workflow', 'Steps done', 'Created', 'Prompt'], runs,
      run => el('tr', {'data-run': run.runId, 'data-state': run.status},
        el('td', {}, el('a', {href: '#/runs/' + run.runId}, run.runId)), el('td', {}, badge(run.status, null, run.stateShown)),
        el('td', {}, run.workflow), el('td', {class: 'number'}, run.stepsCompleted + ' / ' + run.steps),
        el('td', {}, time(run.createdAt)), el('td', {class: 'prompt', title: run.prompt}, run.prompt))));
  }
  if (batches.length) {
    tables.push(table('batches', 'Batches', ['Batch', 'State', 'Lines done', 'Created', 'From'], batches,
      batch => el('tr', {'data-batch': batch.batchId, 'data-state': batch.state},
        el('td', {}, batch.batchId), el('td', {}, badge(batch.state, null, batch.stateShown)),
        el('td', {class: 'number'}, batch.linesCompleted + ' / ' + batch.lines), el('td', {}, time(batch.createdAt)),
        el('td', {class: 'prompt', title: batch.source}, batch.source))));
  }
  return tables;
}

/**
 * Every supervisor sharing the store, on any machine: its host, its pool and memory as it kept them
 * with its last heartbeat, the tasks it runs, and how long ago it beat.
 */
function nodesTable(nodes) {
  return el('section', {class: 'card'}, el('h2', {}, 'Nodes'),
    el('table', {id: 'nodes'},
      el('thead', {}, el('tr', {}, ['Supervisor', 'Host', 'Workers', 'Queued', 'Running tasks', 'Resident', 'Last beat']
          .map(name => el('th', {}, name)))),
      el('tbody', {}, ...nodes.map(node => {
        const f = node.figures || {}, pool = f.pool || {};
        return el('tr', {'data-node': node.supervisorId, 'data-alive': String(node.alive)},
          el('td', {}, node.supervisorId), el('td', {}, node.host),
          el('td', {class: 'number'}, f.pool ? pool.active + ' / ' + pool.size : '–'),
          el('td', {class: 'number'}, f.pool ? String(pool.queued) : '–'),
          el('td', {class: 'number'}, String(node.runningTasks)),
          el('td', {class: 'number'}, f.residentMb == null ? '–' : megabytes(f.residentMb)),
          el('td', {}, node.alive ? time(node.heartbeatAt) : badge('failed', null, 'gone: ' + time(node.heartbeatAt))));
      }))));
}

/** Runs refresh now and every REFRESH_MS until the view is left; returns how to stop it. */
function repeat(refresh) {
  let stopped = false, timer = null;
  const tick = async () => {
    try {
      await refresh();
    } catch (error) {
      showProblem(error);
    }
    if (!stopped) timer = setTimeout(tick, REFRESH_MS);
  };
  tick();
  return () => {
    stopped = true;
    clearTimeout(timer);
  };
}

function showProblem(error) {
  document.getElementById('updated').textContent = 'not updated: ' + error.message;
}

// ---- one task --------------------------------------------------------------------------------

function taskView(view, taskId) {
  const abort = new AbortController();
  const header = el('div', {class: 'task-head'});
  const facts = el('dl', {class: 'facts'});
  const chartBox = el('div', {id: 'memory-chart', 'data-points': '0'});
  const events = el('ol', {id: 'events', class: 'events'});
  const log = el('pre', {id: 'log', class: 'log'});
  const attempts = el('tbody');
  view.append(el('section', {class: 'card'}, header, facts),
    el('section', {class: 'card'}, el('h2', {}, 'Memory'), el('p', {class: 'muted legend'},
        'The process tree\'s memory (all its processes, whatever language), the worker\'s heap, and the cap. '
        + 'Marks: amber a warning, blue a rotation, red the cap breached, grey a retry.'), chartBox),
    el('div', {class: 'columns'},
      el('section', {class: 'card'}, el('h2', {}, 'Events'), events),
      el('section', {class: 'card'}, el('h2', {}, 'Log'), log)),
    el('section', {class: 'card'}, el('h2', {}, 'Attempts'), el('table', {},
      el('thead', {}, el('tr', {}, ['#', 'Kind', 'Pid', 'Heap cap', 'Tree cap', 'Started', 'Ended', 'Outcome', 'Peak tree',
          'Error'].map(name => el('th', {}, name)))), attempts)));

  const capNote = el('p', {id: 'cap-note', class: 'muted legend'});
  chartBox.after(capNote);
  const chart = new MemoryChart(chartBox, capNote);
  const memoryCell = el('dd', {id: 'memory-now'});
  let task = null;
  let memoryNowMb = null;

  async function showTask() {
    task = await api('/api/v1/tasks/' + taskId);
    const cancel = ENDED.has(task.state) ? null : el('button', {id: 'cancel', class: 'danger', onclick: cancelTask}, 'Cancel');
    header.replaceChildren(...[el('h1', {}, 'Task ', el('code', {}, task.taskId), ' ', badge(task.state, task.reason)), cancel]
        .filter(Boolean));
    const fact = (name, value) => [el('dt', {}, name), el('dd', {}, value ?? '–')];
    facts.replaceChildren(...[
      fact('Prompt', task.prompt), fact('Agent', task.agent), fact('Mode', task.mode + ' — ' + task.routingReason),
      fact('Elapsed', elapsed(task)), [el('dt', {}, 'Memory'), memoryCell], fact('Attempts', task.attempts),
      fact('Exit code', task.exitCode), fact('Error', task.error), fact('Run', task.run
          ? el('a', {href: '#/runs/' + task.run.runId}, task.run.runId + ' (step ' + task.run.step + ')') : null),
      fact('Folder', task.folder)].flat());
    showMemory();
    chart.cap(task.memoryCapMb);
    attempts.replaceChildren(...task.attemptHistory.map(a => el('tr', {},
      [a.attempt, a.kind, a.pid, megabytes(a.heapMb), megabytes(a.memoryCapMb), time(a.startedAt), time(a.endedAt), a.outcome,
        megabytes(a.residentPeakMb), a.error].map(value => el('td', {}, value ?? '–')))));
  }

  /** What the tree holds now while it runs (from the last sample the stream brought), its peak once ended. */
  function showMemory() {
    memoryCell.replaceChildren(memoryBar(Object.assign({}, task, {memoryNowMb})));
  }

  async function cancelTask() {
    if (!confirm('Cancel task ' + taskId + '? Its whole process tree is stopped.')) return;
    try {
      await api('/api/v1/tasks/' + taskId + '/cancel', {method: 'POST'});
      document.getElementById('cancel').disabled = true;
    } catch (error) {
      alert('Not cancelled: ' + error.message);
    }
  }

  showTask().then(() => followEvents('/api/v1/tasks/' + taskId + '/events', abort.signal, (type, data) => {
    if (type === 'memory') {
      chart.add(data);
      memoryNowMb = data.residentMb ?? (data.heapUsed >= 0 ? data.heapUsed : null);
      if (task) showMemory();
    } else if (type === 'log') {
      const atEnd = log.scrollTop + log.clientHeight >= log.scrollHeight - 4;
      log.append(data.line + '\n');
      if (atEnd) log.scrollTop = log.scrollHeight;
    } else if (type === 'end') {
      showTask();
    } else {
      events.append(el('li', {'data-type': type}, el('span', {class: 'muted'}, time(data.at)), ' ',
          el('strong', {}, type), ' ', el('span', {class: 'event-data'}, data.data ? JSON.stringify(data.data) : '')));
      if (MARKS[type]) chart.mark(new Date(data.at).getTime() / 1000, MARKS[type]);
      showTask();
    }
  })).catch(error => {
    if (error.name !== 'AbortError') showProblem(error);
  });
  const stopHeader = repeat(refreshHeader);
  return () => {
    abort.abort();
    stopHeader();
    chart.destroy();
  };
}

/** The task's memory over time (uPlot): its process tree, its worker's heap, its cap, and marks. */
class MemoryChart {
  constructor(box, note) {
    this.box = box;
    this.note = note;
    this.data = [[], [], [], []];
    this.marks = [];
    this.capMb = null;
    const marks = this.marks;
    this.plot = new uPlot({
      width: Math.max(320, box.clientWidth), height: 260,
      // The cap is drawn when it is within reach of what the task holds; far above, the chart keeps to
      // the task's own memory and says where the cap is.
      scales: {x: {time: true}, y: {range: () => [0, this.top()]}},
      series: [{},
        {label: 'process tree', stroke: '#2563eb', width: 2, value: (u, v) => megabytes(v)},
        {label: 'heap', stroke: '#16a34a', width: 2, value: (u, v) => megabytes(v)},
        {label: 'cap', stroke: '#dc2626', width: 1, dash: [6, 4], value: (u, v) => megabytes(v)}],
      axes: [{}, {label: 'MB', values: (u, ticks) => ticks.map(v => Math.round(v))}],
      hooks: {draw: [u => {
        const context = u.ctx;
        for (const mark of marks) {
          const x = u.valToPos(mark.at, 'x', true);
          context.save();
          context.strokeStyle = mark.color;
          context.lineWidth = 2;
          context.beginPath();
          context.moveTo(x, u.bbox.top);
          context.lineTo(x, u.bbox.top + u.bbox.height);
          context.stroke();
          context.restore();
        }
      }]},
    }, this.data, box);
    this.resize = () => this.plot.setSize({width: Math.max(320, box.clientWidth), height: 260});
    window.addEventListener('resize', this.resize);
  }

  cap(capMb) {
    this.capMb = capMb;
  }

  /** The chart's top: a little above the peak so far, and above the cap when the cap is under three times the peak. */
  top() {
    const values = this.data[1].concat(this.data[2]).filter(value => value !== null);
    const peak = Math.max(1, ...values);
    const capShown = this.capMb !== null && this.capMb <= 3 * peak;
    this.note.textContent = this.capMb === null ? "No cap: an in-process Java agent shares the supervisor's memory."
        : capShown ? '' : 'Its cap, ' + megabytes(this.capMb) + ', is above the chart: the task holds under a third of it.';
    return (capShown ? Math.max(peak, this.capMb) : peak) * 1.15;
  }

  add(sample) {
    const heap = sample.heapUsed >= 0 ? sample.heapUsed : null;
    this.data[0].push(new Date(sample.at).getTime() / 1000);
    this.data[1].push(sample.residentMb ?? null);
    this.data[2].push(heap);
    this.data[3].push(this.capMb);
    this.plot.setData(this.data);
    this.box.dataset.points = String(this.data[0].length);
  }

  mark(at, color) {
    this.marks.push({at, color});
    this.plot.redraw();
  }

  destroy() {
    window.removeEventListener('resize', this.resize);
    this.plot.destroy();
  }
}

// ---- one workflow run ------------------------------------------------------------------------

function runView(view, runId) {
  const head = el('div');
  const graph = el('div', {id: 'run-graph', class: 'graph'});
  const steps = el('tbody');
  view.append(el('section', {class: 'card'}, head, graph),
    el('section', {class: 'card'}, el('h2', {}, 'Steps'), el('table', {},
      el('thead', {}, el('tr', {}, ['Step', 'State', 'Attempt', 'Task', 'Error'].map(name => el('th', {}, name)))), steps)));
  async function refresh() {
    await refreshHeader();
    const run = await api('/api/v1/runs/' + runId);
    head.replaceChildren(el('h1', {}, 'Run ', el('code', {}, run.runId), ' ', badge(run.status)),
      el('p', {}, 'Workflow ', el('strong', {}, run.workflow), ' · ', run.prompt));
    graph.replaceChildren(drawGraph(run));
    steps.replaceChildren(...run.steps.map(step => el('tr', {},
      el('td', {}, step.id), el('td', {}, badge(step.status)), el('td', {}, step.attempt ?? '–'),
      el('td', {}, step.taskId ? el('a', {href: '#/tasks/' + step.taskId}, step.taskId) : '–'), el('td', {}, step.error ?? ''))));
  }
  return repeat(refresh);
}

/** The run's steps as a graph: a column per depth (the longest chain of needs before a step), arrows from needs. */
function drawGraph(run) {
  const state = Object.fromEntries(run.steps.map(step => [step.id, step.status]));
  const needs = Object.fromEntries(run.graph.map(node => [node.id, node.needs]));
  const depth = {};
  const depthOf = id => depth[id] ?? (depth[id] = needs[id].length ? 1 + Math.max(...needs[id].map(depthOf)) : 0);
  run.graph.forEach(node => depthOf(node.id));
  const columns = [];
  run.graph.forEach(node => (columns[depth[node.id]] = columns[depth[node.id]] || []).push(node.id));
  // Room above the first row for the arcs of needs that skip a column.
  const W = 160, H = 44, GAP_X = 60, GAP_Y = 18, TOP = 40;
  const position = {};
  columns.forEach((column, x) => column.forEach((id, y) => position[id] = {x: 10 + x * (W + GAP_X), y: TOP + y * (H + GAP_Y)}));
  const width = 20 + columns.length * (W + GAP_X) - GAP_X;
  const height = TOP + 10 + Math.max(...columns.map(column => column.length)) * (H + GAP_Y) - GAP_Y;
  const ns = 'http://www.w3.org/2000/svg';
  const svg = document.createElementNS(ns, 'svg');
  svg.setAttribute('viewBox', '0 0 ' + width + ' ' + height);
  svg.setAttribute('width', width);
  svg.setAttribute('height', height);
  const add = (tag, attributes, parent) => {
    const node = document.createElementNS(ns, tag);
    Object.entries(attributes).forEach(([name, value]) => node.setAttribute(name, value));
    (parent || svg).append(node);
    return node;
  };
  const arrow = add('marker', {id: 'arrow', viewBox: '0 0 10 10', refX: 9, refY: 5, markerWidth: 7, markerHeight: 7,
      orient: 'auto-start-reverse'}, add('defs', {}));
  add('path', {d: 'M 0 0 L 10 5 L 0 10 z', class: 'arrow'}, arrow);
  for (const node of run.graph) {
    for (const need of node.needs) {
      const from = position[need], to = position[node.id];
      const x1 = from.x + W, y1 = from.y + H / 2, x2 = to.x, y2 = to.y + H / 2;
      const skipped = depth[node.id] - depth[need] - 1;
      // A need that skips columns arcs over them, so it never hides behind a step in between.
      const lift = skipped > 0 ? Math.min(y1, y2) - H / 2 - 8 * skipped - 12 : null;
      const d = lift === null ? 'M ' + x1 + ' ' + y1 + ' C ' + (x1 + GAP_X / 2) + ' ' + y1 + ', ' + (x2 - GAP_X / 2) + ' ' + y2
          + ', ' + x2 + ' ' + y2
          : 'M ' + (from.x + W / 2) + ' ' + from.y + ' C ' + (from.x + W / 2) + ' ' + lift + ', ' + (to.x + W / 2) + ' ' + lift
          + ', ' + (to.x + W / 2) + ' ' + to.y;
      add('path', {d, class: 'edge', 'marker-end': 'url(#arrow)', 'data-from': need, 'data-to': node.id});
    }
  }
  for (const node of run.graph) {
    const at = position[node.id];
    const group = add('g', {class: 'step ' + (state[node.id] || 'pending'), 'data-step': node.id});
    const rect = document.createElementNS(ns, 'rect');
    Object.entries({x: at.x, y: at.y, width: W, height: H, rx: 6}).forEach(([n, v]) => rect.setAttribute(n, v));
    const label = document.createElementNS(ns, 'text');
    Object.entries({x: at.x + W / 2, y: at.y + 18, 'text-anchor': 'middle'}).forEach(([n, v]) => label.setAttribute(n, v));
    label.textContent = node.id;
    const status = document.createElementNS(ns, 'text');
    Object.entries({x: at.x + W / 2, y: at.y + 35, 'text-anchor': 'middle', class: 'step-state'})
        .forEach(([n, v]) => status.setAttribute(n, v));
    status.textContent = state[node.id] || 'pending';
    group.append(rect, label, status);
  }
  return svg;
}

// ---- routing ---------------------------------------------------------------------------------

let leave = () => {};

function route() {
  leave();
  const view = document.getElementById('view');
  view.replaceChildren();
  const [, kind, id] = location.hash.split('/');
  if (kind === 'tasks' && id) leave = taskView(view, decodeURIComponent(id));
  else if (kind === 'runs' && id) leave = runView(view, decodeURIComponent(id));
  else leave = listView(view);
}

window.addEventListener('hashchange', route);
route();
