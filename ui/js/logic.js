// Pure UI logic: no DOM, no Tauri. Tested with `node --test ui/tests`.

export const STAGES = [
  ["initializing", "Initializing"],
  ["planning", "Planning scenes"],
  ["implementation_planning", "Planning each scene"],
  ["code_generation", "Writing Manim code"],
  ["scene_rendering", "Rendering scenes"],
  ["video_combining", "Combining video"],
  ["finalizing", "Finalizing"],
  ["completed", "Completed"],
];
const STAGE_INDEX = Object.fromEntries(STAGES.map(([k], i) => [k, i]));
export const stageLabel = (s) => (STAGES[STAGE_INDEX[s]] || [s, s])[1];
export const stageIndex = (s) => STAGE_INDEX[s] ?? -1;

export const ACTIVE = new Set(["queued", "running"]);
export const isActive = (job) => !!job && (ACTIVE.has(job.status) || !!job.slot);

export const MIN_TOPIC = 3;
export const MIN_DESCRIPTION = 10;
export const LOG_LINES = 40;

/** Form validation: returns {field: message} for each problem (empty object when valid). */
export function validateForm({ topic = "", description = "", maxScenes = "" }) {
  const errors = {};
  const t = topic.trim().replace(/\s+/g, " ");
  if (t.length === 0) errors.topic = "Enter a topic, e.g. “Pythagorean theorem”.";
  else if ([...t].length < MIN_TOPIC) errors.topic = `The topic needs at least ${MIN_TOPIC} characters.`;
  const d = description.trim();
  if ([...d].length < MIN_DESCRIPTION)
    errors.description = `Describe it in at least ${MIN_DESCRIPTION} characters (${[...d].length} so far).`;
  if (maxScenes !== "" && maxScenes != null) {
    const n = Number(maxScenes);
    if (!Number.isInteger(n) || n < 1 || n > 7) errors.maxScenes = "Scenes: a whole number from 1 to 7.";
  }
  return errors;
}

// ---- Live updates switch -------------------------------------------------------------------
// On by default; switched on when a job starts; switched off when no job is active. While off the
// view stays still; switching on brings it up to date at once (the caller re-renders).

export const initialLive = () => ({ on: true, activeCount: 0 });

export function liveReducer(state, action) {
  switch (action.type) {
    case "toggle":
      return { ...state, on: !!action.on };
    case "job-started":
      return { ...state, on: true, activeCount: Math.max(state.activeCount, 1) };
    case "active-count": {
      const n = Math.max(0, action.count | 0);
      return { ...state, activeCount: n, on: n === 0 ? false : state.on };
    }
    default:
      return state;
  }
}

/** Whether an incoming event should repaint the live view. */
export const shouldPaint = (live) => live.on;

// ---- Job state from pushed events ------------------------------------------------------------

/** Applies a manager event (`{kind: "progress"|"finished", ...}`) to a map of job views. */
export function jobsReducer(jobs, ev, now = Date.now()) {
  const id = ev.job_id;
  const prev = jobs[id] || { id, status: "running", progress: 0, log: [], startedAt: now };
  let next;
  if (ev.kind === "progress") {
    const line = `${clock(ev.at)} ${ev.message}`;
    const log = ev.milestone || prev.log[prev.log.length - 1]?.slice(9) !== ev.message
      ? [...prev.log, line].slice(-LOG_LINES) : prev.log;
    next = {
      ...prev,
      status: prev.status === "queued" ? "running" : prev.status,
      stage: ev.stage,
      progress: Math.max(prev.progress || 0, ev.progress),
      message: ev.message,
      sub: ev.sub || null,
      at: ev.at,
      log,
      startProgress: prev.startProgress ?? ev.progress,
      startedAt: prev.startedAt ?? now,
      seenStages: [...new Set([...(prev.seenStages || []), ev.stage])],
    };
  } else if (ev.kind === "finished") {
    next = { ...prev, status: ev.status, error: ev.error || null, slot: null, finishedAt: now };
    if (ev.status === "completed") next.progress = 100;
  } else {
    return jobs;
  }
  return { ...jobs, [id]: next };
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
  const perScene = ["implementation_planning", "code_generation", "scene_rendering"].includes(stage);
  if (!perScene) return sub.total > 1 ? `Step ${Math.min(sub.current + 1, sub.total)} of ${sub.total}` : null;
  return `Scene ${Math.min(sub.current + 1, sub.total)} of ${sub.total}`;
}

/**
 * Elapsed time and an ETA from the progress made since this app saw the job start
 * (`startProgress` at `startedAt`). ETA is null until there is enough to go on.
 */
export function timing({ startedAt, startProgress = 0, progress = 0, status }, now = Date.now()) {
  const elapsed = startedAt ? Math.max(0, (now - startedAt) / 1000) : null;
  if (status === "completed") return { elapsed, eta: 0, etaText: "done" };
  if (!ACTIVE.has(status) || elapsed == null) return { elapsed, eta: null, etaText: "–" };
  const made = progress - startProgress;
  if (made < 3 || elapsed < 2) return { elapsed, eta: null, etaText: "estimating…" };
  const eta = (elapsed * (100 - progress)) / made;
  return { elapsed, eta, etaText: `about ${formatDuration(Math.max(1, eta))} left` };
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

/** Which buttons a job shows. */
export function actionsFor(job) {
  if (!job) return [];
  if (isActive(job)) return ["cancel"];
  switch (job.status) {
    case "interrupted":
      return ["resume", "delete"];
    case "failed":
    case "cancelled":
      return ["resume", "rerun", "delete"];
    case "completed":
      return ["rerun", "delete"];
    default:
      return [];
  }
}

/** What the badge says: a job waiting in this app's queue reads "queued". */
export const displayStatus = (job) => (job.slot === "queued" ? "queued" : job.status);

const ERROR_TITLES = {
  invalid_input: "Check the input",
  config: "Settings need attention",
  tool_missing: "A tool is missing",
  not_found: "Not found",
  conflict: "Not possible right now",
  cancelled: "Cancelled",
  writer: "The writer failed",
  render: "A scene failed to render",
  media: "Combining the video failed",
  timeout: "Took too long",
  storage: "The job database failed",
  io: "A file could not be read or written",
  internal: "Something went wrong",
};
/** A headline for an error, chosen by its code (never by its message). */
export const errorTitle = (err) => ERROR_TITLES[err?.code] || ERROR_TITLES.internal;
/** Whether the fix is in Settings / the doctor panel. */
export const isConfigError = (err) => ["config", "tool_missing"].includes(err?.code);

export function pageInfo(offset, limit, total) {
  if (!total) return { text: "No jobs", hasPrev: false, hasNext: false };
  const from = Math.min(offset + 1, total);
  const to = Math.min(offset + limit, total);
  return { text: `${from}–${to} of ${total}`, hasPrev: offset > 0, hasNext: offset + limit < total };
}

/** Stage timeline from stored events: each reached stage with its start and duration. */
export function timeline(events, finishedAt = null) {
  const firsts = [];
  for (const e of events) {
    if (!firsts.length || firsts[firsts.length - 1].stage !== e.stage) {
      if (!firsts.some((f) => f.stage === e.stage)) firsts.push({ stage: e.stage, at: e.at });
    }
  }
  const lastAt = events.length ? events[events.length - 1].at : null;
  return firsts.map((f, i) => {
    const end = firsts[i + 1]?.at ?? finishedAt ?? lastAt;
    const secs = end ? (new Date(end) - new Date(f.at)) / 1000 : null;
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
