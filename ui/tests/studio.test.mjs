// node --test ui/tests — the scene studio's pure logic and the history extras.
import test from "node:test";
import assert from "node:assert/strict";
import {
  sceneActions, actionNotes, layoutBadge, versionTitle, sceneVersionTitle, isDirty, rerenderEdits, changeLabel,
} from "../js/studio-logic.js";
import { clearableCount, clearableParts, usageText } from "../js/logic.js";
import { CHANGE_KINDS, CLEARED_STATUSES } from "../js/bindings.js";

const base = { status: "rendered", busy: false, dirty: false, canRevise: true, reviseBlocked: null, hasCode: true };
const byId = (list) => Object.fromEntries(list.map((a) => [a.id, a]));

test("scene actions: Re-render waits for an edit; the offline writer cannot revise, and says why", () => {
  let a = byId(sceneActions(base));
  assert.deepEqual(Object.keys(a), ["rerender", "revise", "regenerate"], "a rendered scene has no Retry or leave-out");
  assert.equal(a.rerender.enabled, false);
  assert.match(a.rerender.reason, /Edit the narration or the code/);
  assert.equal(a.revise.enabled, true);
  a = byId(sceneActions({ ...base, dirty: true }));
  assert.equal(a.rerender.enabled, true);
  assert.equal(a.rerender.primary, true, "the edit's Re-render is the main action");
  const why = "the writer storyboard cannot follow instructions; choose an LLM writer in Settings";
  a = byId(sceneActions({ ...base, canRevise: false, reviseBlocked: why }));
  assert.equal(a.revise.enabled, false);
  assert.equal(a.revise.reason, why, "Rust's reason, unchanged");
  assert.deepEqual(actionNotes(Object.values(a)), ["Edit the narration or the code first.", `Revise with instructions: ${why}`]);
});

test("scene actions: a failed scene offers Retry and leaving it out; nothing runs while a change runs", () => {
  let a = byId(sceneActions({ ...base, status: "failed" }));
  assert.deepEqual(Object.keys(a), ["rerender", "revise", "regenerate", "retry", "skip"]);
  assert.equal(a.retry.enabled, true);
  assert.equal(a.retry.primary, true);
  assert.equal(a.skip.label, "Make the video without this scene");
  a = byId(sceneActions({ ...base, status: "failed", busy: true, dirty: true }));
  for (const x of Object.values(a)) assert.equal(x.enabled, false, x.id);
  const notes = actionNotes(Object.values(a));
  assert.equal(notes.length, 1, "one reason, not one per button");
  assert.match(notes[0], /being made/);
});

test("layout badge: errors, then warnings; not checked is no badge", () => {
  assert.equal(layoutBadge({ layout_errors: null, layout_warnings: null }), null);
  assert.deepEqual(layoutBadge({ layout_errors: 2, layout_warnings: 1 }), { text: "2 layout errors", level: "bad" });
  assert.deepEqual(layoutBadge({ layout_errors: 0, layout_warnings: 1 }), { text: "1 layout warning", level: "warn" });
  assert.deepEqual(layoutBadge({ layout_errors: 0, layout_warnings: 0 }), { text: "Layout OK", level: "ok" });
});

test("versions in words; change kinds come from Rust", () => {
  assert.ok(CHANGE_KINDS.length >= 8);
  for (const k of CHANGE_KINDS) assert.equal(changeLabel(k.kind), k.label);
  assert.equal(versionTitle({ version: 2, kind: "narration", note: "scene 2: narration edited" }), "v2 · Scene 2: narration edited");
  assert.equal(versionTitle({ version: 0, kind: "generated", note: "" }), `v0 · ${changeLabel("generated").replace(/^./, (c) => c.toUpperCase())}`);
  assert.match(sceneVersionTitle({ version: 1, kind: "code" }), /^v1 · [A-Z]/);
});

test("re-render: only what changed, code before narration", () => {
  const scene = { narration: "Old words.", code: "a = 1\n" };
  assert.equal(isDirty(scene, "Old words.", "a = 1\n"), false);
  assert.equal(isDirty(scene, "New words.", "a = 1\n"), true);
  assert.equal(isDirty(null, "", ""), false);
  assert.deepEqual(rerenderEdits(scene, "New words.", "a = 1\n"), [{ kind: "narration", value: "New words." }]);
  assert.deepEqual(rerenderEdits(scene, "New words.", "a = 2\n"), [{ kind: "code", value: "a = 2\n" }, { kind: "narration", value: "New words." }]);
  assert.deepEqual(rerenderEdits(scene, "Old words.", "a = 1\n"), []);
});

test("history: what Clear finished jobs deletes, and usage in words", () => {
  const stats = { total: 9, queued: 1, running: 1, completed: 3, failed: 2, cancelled: 1, interrupted: 1 };
  assert.deepEqual([...CLEARED_STATUSES].sort(), ["cancelled", "completed", "failed"]);
  assert.equal(clearableCount(stats), 6, "interrupted, queued and running jobs stay");
  assert.deepEqual(clearableParts(stats), ["3 completed", "2 failed", "1 cancelled"]);
  assert.equal(clearableCount(null), 0);
  assert.match(usageText({ tokens_in: 0, tokens_out: 0, cost_usd: 0, job: { writer: "storyboard" } }), /offline/);
  assert.equal(usageText({ tokens_in: 12000, tokens_out: 3456, cost_usd: 0.0421, job: { writer: "openai" } }),
    "15,456 tokens (12,000 in, 3,456 out) · $0.04");
  assert.match(usageText({ tokens_in: 10, tokens_out: 5, cost_usd: 0, job: { writer: "local" } }), /cost unknown/);
});
