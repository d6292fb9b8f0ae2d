// The new-job form, the drop zone and the "Open topic file…" dialog.
import { h, $, replace, toast } from "./dom.js";
import { api, onOpenPaths, onDragDrop } from "./api.js";
import { filesSummary, errorTitle, isConfigError } from "./logic.js";
import { FORM_LIMITS, QUALITIES } from "./bindings.js";
import { jobStarted } from "./live.js";
import { state } from "./state.js";

const form = () => $("#job-form");
let tried = false;
let pendingFiles = [];

/** The form's fields by the names Rust's rules use (t2v_core::form). */
const FIELDS = { topic: "#topic", description: "#description", max_scenes: "#max-scenes" };
const input = (sel) => /** @type {HTMLInputElement} */ ($(sel));
/** @returns {import("./bindings.js").FormInput} */
const typed = () => ({ topic: input("#topic").value, description: input("#description").value, max_scenes: input("#max-scenes").value });
const quality = () => /** @type {import("./bindings.js").Quality} */ (input("#quality").value);

/** Options for topic files (the scene cap only when the box holds a valid one). */
function fileOptions() {
  const max = input("#max-scenes").value.trim();
  const n = Number(max);
  return { quality: quality(), writer: input("#writer").value, max_scenes: max !== "" && Number.isInteger(n) ? n : null };
}

/** Shows Rust's verdict on each field; returns the problems. */
async function checkFields() {
  const problems = await api.checkForm(typed());
  const by = Object.fromEntries(problems.map((p) => [p.field, p.message]));
  for (const [field, sel] of Object.entries(FIELDS)) {
    $(`#${field}-error`).textContent = by[field] || "";
    $(sel).setAttribute("aria-invalid", by[field] ? "true" : "false");
  }
  return problems;
}

function formError(e) {
  const box = $("#form-error");
  if (!e) { box.hidden = true; return; }
  replace(box, h("strong", {}, `${errorTitle(e)}: `), e.message,
    isConfigError(e) ? [" ", h("button", { type: "button", class: "link", onclick: () => $("#tab-settings").click() }, "Open Settings")] : null);
  box.hidden = false;
}

async function submit(ev) {
  ev?.preventDefault();
  tried = true;
  formError(null);
  let problems;
  try {
    problems = await checkFields();
  } catch (e) {
    formError(e);
    return;
  }
  if (problems.length) {
    $(FIELDS[problems[0].field]).focus();
    return;
  }
  const btn = /** @type {HTMLButtonElement} */ ($("#submit"));
  btn.disabled = true;
  btn.textContent = "Starting…";
  try {
    const rec = await api.startJob({ form: typed(), quality: quality(), writer: input("#writer").value });
    toast(`Queued “${rec.topic}”`);
    input("#topic").value = "";
    input("#description").value = "";
    tried = false;
    jobStarted(rec);
  } catch (e) {
    formError(e);
  } finally {
    btn.disabled = false;
    btn.textContent = "Generate video";
  }
}

/** Previews topic files (dropped, chosen or handed over) with the number of jobs they make. */
export async function previewFiles(paths) {
  if (!paths?.length) return;
  const box = $("#files-preview");
  box.hidden = false;
  replace(box, h("p", { class: "hint" }, "Reading files…"));
  let files;
  try {
    files = await api.inspectFiles(paths);
  } catch (e) {
    replace(box, h("div", { class: "error-box" }, h("strong", {}, errorTitle(e)), e.message));
    return;
  }
  pendingFiles = files;
  const sum = filesSummary(files);
  replace(box,
    h("ul", {}, files.map((f) => h("li", {},
      h("strong", {}, f.name), " — ",
      f.error ? h("span", { class: "field-error" }, `${errorTitle(f.error)}: ${f.error.message}`)
        : [h("span", { class: "count" }, `${f.count} ${f.count === 1 ? "topic" : "topics"}`),
           h("div", { class: "hint" }, f.titles.join(" · "), f.count > f.titles.length ? ` · and ${f.count - f.titles.length} more` : "")]))),
    h("div", { class: "actions" },
      h("button", { type: "button", id: "queue-files", class: "primary", disabled: sum.count === 0, onclick: queueFiles },
        sum.count ? `Queue ${sum.count} ${sum.count === 1 ? "job" : "jobs"}` : "Nothing to queue"),
      h("button", { type: "button", onclick: clearFiles }, "Clear"),
      h("span", { class: "hint", id: "files-count" }, sum.text)));
  $("#queue-files")?.focus();
}

function clearFiles() {
  pendingFiles = [];
  replace($("#files-preview"));
  $("#files-preview").hidden = true;
}

async function queueFiles() {
  const paths = pendingFiles.filter((f) => !f.error).map((f) => f.path);
  const btn = /** @type {HTMLButtonElement} */ ($("#queue-files"));
  btn.disabled = true;
  try {
    const report = await api.startFromFiles(paths, fileOptions());
    toast(`Queued ${report.jobs.length} ${report.jobs.length === 1 ? "job" : "jobs"}`);
    clearFiles();
    for (const j of report.jobs) jobStarted(j);
  } catch (e) {
    toast(`${errorTitle(e)}: ${e.message}`, "bad");
    btn.disabled = false;
  }
}

export async function openDialog() {
  try {
    const paths = await api.pickTopicFiles();
    if (paths.length) previewFiles(paths);
  } catch (e) {
    toast(`${errorTitle(e)}: ${e.message}`, "bad");
  }
}

/**
 * "Edit as new": a job's topic, description and options in the form, ready to change and submit.
 * @param {{topic: string, description: string, quality: string, writer: string, max_scenes: number | null}} job
 */
export function loadIntoForm(job) {
  $("#tab-create").click();
  input("#topic").value = job.topic;
  input("#description").value = job.description;
  input("#quality").value = job.quality;
  const sel = /** @type {HTMLSelectElement} */ ($("#writer"));
  // A writer the list no longer offers (a removed profile) is added, so the form says what the job used.
  if (![...sel.options].some((o) => o.value === job.writer)) sel.append(h("option", { value: job.writer }, job.writer));
  sel.value = job.writer;
  input("#max-scenes").value = job.max_scenes == null ? "" : String(job.max_scenes);
  formError(null);
  if (tried) checkFields().catch(() => {});
  input("#topic").focus();
  toast(`Loaded “${job.topic}” into the form: change what you like and press Generate`);
}

/** Fills the writer list and the defaults from the settings. */
export function applySettings(view) {
  const sel = input("#writer");
  const current = view.settings.writer.kind;
  const names = view.writers.includes(current) ? view.writers : [current, ...view.writers];
  replace(sel, names.map((n) => h("option", { value: n, selected: n === current }, n === "storyboard" ? "Storyboard" : n)));
  input("#quality").value = view.settings.quality;
}

/** Quality choices and the limits' hints and attributes, all from Rust. */
function fillFromContract() {
  replace($("#quality"), QUALITIES.map((q) => h("option", { value: q.quality }, q.label)));
  const scenes = input("#max-scenes");
  scenes.min = String(FORM_LIMITS.min_scenes);
  scenes.max = String(FORM_LIMITS.max_scenes);
  input("#topic").maxLength = FORM_LIMITS.max_topic_chars;
  $("#scenes-hint").textContent = `${FORM_LIMITS.min_scenes}–${FORM_LIMITS.max_scenes}`;
  $("#description-hint").textContent = `what to explain · at least ${FORM_LIMITS.min_description_chars} characters`;
}

export function initCreate() {
  fillFromContract();
  form().addEventListener("submit", submit);
  form().addEventListener("keydown", (e) => { if (e.key === "Enter" && (e.ctrlKey || e.metaKey)) submit(e); });
  for (const sel of Object.values(FIELDS)) {
    $(sel).addEventListener("input", () => { if (tried) checkFields().catch(() => {}); });
  }
  $("#open-file").addEventListener("click", openDialog);
  const zone = $("#drop-zone");
  onDragDrop((p) => {
    if (p.type === "enter" || p.type === "over") zone.classList.add("over");
    else zone.classList.remove("over");
    if (p.type === "drop") { $("#tab-create").click(); previewFiles(p.paths); }
  });
  onOpenPaths((paths) => { $("#tab-create").click(); previewFiles(paths); });
  if (state.settings) applySettings(state.settings);
}
