// node --test ui/tests — the UI's pure logic, without a window.
import test from "node:test";
import assert from "node:assert/strict";
import {
  validateForm, initialLive, liveReducer, shouldPaint, jobsReducer, formatDuration, formatPercent,
  subLabel, timing, actionsFor, errorTitle, isConfigError, pageInfo, timeline, filesSummary,
  stageLabel, STAGES, displayStatus, relativeTime,
} from "../js/logic.js";

test("form validation: topic ≥ 3, description ≥ 10, scenes 1–7", () => {
  assert.deepEqual(validateForm({ topic: "Pythagoras", description: "a² + b² = c² for right triangles" }), {});
  const e = validateForm({ topic: " ab ", description: "short" });
  assert.ok(e.topic && e.description);
  assert.ok(validateForm({ topic: "", description: "" }).topic.startsWith("Enter"));
  assert.ok(validateForm({ topic: "abc", description: "0123456789", maxScenes: "9" }).maxScenes);
  assert.deepEqual(validateForm({ topic: "abc", description: "0123456789", maxScenes: "2" }), {});
});

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
  assert.deepEqual(j.seenStages, ["initializing", "scene_rendering"]);
  assert.equal(j.log.length, 3);
  assert.equal(j.startedAt, 1000);
  jobs = jobsReducer(jobs, { kind: "finished", job_id: "j", status: "completed", error: null }, 4000);
  assert.equal(jobs.j.progress, 100);
  assert.equal(jobs.j.status, "completed");
  for (let i = 0; i < 100; i++) jobs = jobsReducer(jobs, progress(80, "finalizing", { message: `m${i}` }));
  assert.equal(jobs.j.log.length, 40, "log tail is bounded");
  assert.equal(jobsReducer(jobs, { kind: "other" }), jobs);
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
  const early = timing({ startedAt: t0, startProgress: 0, progress: 1, status: "running" }, t0 + 5000);
  assert.equal(early.eta, null);
  assert.equal(early.etaText, "estimating…");
  const mid = timing({ startedAt: t0, startProgress: 0, progress: 50, status: "running" }, t0 + 20000);
  assert.equal(mid.elapsed, 20);
  assert.equal(Math.round(mid.eta), 20);
  assert.match(mid.etaText, /about 20 s left/);
  assert.equal(timing({ startedAt: t0, progress: 100, status: "completed" }, t0 + 1000).etaText, "done");
  assert.equal(timing({ startedAt: t0, progress: 40, status: "failed" }, t0 + 1000).etaText, "–");
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
  assert.deepEqual(pageInfo(0, 20, 57), { text: "1–20 of 57", hasPrev: false, hasNext: true });
  assert.deepEqual(pageInfo(40, 20, 57), { text: "41–57 of 57", hasPrev: true, hasNext: false });
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
