/**
 * What a long task is made of, from a Chromium trace (CDP `Tracing`): every top-level task of the
 * page's main thread longer than 50 ms inside the window between two `performance.mark`s is cut
 * into script, style, layout, paint and GC by the self time of the timeline events it holds, and
 * the script part into the functions the V8 sampling profiler caught there (self time, so the
 * function that did the work, not its caller). Used by webview.bench.ts with BENCH_TRACE=1.
 */
import type { CDPSession } from 'playwright-core';

export const TRACE_CATEGORIES = [
  'toplevel',
  'devtools.timeline',
  'disabled-by-default-devtools.timeline',
  'blink.user_timing',
  'v8',
  'v8.execute',
  'disabled-by-default-v8.gc',
  'disabled-by-default-v8.cpu_profiler',
];

interface TraceEvent {
  name: string;
  cat: string;
  ph: string;
  ts: number;
  dur?: number;
  /** The thread's CPU time in the event (µs): far below `dur` when the OS ran something else meanwhile. */
  tdur?: number;
  pid: number;
  tid: number;
  id?: string;
  args?: { name?: string; data?: ProfileData & { startTime?: number } };
}
interface ProfileData {
  cpuProfile?: { nodes?: { id: number; callFrame: { functionName: string }; parent?: number }[]; samples?: number[] };
  timeDeltas?: number[];
}

export type Part = 'script' | 'style' | 'layout' | 'paint' | 'gc' | 'other';
export interface LongTask {
  /** Milliseconds from the window's start. */
  at: number;
  duration: number;
  /** Of `duration`, the time the thread ran on a CPU. */
  cpu: number;
  parts: Record<Part, number>;
}
export interface Breakdown {
  tasks: LongTask[];
  /** Self time (ms) of the functions the profiler sampled inside those tasks, the largest first. */
  functions: [string, number][];
}

/** Tasks' wall and CPU time only (cheap, always on); `full` adds the timeline and the sampling profiler. */
export async function startTrace(cdp: CDPSession, full: boolean): Promise<void> {
  const includedCategories = full ? TRACE_CATEGORIES : ['toplevel', 'blink.user_timing'];
  await cdp.send('Tracing.start', {
    transferMode: 'ReturnAsStream',
    traceConfig: { includedCategories, recordMode: 'recordContinuously' },
  });
}

export async function stopTrace(cdp: CDPSession): Promise<TraceEvent[]> {
  const complete = new Promise<string>((resolve) =>
    cdp.once('Tracing.tracingComplete', (event) => resolve(event.stream ?? '')),
  );
  await cdp.send('Tracing.end');
  const handle = await complete;
  let text = '';
  for (;;) {
    const chunk = await cdp.send('IO.read', { handle, size: 1 << 22 });
    text += chunk.base64Encoded ? Buffer.from(chunk.data, 'base64').toString() : chunk.data;
    if (chunk.eof) break;
  }
  await cdp.send('IO.close', { handle });
  const parsed = JSON.parse(text) as { traceEvents?: TraceEvent[] } | TraceEvent[];
  return Array.isArray(parsed) ? parsed : (parsed.traceEvents ?? []);
}

function partOf(event: TraceEvent): Part | undefined {
  const { name, cat } = event;
  if (cat.includes('v8.gc') || /GC|Scavenge|MarkCompact/.test(name)) return 'gc';
  if (/^(UpdateLayoutTree|RecalculateStyles|ParseAuthorStyleSheet)$/.test(name)) return 'style';
  if (/^(Layout|IntersectionObserverController::computeIntersections|ResizeObserver)/.test(name)) return 'layout';
  if (/^(Paint|PrePaint|Layerize|UpdateLayer|CompositeLayers|Commit|PaintImage)/.test(name)) return 'paint';
  if (/^(FunctionCall|EvaluateScript|TimerFire|FireAnimationFrame|EventDispatch|RunMicrotasks|v8\.)/.test(name))
    return 'script';
  return undefined;
}

/** Self time per part of one task's nested events (a child's time is its own part's, not its parent's). */
function parts(task: TraceEvent, inner: TraceEvent[]): Record<Part, number> {
  const result: Record<Part, number> = { script: 0, style: 0, layout: 0, paint: 0, gc: 0, other: 0 };
  const end = task.ts + (task.dur ?? 0);
  const stack: { end: number; part: Part; start: number; children: number }[] = [
    { end, part: 'other', start: task.ts, children: 0 },
  ];
  const close = (until: number) => {
    while (stack.length > 1 && stack[stack.length - 1].end <= until) {
      const top = stack.pop()!;
      result[top.part] += (top.end - top.start - top.children) / 1000;
      stack[stack.length - 1].children += top.end - top.start;
    }
  };
  for (const event of inner) {
    if (event.ts < task.ts || event.ts >= end || event === task) continue;
    close(event.ts);
    const parent = stack[stack.length - 1];
    const part = partOf(event) ?? (parent.part === 'other' ? 'other' : parent.part);
    stack.push({ end: Math.min(event.ts + (event.dur ?? 0), parent.end), part, start: event.ts, children: 0 });
  }
  close(Infinity);
  const root = stack[0];
  result.other += (root.end - root.start - root.children) / 1000;
  return result;
}

/** The sampled stacks of the page's profile: [time (µs), the leaf function < its callers (4 deep)]. */
function samples(events: TraceEvent[], pid: number): [number, string][] {
  const names = new Map<number, string>();
  const parents = new Map<number, number>();
  const stack = (id: number) => {
    const chain: string[] = [];
    for (let at: number | undefined = id; at !== undefined && chain.length < 4; at = parents.get(at))
      chain.push(names.get(at) ?? '?');
    return chain.join(' < ');
  };
  const out: [number, string][] = [];
  const start = events.find((event) => event.name === 'Profile' && event.pid === pid)?.args?.data?.startTime ?? 0;
  let time = start;
  for (const event of events) {
    if (event.name !== 'ProfileChunk' || event.pid !== pid) continue;
    const data = event.args?.data ?? {};
    for (const node of data.cpuProfile?.nodes ?? []) {
      names.set(node.id, (node.callFrame.functionName || '(anonymous)').slice(0, 40));
      if (node.parent !== undefined) parents.set(node.id, node.parent);
    }
    const ids = data.cpuProfile?.samples ?? [];
    ids.forEach((id, index) => {
      time += data.timeDeltas?.[index] ?? 0;
      out.push([time, stack(id)]);
    });
  }
  return out;
}

/** The main thread's top-level tasks between the marks `from` and `to`, longest first: [wall ms, CPU ms]. */
export function taskTimes(events: TraceEvent[], from: string, to: string): [number, number][] {
  const main = events.find((event) => event.name === 'thread_name' && event.args?.name === 'CrRendererMain');
  if (!main) return [];
  const mark = (name: string) => events.find((event) => event.name === name && event.pid === main.pid)?.ts ?? 0;
  const [start, end] = [mark(from), mark(to)];
  return events
    .filter(
      (event) =>
        event.pid === main.pid &&
        event.tid === main.tid &&
        event.ph === 'X' &&
        event.cat.includes('toplevel') &&
        event.ts + (event.dur ?? 0) >= start &&
        event.ts <= end,
    )
    .map((event): [number, number] => [(event.dur ?? 0) / 1000, (event.tdur ?? event.dur ?? 0) / 1000])
    .sort((a, b) => b[0] - a[0]);
}

/**
 * The long tasks between the marks `from` and `to`, each cut into its parts: over `longMs` of wall time, or
 * over `busyMs` on the CPU (under load the wall time is mostly other processes'; the CPU time is the page's).
 */
export function breakdown(events: TraceEvent[], from: string, to: string, longMs = 50, busyMs = 5): Breakdown {
  const main = events.find((event) => event.name === 'thread_name' && event.args?.name === 'CrRendererMain');
  if (!main) return { tasks: [], functions: [] };
  const mark = (name: string) => events.find((event) => event.name === name && event.pid === main.pid)?.ts ?? 0;
  const [start, end] = [mark(from), mark(to)];
  const thread = events
    .filter((event) => event.pid === main.pid && event.tid === main.tid && event.ph === 'X')
    .sort((a, b) => a.ts - b.ts || (b.dur ?? 0) - (a.dur ?? 0));
  const tops = thread.filter(
    (event) =>
      event.cat.includes('toplevel') &&
      ((event.dur ?? 0) > longMs * 1000 || (event.tdur ?? 0) > busyMs * 1000) &&
      event.ts + (event.dur ?? 0) >= start &&
      event.ts <= end,
  );
  const profile = samples(events, main.pid);
  const functions = new Map<string, number>();
  const tasks = tops.map((task) => {
    const stop = task.ts + (task.dur ?? 0);
    let previous = task.ts;
    for (const [time, name] of profile) {
      if (time < task.ts || time > stop) continue;
      if (!name.startsWith('(')) functions.set(name, (functions.get(name) ?? 0) + (time - previous) / 1000);
      previous = time;
    }
    const duration = (task.dur ?? 0) / 1000;
    const cpu = task.tdur === undefined ? duration : task.tdur / 1000;
    return { at: (task.ts - start) / 1000, duration, cpu, parts: parts(task, thread) };
  });
  return { tasks, functions: [...functions].sort((a, b) => b[1] - a[1]).slice(0, 8) };
}

/** A printable report of one variant's breakdown. */
export function describe(label: string, result: Breakdown): string {
  const lines = [`${label}: ${result.tasks.length} tasks over 50 ms (or 5 ms on the CPU) while streaming`];
  const total: Record<string, number> = {};
  for (const task of result.tasks) {
    const cut = Object.entries(task.parts)
      .filter(([, value]) => value >= 1)
      .map(([part, value]) => `${part} ${value.toFixed(0)}`)
      .join(', ');
    lines.push(
      `  at ${(task.at / 1000).toFixed(2)} s  ${task.duration.toFixed(0)} ms (on CPU ${task.cpu.toFixed(0)} ms): ${cut}`,
    );
    for (const [part, value] of Object.entries(task.parts)) total[part] = (total[part] ?? 0) + value;
  }
  const cpu = result.tasks.reduce((sum, task) => sum + task.cpu, 0);
  const wall = result.tasks.reduce((sum, task) => sum + task.duration, 0);
  if (result.tasks.length)
    lines.push(`  on CPU ${cpu.toFixed(0)} ms of ${wall.toFixed(0)} ms (the rest the OS ran other work)`);
  if (result.tasks.length)
    lines.push(
      `  sum: ${Object.entries(total)
        .map(([part, value]) => `${part} ${value.toFixed(0)} ms`)
        .join(', ')}`,
    );
  if (result.functions.length)
    lines.push(
      `  script by function (self time, with its callers):\n${result.functions.map(([name, value]) => `    ${value.toFixed(0).padStart(5)} ms  ${name}`).join('\n')}`,
    );
  return lines.join('\n');
}
