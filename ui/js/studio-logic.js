// The scene studio's pure logic: which actions a scene offers and why one is unavailable, what a
// version's change says, a scene card's badges. No DOM, no Tauri; tested by `node --test ui/tests`.
// Change kinds and their labels come from Rust (bindings.js).
import { CHANGE_KINDS } from "./bindings.js";
import { formatDuration } from "./logic.js";

/** @typedef {import("./bindings.js").ChangeKind} ChangeKind */

const KIND = new Map(CHANGE_KINDS.map((k) => [k.kind, k]));
/** @param {string} kind */
export const changeLabel = (kind) => KIND.get(/** @type {ChangeKind} */ (kind))?.label ?? kind;

const cap = (t) => t.charAt(0).toUpperCase() + t.slice(1);

/**
 * What a video version changed, in words: "v2 · Scene 2: narration edited" (the note is Rust's).
 * @param {{version: number, kind: string, note: string}} v
 */
export const versionTitle = (v) => `v${v.version} · ${cap(v.note || changeLabel(v.kind))}`;

/** A scene version in words: "v1 · Narration edited". */
export const sceneVersionTitle = (v) => `v${v.version} · ${cap(changeLabel(v.kind))}`;

/**
 * The actions a scene offers, in order, each with whether it can run now and, if not, why (the
 * reason is shown beside the buttons, since a disabled button cannot be focused).
 * @param {{
 *   status: string,
 *   busy: boolean,
 *   dirty: boolean,
 *   canRevise: boolean,
 *   reviseBlocked: string | null,
 *   hasCode: boolean,
 * }} s
 * @returns {{id: string, label: string, enabled: boolean, reason: string | null, primary: boolean}[]}
 */
export function sceneActions(s) {
  const failed = s.status === "failed";
  const busyReason = s.busy ? "A change to this video is being made; wait for it to finish." : null;
  const act = (id, label, reason, primary = false) => ({ id, label, enabled: !reason, reason, primary });
  const list = [
    act("rerender", "Re-render", busyReason || (s.dirty ? null : "Edit the narration or the code first."), s.dirty),
    act("revise", "Revise with instructions…", busyReason || (s.canRevise ? null : s.reviseBlocked || "This job's writer cannot revise a scene.")),
    act("regenerate", "Regenerate", busyReason),
  ];
  if (failed) {
    list.push(act("retry", "Retry", busyReason, !s.dirty));
    list.push(act("skip", "Make the video without this scene", busyReason));
  }
  return list;
}

/** The reasons of the unavailable actions, one line each (shown once under the buttons). */
export function actionNotes(actions) {
  const notes = [];
  for (const a of actions) {
    if (a.enabled || !a.reason) continue;
    const line = a.id === "rerender" || a.reason.startsWith("A change") ? a.reason : `${a.label.replace(/…$/, "")}: ${a.reason}`;
    if (!notes.includes(line)) notes.push(line);
  }
  return notes;
}

/**
 * A scene card's layout badge: errors first, then warnings; null when the scene was not checked.
 * @param {{layout_errors?: number | null, layout_warnings?: number | null}} c
 * @returns {{text: string, level: "bad" | "warn" | "ok"} | null}
 */
export function layoutBadge(c) {
  if (c.layout_errors == null) return null;
  const n = (k, w) => `${k} ${w}${k === 1 ? "" : "s"}`;
  if (c.layout_errors > 0) return { text: n(c.layout_errors, "layout error"), level: "bad" };
  if (c.layout_warnings > 0) return { text: n(c.layout_warnings, "layout warning"), level: "warn" };
  return { text: "Layout OK", level: "ok" };
}

/** "6 s" / "–" for a scene's length. */
export const sceneLength = (secs) => (secs != null ? formatDuration(secs) : "–");

/** Whether the text fields differ from the scene as stored. */
export const isDirty = (scene, narration, code) => !!scene && (narration !== scene.narration || code !== scene.code);

/**
 * The edits a Re-render sends, in order: the code first, then the narration (a narration edit
 * keeps hand-written code and re-times only the writer's), one video version each.
 * @returns {import("./bindings.js").SceneEdit[]}
 */
export function rerenderEdits(scene, narration, code) {
  /** @type {import("./bindings.js").SceneEdit[]} */
  const edits = [];
  if (code !== scene.code) edits.push({ kind: "code", value: code });
  if (narration !== scene.narration) edits.push({ kind: "narration", value: narration });
  return edits;
}
