// The Tauri API for plain ES modules: the app injects it as `window.__TAURI__` (withGlobalTauri),
// so the web view needs no bundler. The types are those of the @tauri-apps/api package (a dev
// dependency, for `tsc --checkJs` only). The generated bindings import `invoke` and `Channel`
// from here instead of "@tauri-apps/api/core".

/** @type {{ core: typeof import("@tauri-apps/api/core"), event: typeof import("@tauri-apps/api/event"), webview: typeof import("@tauri-apps/api/webview") }} */
const T = /** @type {any} */ (globalThis).__TAURI__;

/** @type {typeof import("@tauri-apps/api/core").invoke} */
export const invoke = (cmd, args, options) => T.core.invoke(cmd, args, options);
const TauriChannel = /** @type {typeof import("@tauri-apps/api/core").Channel} */ (T?.core.Channel ?? class {});
/**
 * Tauri's `Channel` (a class, so that it is also a type for the bindings' JSDoc).
 * @template T
 * @extends {TauriChannel<T>}
 */
export class Channel extends TauriChannel {}
/** @type {typeof import("@tauri-apps/api/core").convertFileSrc} */
export const convertFileSrc = (path, protocol) => T.core.convertFileSrc(path, protocol);
/** @type {typeof import("@tauri-apps/api/event").listen} */
export const listen = (event, handler, options) => T.event.listen(event, handler, options);
export const currentWebview = () => T.webview.getCurrentWebview();
