// Videos in the web view. WebKitGTK's GStreamer backend cannot stream custom URL schemes (WebKit
// bug 146351, tauri#3725), so on Linux a video is fetched through the asset protocol into a blob
// (one per element, freed when the element gets another).
import { h } from "./dom.js";

/** @type {WeakMap<HTMLVideoElement, string>} */
const blobs = new WeakMap();

/**
 * Points `v` at the file behind `url` (an asset URL). `onError` gets the reason it cannot load.
 * @param {HTMLVideoElement} v
 * @param {string} url
 * @param {(message: string) => void} [onError]
 */
export function setVideo(v, url, onError) {
  v.dataset.src = url;
  if (!navigator.userAgent.includes("Linux")) {
    v.src = url;
    return;
  }
  fetch(url)
    .then((r) => (r.ok ? r.blob() : Promise.reject(new Error(`HTTP ${r.status}`))))
    .then((b) => {
      if (v.dataset.src !== url) return; // another video was chosen meanwhile
      const old = blobs.get(v);
      if (old) URL.revokeObjectURL(old);
      const obj = URL.createObjectURL(b);
      blobs.set(v, obj);
      v.src = obj;
    })
    .catch((e) => onError?.(e.message));
}

/**
 * A video element playing `url`; on failure it is replaced by a note.
 * @param {Record<string, any>} attrs
 * @param {string} url
 */
export function video(attrs, url) {
  const v = /** @type {HTMLVideoElement} */ (h("video", { controls: true, preload: "metadata", ...attrs }));
  setVideo(v, url, (msg) => v.replaceWith(h("p", { class: "note-box" }, `The player could not load the video (${msg}); use Open.`)));
  return v;
}
