// node --test ui/tests — the UI's pure logic, without a window.
import test from "node:test";
import assert from "node:assert/strict";
import {
  initialLive, liveReducer, shouldPaint, jobsReducer, formatDuration, formatPercent,
  subLabel, timing, actionsFor, errorTitle, isConfigError, pageInfo, timeline, filesSummary,
  stageLabel, STAGES, displayStatus, relativeTime, followTarget, addFinished, queueRows, FINISHED_KEPT,
  viewFromRow,
} from "../js/logic.js";

test("live updates: on by default, on when a job starts, off when none is active", () => {
  let s = initialLive();
  assert.equal(s.on, true);
  s = liveReducer(s, { type: "toggle", on: false });
  assert.equal(shouldPaint(s), false, "while off the view stays still");
  s = liveReducer(s, { type: "job-started" });
  assert.equal(s.on, true, "a new job switches it on");
  s = liveReducer(s, { type: "active-count", count: 2 });
  assert.equal(s.on, true);
  s = liveReducer(s, { type: "toggle", on: false });
  s = liveReducer(s, { type: "active-count", count: 1 });
  assert.equal(s.on, false, "the user's off stays off while jobs run");
  s = liveReducer(s, { type: "toggle", on: true });
  assert.equal(shouldPaint(s), true);
  s = liveReducer(s, { type: "active-count", count: 0 });
  assert.equal(s.on, false, "no active job switches it off");
  assert.deepEqual(liveReducer(s, { type: "unknown" }), s);
});

const progress = (p, stage, extra = {}) => ({
  kind: "progress", job_id: "j", stage, progress: p, message: `${stage} ${p}`,
  at: "2026-11-29T10:00:00Z", milestone: true, ...extra,
});

test("jobs reducer: monotonic progress, stages seen, log tail, finish", () => {
  let jobs = {};
  jobs = jobsReducer(jobs, progress(5, "initializing"), 1000);
  jobs = jobsReducer(jobs, progress(72, "scene_rendering", { sub: { current: 1, total: 2 }, milestone: false }), 2000);
  jobs = jobsReducer(jobs, progress(60, "scene_rendering"), 3000);
  const j = jobs.j;
  assert.equal(j.progress, 72, "never backwards");
  assert.deepEqual(j.seen_stages, ["initializing", "scene_rendering"]);
  assert.equal(j.log.length, 3);
  assert.equal(j.started_ms, 1000);
  assert.equal(j.slot, "running", "pushed progress means it runs in this app");
  jobs = jobsReducer(jobs, { kind: "finished", job_id: "j", status: "completed", error: null }, 4000);
  assert.equal(jobs.j.progress, 100);
  assert.equal(jobs.j.status, "completed");
  for (let i = 0; i < 100; i++) jobs = jobsReducer(jobs, progress(80, "finalizing", { message: `m${i}` }));
  assert.equal(jobs.j.log.length, 40, "log tail is bounded");
  assert.equal(jobsReducer(jobs, { kind: "other" }), jobs);
});

test("jobs reducer: a new run of a finished job (a studio edit) starts its bar again", () => {
  let jobs = {};
  jobs = jobsReducer(jobs, progress(5, "initializing"), 1000);
  jobs = jobsReducer(jobs, { kind: "finished", job_id: "j", status: "completed", error: null }, 2000);
  assert.equal(jobs.j.progress, 100);
  jobs = jobsReducer(jobs, progress(5, "initializing", { message: "Editing scene 2" }), 5000);
  assert.equal(jobs.j.progress, 5, "the edit's own progress, not the last run's 100 %");
  assert.equal(jobs.j.status, "running");
  assert.equal(jobs.j.started_ms, 5000, "its ETA counts from the edit");
  assert.deepEqual(jobs.j.seen_stages, ["initializing"]);
  jobs = jobsReducer(jobs, progress(3, "initializing"), 6000);
  assert.equal(jobs.j.progress, 5, "within one run the bar never goes backwards");
});

test("formatting: percent, durations, sub-progress", () => {
  assert.equal(formatPercent(99.7), "99 %");
  assert.equal(formatPercent(140), "100 %");
  assert.equal(formatDuration(5.2), "5 s");
  assert.equal(formatDuration(65), "1 min 05 s");
  assert.equal(formatDuration(3725), "1 h 02 min");
  assert.equal(formatDuration(null), "–");
  assert.equal(subLabel("scene_rendering", { current: 1, total: 5 }), "Scene 2 of 5");
  assert.equal(subLabel("scene_rendering", { current: 5, total: 5 }), "Scene 5 of 5");
  assert.equal(subLabel("initializing", { current: 1, total: 1 }), null);
  assert.equal(subLabel("planning", null), null);
  assert.equal(stageLabel("code_generation"), "Writing Manim code");
  assert.equal(STAGES.length, 8);
});

test("timing: elapsed and ETA from progress since start", () => {
  const t0 = 1_000_000;
  const early = timing({ started_ms: t0, start_progress: 0, progress: 1, status: "running" }, t0 + 5000);
  assert.equal(early.eta, null);
  assert.equal(early.eta_text, "estimating…");
  const mid = timing({ started_ms: t0, start_progress: 0, progress: 50, status: "running" }, t0 + 20000);
  assert.equal(mid.elapsed, 20);
  assert.equal(Math.round(mid.eta), 20);
  assert.match(mid.eta_text, /about 20 s left/);
  assert.equal(timing({ started_ms: t0, progress: 100, status: "completed" }, t0 + 1000).eta_text, "done");
  assert.equal(timing({ started_ms: t0, progress: 40, status: "failed" }, t0 + 1000).eta_text, "–");
});

test("actions by status", () => {
  assert.deepEqual(actionsFor({ status: "running" }), ["cancel"]);
  assert.deepEqual(actionsFor({ status: "queued" }), ["cancel"]);
  assert.deepEqual(actionsFor({ status: "cancelled", slot: "queued" }), ["cancel"], "queued to resume");
  assert.deepEqual(actionsFor({ status: "interrupted" }), ["resume", "delete"]);
  assert.deepEqual(actionsFor({ status: "completed" }), ["rerun", "delete"]);
  assert.deepEqual(actionsFor({ status: "failed" }), ["resume", "rerun", "delete"]);
  assert.deepEqual(actionsFor(null), []);
  assert.equal(displayStatus({ status: "interrupted", slot: "queued" }), "queued");
});

test("errors are told apart by code only", () => {
  assert.equal(errorTitle({ code: "tool_missing", message: "render failed" }), "A tool is missing");
  assert.equal(errorTitle({ code: "what" }), "Something went wrong");
  assert.equal(isConfigError({ code: "config" }), true);
  assert.equal(isConfigError({ code: "render" }), false);
});

test("paging, timeline, files summary, relative time", () => {
  assert.deepEqual(pageInfo(0, 20, 57), { text: "1–20 of 57", has_prev: false, has_next: true });
  assert.deepEqual(pageInfo(40, 20, 57), { text: "41–57 of 57", has_prev: true, has_next: false });
  assert.equal(pageInfo(0, 20, 0).text, "No jobs");
  const ev = (stage, s) => ({ stage, at: `2026-11-29T10:00:${String(s).padStart(2, "0")}Z` });
  const tl = timeline([ev("initializing", 0), ev("initializing", 1), ev("planning", 3), ev("completed", 10)]);
  assert.deepEqual(tl.map((r) => [r.stage, r.secs]), [["initializing", 3], ["planning", 7], ["completed", 0]]);
  const fs = filesSummary([{ count: 3 }, { count: 1 }, { count: 0, error: { code: "invalid_input" } }]);
  assert.equal(fs.count, 4);
  assert.equal(fs.rejected, 1);
  assert.equal(fs.text, "4 jobs from 2 files");
  assert.equal(filesSummary([{ count: 1 }]).text, "1 job from 1 file");
  assert.equal(relativeTime(new Date(Date.now() - 120000).toISOString()), "2 min ago");
});

test("stages, statuses and error codes come from the Rust contract", () => {
  assert.deepEqual(STAGES.map((s) => s.stage), ["initializing", "planning", "implementation_planning", "code_generation",
    "scene_rendering", "video_combining", "finalizing", "completed"]);
  assert.equal(STAGES.filter((s) => s.per_scene).length, 3);
});

test("the live view follows the running job unless one is pinned", () => {
  const active = [{ id: "a", slot: "running" }, { id: "b", slot: "queued" }, { id: "c", slot: "queued" }];
  assert.equal(followTarget({ pinned: null, active, finished: [], current: null }), "a");
  assert.equal(followTarget({ pinned: "c", active, finished: [], current: "a" }), "c", "a pinned job stays");
  // a finished: b runs next and the view moves with it.
  const next = [{ id: "b", slot: "running" }, { id: "c", slot: "queued" }];
  assert.equal(followTarget({ pinned: null, active: next, finished: ["a"], current: "a" }), "b");
  assert.equal(followTarget({ pinned: null, active: [{ id: "c", slot: "queued" }], finished: ["b", "a"], current: "b" }), "c");
  // Nothing left: the job that finished last, with its result.
  assert.equal(followTarget({ pinned: null, active: [], finished: ["c", "b"], current: "b" }), "c");
  assert.equal(followTarget({ pinned: null, active: [], finished: [], current: "x" }), "x");
});

test("the queue: a row per active job with its own bar, stage and ETA, then finished ones", () => {
  const t0 = 1_000_000;
  const jobs = {
    a: { id: "a", topic: "A", status: "running", slot: "running", stage: "scene_rendering", progress: 50, started_ms: t0, start_progress: 0 },
    b: { id: "b", topic: "B", status: "queued", slot: "queued", stage: "initializing", progress: 0 },
    c: { id: "c", topic: "C", status: "queued", slot: "queued", stage: "initializing", progress: 0 },
    d: { id: "d", topic: "D", status: "completed", slot: null, stage: "completed", progress: 100 },
  };
  const active = [{ id: "a", topic: "A", slot: "running" }, { id: "b", topic: "B", slot: "queued" }, { id: "c", topic: "C", slot: "queued" }];
  const rows = queueRows(active, ["d", "a"], jobs, t0 + 20000);
  assert.deepEqual(rows.map((r) => [r.id, r.section]), [["a", "active"], ["b", "active"], ["c", "active"], ["d", "finished"]]);
  assert.equal(rows[0].stage, "Rendering scenes");
  assert.match(rows[0].eta, /about 20 s left/);
  assert.equal(rows[1].status, "queued");
  assert.equal(rows[1].stage, "Waiting for its turn");
  assert.equal(rows[3].percent, 100);
  assert.equal(rows[3].stage, "Completed");
  assert.equal(rows[3].eta, "");
  let f = [];
  for (const id of ["1", "2", "3", "4", "5", "6", "2"]) f = addFinished(f, id);
  assert.deepEqual(f, ["2", "6", "5", "4", "3"]);
  assert.equal(f.length, FINISHED_KEPT);
});

test("a new run of a finished job starts its bar at 0, and it never goes back", () => {
  const row = (over = {}) => ({
    id: "j", topic: "T", status: "completed", stage: "completed", stage_label: "Completed", progress: 100,
    message: "Done", quality: "preview", writer: "storyboard", created_at: "2026-12-01T10:00:00Z",
    started_at: "2026-12-01T10:00:01Z", finished_at: "2026-12-01T10:00:30Z", duration_secs: 9,
    thumbnail: null, video: "/v.mp4", error: null, slot: null, ...over,
  });
  const done = viewFromRow(row());
  assert.equal(done.progress, 100, "a finished job shows 100 %");
  // A studio edit is queued: the manager holds the job, its record still says completed.
  let v = viewFromRow(row({ slot: "queued" }), null, done);
  assert.equal(v.status, "queued");
  assert.equal(v.progress, 0, "the new run does not start at the last run's 100 %");
  const seen = [v.progress];
  let jobs = { j: v };
  for (const [p, stage] of [[5, "initializing"], [15, "planning"], [40, "code_generation"], [70, "scene_rendering"]]) {
    jobs = jobsReducer(jobs, progress(p, stage));
    seen.push(jobs.j.progress);
    // A refresh from the store between events (the record may still be the old run's).
    jobs = { j: viewFromRow(row({ slot: "running" }), null, jobs.j) };
    seen.push(jobs.j.progress);
    assert.equal(jobs.j.stage, stage, "the stage is this run's, not the record's 'completed'");
  }
  for (let i = 1; i < seen.length; i++) assert.ok(seen[i] >= seen[i - 1], `never back: ${seen}`);
  assert.equal(jobs.j.progress, 70);
  // The record catches up: a running row with lower stored progress keeps the pushed value.
  jobs = { j: viewFromRow(row({ slot: "running", status: "running", progress: 40 }), null, jobs.j) };
  assert.equal(jobs.j.progress, 70);
});
