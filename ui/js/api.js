// The only module that talks to Tauri: the commands generated from Rust (bindings.js), the
// progress channel and the app's events. Every command rejects with an ErrorPayload {code, message}.
import { commands, EVENTS } from "./bindings.js";
import { Channel, listen as tauriListen, convertFileSrc, currentWebview } from "./tauri.js";

/** @typedef {import("./bindings.js").ErrorPayload} ErrorPayload */
/** @typedef {import("./bindings.js").ManagerEvent} ManagerEvent */

/** @returns {ErrorPayload} */
function normalize(e) {
  if (e && typeof e === "object" && typeof e.code === "string") return e;
  return { code: "internal", message: String(e?.message ?? e) };
}

/** The generated commands, with every rejection made an ErrorPayload. */
export const api = /** @type {typeof commands} */ (Object.fromEntries(
  Object.entries(commands).map(([name, fn]) => [name, async (...args) => {
    try {
      return await /** @type {(...a: any[]) => Promise<any>} */ (fn)(...args);
    } catch (e) {
      throw normalize(e);
    }
  }]),
));

/**
 * Pushed progress: calls `onEvent` with each manager event ({kind: "progress"|"finished"}).
 * @param {(ev: ManagerEvent) => void} onEvent
 */
export function subscribe(onEvent) {
  /** @type {Channel<ManagerEvent>} */
  const channel = new Channel();
  channel.onmessage = onEvent;
  return api.subscribe(channel);
}

/** @param {() => void} cb */
export const onJobsChanged = (cb) => tauriListen(EVENTS.jobs_changed, () => cb());
/** @param {(paths: string[]) => void} cb */
export const onOpenPaths = (cb) => tauriListen(EVENTS.open_paths, (e) => cb(/** @type {string[]} */ (e.payload)));
/** @param {string | null} path */
export const assetUrl = (path) => (path ? convertFileSrc(path) : null);
export const onDragDrop = (cb) => currentWebview().onDragDropEvent((e) => cb(e.payload));
