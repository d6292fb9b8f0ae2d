// The only module that talks to Tauri. Every command rejects with {code, message}.
const T = window.__TAURI__;

function normalize(e) {
  if (e && typeof e === "object" && typeof e.code === "string") return e;
  return { code: "internal", message: String(e?.message ?? e) };
}

export async function invoke(cmd, args = {}) {
  try {
    return await T.core.invoke(cmd, args);
  } catch (e) {
    throw normalize(e);
  }
}

/** Pushed progress: calls `onEvent` with each manager event ({kind: "progress"|"finished"}). */
export function subscribe(onEvent) {
  const channel = new T.core.Channel();
  channel.onmessage = onEvent;
  return invoke("subscribe", { onEvent: channel });
}

export const listen = (name, cb) => T.event.listen(name, (e) => cb(e.payload));
export const assetUrl = (path) => (path ? T.core.convertFileSrc(path) : null);
export const onDragDrop = (cb) => T.webview.getCurrentWebview().onDragDropEvent((e) => cb(e.payload));
