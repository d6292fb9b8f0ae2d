// Pure UI logic: no DOM, no Tauri. Tested with `node --test ui/tests`. Stages, statuses, error
// codes and limits come from Rust through the generated bindings; nothing here restates them.
import { STAGES, STATUSES, ERRORS, LOG_TAIL_LINES, CLEARED_STATUSES } from "./bindings.js";

/** @typedef {import("./bindings.js").Stage} Stage */
/** @typedef {import("./bindings.js").JobStatus} JobStatus */
/** @typedef {import("./bindings.js").ErrorPayload} ErrorPayload */
/** @typedef {import("./bindings.js").ManagerEvent} ManagerEvent */
/** @typedef {import("./bindings.js").JobRow} JobRow */

export { STAGES, STATUSES };
const STAGE_INDEX = new Map(STAGES.map((s, i) => [s.stage, i]));
/** @param {string} s */
export const stageLabel = (s) => STAGES[STAGE_INDEX.get(s)]?.label ?? s;
/** @param {string} s */
export const stageIndex = (s) => STAGE_INDEX.get(s) ?? -1;
const STATUS = new Map(STATUSES.map((s) => [s.status, s]));
/** @param {string} s */
export const statusLabel = (s) => STATUS.get(s)?.label ?? s;

/** Whether a status is queued or running (Rust's `JobStatus::is_active`, from the bindings). @param {string} s */
export const statusActive = (s) => !!STATUS.get(s)?.active;

/** Queued or running, by the database or in this app's queue. */
export const isActive = (job) => !!job && (statusActive(job.status) || !!job.slot);

export const LOG_LINES = LOG_TAIL_LINES;

// ---- Live updates switch -------------------------------------------------------------------
// On by default; switched on when a job starts; switched off when no job is active. While off the
// view stays still; switching on brings it up to date at once (the caller re-renders).

export const initialLive = () => ({ on: true, active_count: 0 });

export function liveReducer(state, action) {
  switch (action.type) {
    case "toggle":
      return { ...state, on: !!action.on };
    case "job-started":
      return { ...state, on: true, active_count: Math.max(state.active_count, 1) };
    case "active-count": {
      const n = Math.max(0, action.count | 0);
      return { ...state, active_count: n, on: n === 0 ? false : state.on };
    }
    default:
      return state;
  }
}

/** Whether an incoming event should repaint the live view. */
export const shouldPaint = (live) => live.on;

// ---- Job state from pushed events ------------------------------------------------------------

/**
 * Applies a manager event (`{kind: "progress"|"finished", ...}`) to a map of job views.
 * @param {Record<string, any>} jobs
 * @param {ManagerEvent} ev
 */
export function jobsReducer(jobs, ev, now = Date.now()) {
  const id = ev.job_id;
  const known = jobs[id];
  let prev = known || { id, status: "running", progress: 0, log: [], started_ms: now };
  let next;
  if (ev.kind === "progress") {
    // Progress for a job that had ended is a new run of it (a scene studio edit, a resume): its
    // bar starts again from this run's first event instead of staying at the last run's end.
    if (known && !statusActive(known.status)) {
      prev = { id, status: "running", progress: 0, log: [], started_ms: now, topic: known.topic };
    }
    const line = `${clock(ev.at)} ${ev.message}`;
    const log = ev.milestone || prev.log[prev.log.length - 1]?.slice(9) !== ev.message
      ? [...prev.log, line].slice(-LOG_LINES) : prev.log;
    next = {
      ...prev,
      status: prev.status === "queued" ? "running" : prev.status,
      slot: "running",
      stage: ev.stage,
      progress: Math.max(prev.progress || 0, ev.progress),
      message: ev.message,
      sub: ev.sub || null,
      at: ev.at,
      log,
      start_progress: prev.start_progress ?? ev.progress,
      started_ms: prev.started_ms ?? now,
      seen_stages: [...new Set([...(prev.seen_stages || []), ev.stage])],
    };
  } else if (ev.kind === "finished") {
    next = { ...prev, status: ev.status, error: ev.error || null, slot: null, finished_ms: now };
    if (ev.status === "completed") next.progress = 100;
  } else {
    return jobs;
  }
  return { ...jobs, [id]: next };
}

/**
 * Merges a JobRow/JobDetail from a command into a job view model.
 * A job the manager holds (queued or running: `slot`) whose record still shows how its previous
 * run ended (a studio edit or resume of a finished job, before the run's first event) is this
 * run at its start, not the last run's 100 %: the bar must never go back when the run begins.
 * @param {import("./bindings.js").JobRow} row
 * @param {import("./bindings.js").JobDetail | null} detail
 * @param {Record<string, any>} prev
 */
export function viewFromRow(row, detail = null, prev = {}) {
  if (row.slot && !statusActive(row.status)) {
    const running = statusActive(prev.status);
    row = {
      ...row,
      status: running ? prev.status : "queued",
      stage: running ? prev.stage : "initializing",
      message: running ? prev.message : "Waiting for its turn",
      progress: running ? prev.progress || 0 : 0,
      error: null, finished_at: null, started_at: running ? row.started_at : null,
    };
    if (!running) prev = { id: row.id, topic: row.topic, log: [] };
  }
  /** @type {Record<string, any>} */
  const view = {
    ...prev,
    id: row.id, topic: row.topic, status: row.status, slot: row.slot, stage: row.stage,
    progress: Math.max(row.progress ?? 0, row.status === prev.status ? prev.progress || 0 : 0),
    message: row.message, error: row.error, thumbnail: row.thumbnail, video: row.video,
    at: prev.at || row.finished_at || row.started_at || row.created_at,
    started_ms: prev.started_ms ?? (row.started_at ? Date.parse(row.started_at) : null),
    start_progress: prev.start_progress ?? 0, duration_secs: row.duration_secs,
  };
  if (detail) {
    view.log = detail.log;
    view.scenes = detail.scenes;
    view.seen_stages = [...new Set(detail.events.map((e) => e.stage))];
    if (detail.events.length) view.at = detail.events[detail.events.length - 1].at;
    const last = [...detail.events].reverse().find((e) => e.sub);
    if (last && !view.sub) view.sub = last.sub;
  }
  return view;
}

// ---- Formatting --------------------------------------------------------------------------

const pad = (n) => String(n).padStart(2, "0");

export function clock(iso) {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return "--:--:--";
  return `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
}

export const formatPercent = (p) => `${Math.floor(Math.max(0, Math.min(100, p || 0)))} %`;

export function formatDuration(secs) {
  if (secs == null || !Number.isFinite(secs) || secs < 0) return "–";
  const s = Math.round(secs);
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} min ${pad(s % 60)} s`;
  return `${Math.floor(m / 60)} h ${pad(m % 60)} min`;
}

/** "Scene 2 of 5" from sub-progress {current: scenes done, total}; null when not per scene. */
export function subLabel(stage, sub) {
  if (!sub || !sub.total) return null;
  const perScene = !!STAGES[stageIndex(stage)]?.per_scene;
  if (!perScene) return sub.total > 1 ? `Step ${Math.min(sub.current + 1, sub.total)} of ${sub.total}` : null;
  return `Scene ${Math.min(sub.current + 1, sub.total)} of ${sub.total}`;
}

/**
 * Elapsed time and an ETA from the progress made since this app saw the job start
 * (`start_progress` at `started_ms`). ETA is null until there is enough to go on.
 * @param {{started_ms?: number | null, start_progress?: number, progress?: number, status: string}} job
 */
export function timing({ started_ms, start_progress = 0, progress = 0, status }, now = Date.now()) {
  const elapsed = started_ms ? Math.max(0, (now - started_ms) / 1000) : null;
  if (status === "completed") return { elapsed, eta: 0, eta_text: "done" };
  if (!STATUS.get(status)?.active || elapsed == null) return { elapsed, eta: null, eta_text: "–" };
  const made = progress - start_progress;
  if (made < 3 || elapsed < 2) return { elapsed, eta: null, eta_text: "estimating…" };
  const eta = (elapsed * (100 - progress)) / made;
  return { elapsed, eta, eta_text: `about ${formatDuration(Math.max(1, eta))} left` };
}

export function relativeTime(iso, now = Date.now()) {
  const t = new Date(iso).getTime();
  if (Number.isNaN(t)) return "";
  const s = Math.round((now - t) / 1000);
  if (s < 5) return "just now";
  if (s < 60) return `${s} s ago`;
  if (s < 3600) return `${Math.floor(s / 60)} min ago`;
  if (s < 86400) return `${Math.floor(s / 3600)} h ago`;
  const d = new Date(iso);
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}

// ---- Actions, errors, paging -----------------------------------------------------------------

/** Which buttons a job shows: Cancel while active; Resume where Rust says it resumes; Re-run for
 * a job that ran to an end; Delete for any job that is not active. */
export function actionsFor(job) {
  if (!job) return [];
  if (isActive(job)) return ["cancel"];
  const info = STATUS.get(job.status);
  if (!info) return [];
  return [info.resumable && "resume", job.status !== "interrupted" && "rerun", "delete"].filter(Boolean);
}

/** What the badge says: a job waiting in this app's queue reads "queued". */
export const displayStatus = (job) => job.slot || job.status;

const ERROR_INFO = new Map(ERRORS.map((e) => [e.code, e]));
/** A headline for an error, chosen by its code (never by its message). */
export const errorTitle = (err) => (ERROR_INFO.get(err?.code) || ERROR_INFO.get("internal")).title;
/** Whether the fix is in Settings / the doctor panel. */
export const isConfigError = (err) => !!ERROR_INFO.get(err?.code)?.fix_in_settings;

export function pageInfo(offset, limit, total) {
  if (!total) return { text: "No jobs", has_prev: false, has_next: false };
  const from = Math.min(offset + 1, total);
  const to = Math.min(offset + limit, total);
  return { text: `${from}–${to} of ${total}`, has_prev: offset > 0, has_next: offset + limit < total };
}

/** Stage timeline from stored events: each reached stage with its start and duration. */
export function timeline(events, finished_at = null) {
  const firsts = [];
  for (const e of events) {
    if (!firsts.length || firsts[firsts.length - 1].stage !== e.stage) {
      if (!firsts.some((f) => f.stage === e.stage)) firsts.push({ stage: e.stage, at: e.at });
    }
  }
  const lastAt = events.length ? events[events.length - 1].at : null;
  return firsts.map((f, i) => {
    const end = firsts[i + 1]?.at ?? finished_at ?? lastAt;
    const secs = end ? (new Date(end).getTime() - new Date(f.at).getTime()) / 1000 : null;
    return { stage: f.stage, label: stageLabel(f.stage), at: f.at, secs };
  });
}

/** Summary of inspected topic files: jobs to queue and files that cannot be used. */
export function filesSummary(files) {
  const ok = files.filter((f) => !f.error);
  const count = ok.reduce((n, f) => n + f.count, 0);
  return {
    count,
    usable: ok.length,
    rejected: files.length - ok.length,
    text: count === 0 ? "No usable topics" : `${count} ${count === 1 ? "job" : "jobs"} from ${ok.length} ${ok.length === 1 ? "file" : "files"}`,
  };
}

// ---- The queue -----------------------------------------------------------------------------
// The New video screen lists every active job (running first, then queued in queue order) with
// its own bar, stage and ETA, then the jobs that finished in this session (newest first). The
// live view follows the running job unless the user pinned one.

/** Finished jobs kept one click away in the queue. */
export const FINISHED_KEPT = 5;

/**
 * The job the live view shows: the pinned one; else the running one; else the next queued one;
 * else the one that finished last; else whatever it showed.
 * @param {{pinned: string | null, active: {id: string, slot: string | null}[], finished: string[], current: string | null}} s
 */
export function followTarget({ pinned, active, finished, current }) {
  if (pinned) return pinned;
  const running = active.find((r) => r.slot === "running");
  if (running) return running.id;
  if (active.length) return active[0].id;
  return finished[0] ?? current;
}

/** Records a finished job: newest first, each once, at most FINISHED_KEPT. */
export const addFinished = (finished, id) => [id, ...finished.filter((f) => f !== id)].slice(0, FINISHED_KEPT);

/**
 * Rows of the queue: active jobs, then finished ones, each with what its bar shows.
 * @param {{id: string, topic: string, slot: string | null}[]} active rows from `active_jobs`
 * @param {string[]} finished ids, newest first
 * @param {Record<string, any>} jobs job views by id
 */
export function queueRows(active, finished, jobs, now = Date.now()) {
  const activeIds = new Set(active.map((r) => r.id));
  const row = (id, fallback, section) => {
    const j = { ...fallback, ...jobs[id] };
    const queued = j.slot === "queued";
    const running = section === "active" && !queued;
    const pct = j.status === "completed" ? 100 : j.progress || 0;
    const t = timing({ ...j, status: running ? "running" : j.status }, now);
    return {
      id, section, topic: j.topic || "…", status: displayStatus(j), percent: pct,
      stage: queued ? "Waiting for its turn" : j.status === "completed" ? "Completed"
        : section === "finished" ? `Stopped at ${stageLabel(j.stage)}` : stageLabel(j.stage),
      eta: running ? t.eta_text : "",
    };
  };
  return [
    ...active.map((r) => row(r.id, r, "active")),
    ...finished.filter((id) => !activeIds.has(id) && jobs[id]).map((id) => row(id, {}, "finished")),
  ];
}

// ---- History extras --------------------------------------------------------------------------

/** How many jobs "Clear finished jobs…" deletes, from the stats row (statuses from Rust). */
export const clearableCount = (stats) => (stats ? CLEARED_STATUSES.reduce((n, st) => n + (stats[st] || 0), 0) : 0);

/** "2 completed, 1 failed": what the Clear dialog deletes, by status. */
export const clearableParts = (stats) =>
  CLEARED_STATUSES.filter((st) => stats[st] > 0).map((st) => `${stats[st]} ${statusLabel(st).toLowerCase()}`);

const thousands = (n) => Math.round(n).toLocaleString("en-US");

/**
 * A job's LLM usage as details show it.
 * @param {{tokens_in: number, tokens_out: number, cost_usd: number, job: {writer: string}}} d
 */
export function usageText(d) {
  if (!d.tokens_in && !d.tokens_out) {
    return d.job.writer === "storyboard" ? "None — the offline storyboard writer uses no LLM" : "No tokens recorded";
  }
  const cost = d.cost_usd > 0 ? ` · $${d.cost_usd < 0.01 ? d.cost_usd.toFixed(4) : d.cost_usd.toFixed(2)}` : " · cost unknown";
  return `${thousands(d.tokens_in + d.tokens_out)} tokens (${thousands(d.tokens_in)} in, ${thousands(d.tokens_out)} out)${cost}`;
}
