// The code editor: CodeMirror 5 (vendored under ui/vendor/codemirror5, MIT) with its Python mode,
// line numbers and the app's colours (css/studio.css). Loaded on first use as classic scripts (it
// sets window.CodeMirror), so the app starts without it. A plain textarea stands in if it cannot
// load, so a scene's code is never out of reach.
import { h } from "./dom.js";

const VENDOR = "vendor/codemirror5";
/** @type {Promise<any> | null} */
let loading = null;

function script(src) {
  return new Promise((resolve, reject) => {
    const s = h("script", { src });
    s.addEventListener("load", () => resolve(null));
    s.addEventListener("error", () => reject(new Error(`cannot load ${src}`)));
    document.head.append(s);
  });
}

/** CodeMirror, loaded once. */
function codeMirror() {
  const w = /** @type {any} */ (window);
  if (w.CodeMirror) return Promise.resolve(w.CodeMirror);
  loading ||= (async () => {
    document.head.append(h("link", { rel: "stylesheet", href: `${VENDOR}/codemirror.css` }));
    await script(`${VENDOR}/codemirror.js`);
    await script(`${VENDOR}/mode/python/python.js`);
    return w.CodeMirror;
  })();
  return loading;
}

/**
 * An editor for Python code inside `host`.
 * @param {HTMLElement} host
 * @param {{value: string, label: string, onChange: (value: string) => void}} o
 * @returns {Promise<{get: () => string, set: (v: string) => void, focus: () => void, setReadOnly: (ro: boolean) => void, goTo: (line: number) => void}>}
 */
export async function codeEditor(host, { value, label, onChange }) {
  let CM = null;
  try {
    CM = await codeMirror();
  } catch {
    CM = null;
  }
  if (!CM) {
    const ta = /** @type {HTMLTextAreaElement} */ (h("textarea", { class: "code-fallback", spellcheck: "false", "aria-label": label }));
    ta.value = value;
    ta.addEventListener("input", () => onChange(ta.value));
    host.replaceChildren(ta);
    const goTo = (line) => {
      const at = ta.value.split("\n").slice(0, line - 1).join("\n").length + (line > 1 ? 1 : 0);
      ta.focus();
      ta.setSelectionRange(at, at);
    };
    return { get: () => ta.value, set: (v) => { ta.value = v; }, focus: () => ta.focus(), setReadOnly: (ro) => { ta.readOnly = ro; }, goTo };
  }
  host.replaceChildren();
  const cm = CM(host, {
    value,
    mode: { name: "python", version: 3 },
    lineNumbers: true,
    indentUnit: 4,
    tabSize: 4,
    indentWithTabs: false,
    lineWrapping: false,
    screenReaderLabel: label,
    // Tab indents; Escape then Tab (or Shift+Tab at the start) leaves the editor, so the
    // keyboard is never trapped.
    extraKeys: {
      Tab: (ed) => (ed.somethingSelected() ? ed.indentSelection("add") : ed.replaceSelection("    ", "end")),
      "Shift-Tab": (ed) => ed.indentSelection("subtract"),
      Esc: (ed) => { ed.getInputField().blur(); host.focus(); },
    },
  });
  host.tabIndex = -1;
  cm.on("change", () => onChange(cm.getValue()));
  // The host may have been laid out while hidden: measure again once it is on screen.
  requestAnimationFrame(() => cm.refresh());
  return {
    get: () => cm.getValue(),
    set: (v) => { cm.setValue(v); cm.clearHistory(); },
    focus: () => cm.focus(),
    setReadOnly: (ro) => {
      cm.setOption("readOnly", ro);
      cm.getWrapperElement().classList.toggle("CodeMirror-readonly", ro);
    },
    goTo: (line) => {
      cm.focus();
      cm.setCursor({ line: line - 1, ch: 0 });
      cm.scrollIntoView(null, 120);
      host.scrollIntoView({ block: "nearest", behavior: "smooth" });
    },
  };
}
