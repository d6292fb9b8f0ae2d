import { existsSync, readFileSync } from "node:fs";
// The scene studio end to end in the real app window (tauri-driver + WebKitWebDriver under Xvfb,
// run by scripts/test-desktop.sh tests/e2e/studio.test.mjs). Makes a two-scene video from the
// form, opens scene 2 from its card, edits its narration, re-renders it while watching the
// progress, plays the new video version and the previous one, opens the previous one with the
// system player, edits scene 1's code so that a text runs off the frame and shows the layout
// findings, and checks the History's extras (scene cards, LLM usage, Edit as new, Clear finished
// jobs… with its confirmation). Screenshots go to $SHOTS (studio-*.png).
import test from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { execFileSync } from "node:child_process";
import { Builder, By, until } from "selenium-webdriver";

const APP = process.env.APP_PATH;
const SHOTS = process.env.SHOTS || "test-output/screenshots";
const PORT = process.env.DRIVER_PORT || "4444";
fs.mkdirSync(SHOTS, { recursive: true });
test.after(() => setTimeout(() => process.exit(), 3000).unref());

const timeout = (ms) => new Promise((_, reject) => setTimeout(() => reject(new Error("timeout")), ms));

async function launch() {
  const driver = await new Builder()
    .usingServer(`http://127.0.0.1:${PORT}/`)
    .withCapabilities({ browserName: "wry", "tauri:options": { application: APP } })
    .build();
  await driver.wait(until.elementLocated(By.css("body[data-ready='1']")), 30000);
  return driver;
}

async function shot(driver, name) {
  const file = path.join(SHOTS, `studio-${name}.png`);
  try {
    const png = await Promise.race([driver.takeScreenshot(), timeout(8000)]);
    fs.writeFileSync(file, png, "base64");
  } catch {
    execFileSync("/usr/bin/import", ["-window", "root", file]);
  }
}

const js = (driver, body, ...args) => driver.executeScript(body, ...args);
const text = (driver, css) => js(driver, "return document.querySelector(arguments[0])?.textContent ?? null", css);
/** Clicks in the page (the views repaint while a job runs: find and click in one step). */
const click = (driver, css) => driver.wait(() => js(driver,
  "const b = document.querySelector(arguments[0]); if (!b || b.disabled) return false; b.scrollIntoView({block: 'center'}); b.click(); return true;", css),
  10000, `click ${css}`);
/** A video element has loaded a playable file (readyState ≥ 1, a length). */
const videoReady = (driver, css) => js(driver,
  "const v = document.querySelector(arguments[0]); return !!v && v.readyState >= 1 && v.duration > 0 && !v.error ? v.duration : 0", css);

/** Watches the studio's progress strip until the change ends; returns what it saw. */
async function watchChange(driver, shotName) {
  const seen = new Set();
  const percents = [];
  let shotTaken = false;
  const deadline = Date.now() + 180000;
  for (;;) {
    const [state, stage, pct] = await js(driver, `const q = (s) => document.querySelector(s);
      return [q('#studio-progress .sp')?.dataset.state, q('#studio-stage')?.textContent, q('#studio-percent')?.textContent];`);
    if (state === "running") {
      if (stage) seen.add(stage);
      if (pct) percents.push(parseInt(pct, 10));
      if (!shotTaken && shotName && percents.length > 2) {
        shotTaken = true;
        await js(driver, "window.scrollTo(0, 0)");
        await shot(driver, shotName);
      }
    }
    // The strip still shows the last change's outcome until the new one starts.
    if ((state === "done" || state === "failed") && seen.size) return { state, seen: [...seen], percents };
    assert.ok(Date.now() < deadline, `the change is stuck at ${stage} ${pct}`);
    await driver.sleep(50);
  }
}

test("scene studio end to end", { timeout: 900000 }, async (t) => {
  const driver = await launch();
  try {
    await driver.manage().window().setRect({ width: 1280, height: 860 });
    // Warm renders go without the layout probe (the core's documented limit): render cold, so
    // the scenes' layout is checked and findings can show.
    await driver.executeAsyncScript(`const done = arguments[arguments.length - 1];
      const inv = window.__TAURI__.core.invoke;
      inv("get_settings").then((v) => inv("set_settings", { settings: { ...v.settings, warm_renders: false } })).then(() => done(null), (e) => done(String(e?.message ?? e)));`)
      .then((err) => assert.equal(err, null, "settings saved"));
    await t.test("a finished job shows its scenes as cards", async () => {
      await driver.findElement(By.css("#tab-create")).click();
      await driver.findElement(By.css("#topic")).sendKeys("Pythagorean theorem");
      await driver.findElement(By.css("#description")).sendKeys(
        "In a right triangle the square of the hypotenuse equals the sum of the squares of the legs: a² + b² = c².");
      await driver.findElement(By.css("#max-scenes")).sendKeys("2");
      await js(driver, "document.querySelector('#quality').value = 'preview'");
      await driver.findElement(By.css("#submit")).click();
      await driver.wait(async () => /completed|failed/.test(await text(driver, "#live-status")), 300000, "the job ends");
      assert.equal(await text(driver, "#live-status"), "completed", await text(driver, "#live-error"));
      await driver.wait(() => js(driver, "return document.querySelectorAll('#live .scene-card').length === 2"), 10000, "two scene cards");
      const cards = await js(driver, `return [...document.querySelectorAll('#live .scene-card')].map(c => ({
        title: c.querySelector('.sc-title').textContent, status: c.querySelector('.badge').textContent,
        length: c.querySelector('.scene-length').textContent, version: c.querySelector('.sc-ver').textContent,
        img: !!c.querySelector('img') }))`);
      for (const c of cards) {
        assert.match(c.status, /rendered|cached/, JSON.stringify(c));
        assert.match(c.length, /\d+ s/);
        assert.equal(c.version, "v0");
        assert.ok(c.img, "the card shows the scene's snapshot");
      }
      await driver.wait(() => js(driver, "return [...document.querySelectorAll('#live .scene-card img')].every(i => i.complete && i.naturalWidth > 0)"), 10000, "snapshots load");
      await shot(driver, "01-live-scene-cards");
    });

    let before = 0;
    await t.test("scene 2 in the studio: clip, narration, plan, highlighted code with line numbers", async () => {
      await click(driver, "#live .scene-card[data-scene='2']");
      await driver.wait(until.elementLocated(By.css("#panel-studio:not([hidden]) #scene-title")), 10000);
      assert.match(await text(driver, "#scene-title"), /^Scene 2 · /);
      assert.equal(await text(driver, "#scene-version"), "v0");
      await driver.wait(() => js(driver, "return !!document.querySelector('#code-editor .CodeMirror .CodeMirror-linenumber')"), 10000, "the editor with line numbers");
      const tokens = await js(driver, "return document.querySelectorAll('#code-editor .cm-keyword').length");
      assert.ok(tokens > 3, "Python keywords are highlighted");
      assert.ok((await js(driver, "return document.querySelector('#scene-narration').value")).length > 20, "the narration text");
      assert.ok((await js(driver, "return document.querySelector('#scene-plan pre')?.textContent.length ?? 0")) > 20, "the plan");
      await driver.wait(() => videoReady(driver, "#scene-clip"), 15000, "the scene's clip loads");
      before = await driver.wait(() => videoReady(driver, "#version-player"), 15000, "the video loads");
      assert.equal(await js(driver, "return document.querySelector('#version-player').dataset.version"), "0");
      assert.equal(await js(driver, "return document.querySelector('#act-rerender').disabled"), true, "nothing to re-render yet");
      const notes = await text(driver, "#scene-action-notes");
      assert.match(notes, /Edit the narration or the code first/);
      assert.match(notes, /Revise with instructions: .*storyboard/, "the offline writer's reason");
      assert.equal(await js(driver, "return document.querySelector('#act-revise').disabled"), true);
      await shot(driver, "02-scene-2");
      await js(driver, "document.querySelector('#scene-plan').open = true; document.querySelector('#scene-log-box').open = true");
      await shot(driver, "03-scene-2-plan-log");
    });

    await t.test("edit the narration, re-render with live progress, the new version plays", async () => {
      const narration = "Here is the new narration for this scene. It is longer than the first one, so the scene runs longer: " +
        "the square on the hypotenuse has the same area as the two other squares together, and we can check it with three, four and five.";
      await js(driver, `const ta = document.querySelector('#scene-narration'); ta.focus(); ta.value = arguments[0];
        ta.dispatchEvent(new Event('input', {bubbles: true}));`, narration);
      assert.equal(await js(driver, "return document.querySelector('#act-rerender').disabled"), false);
      assert.equal(await js(driver, "return document.querySelector('#scene-dirty').hidden"), false, "marked edited");
      await shot(driver, "04-narration-edited");
      await click(driver, "#act-rerender");
      const run = await watchChange(driver, "05-rerendering");
      assert.equal(run.state, "done", await text(driver, "#studio-outcome"));
      assert.ok(run.seen.length >= 2, `stages shown: ${run.seen}`);
      // "Completed" may show only as this run's own last stage, never as the first (the last run's).
      const done = run.seen.indexOf("Completed");
      assert.ok(done === -1 || done === run.seen.length - 1, `a running change starts at its own stage: ${run.seen}`);
      for (let i = 1; i < run.percents.length; i++) assert.ok(run.percents[i] >= run.percents[i - 1], `progress never goes back: ${run.percents}`);
      await driver.wait(async () => (await text(driver, "#scene-version")) === "v1", 10000, "scene 2 is at version 1");
      assert.equal(await js(driver, "return document.querySelector('#scene-narration').value"), narration);
      const rows = await js(driver, "return [...document.querySelectorAll('#version-list .v-row')].map(r => r.dataset.version)");
      assert.deepEqual(rows, ["1", "0"], "the new version first, the first one kept");
      assert.match(await text(driver, "#version-list .v-row[data-version='1'] .v-title"), /scene 2.*narration/i);
      assert.equal(await js(driver, "return document.querySelector('#version-player').dataset.version"), "1", "the new version is in the player");
      const after = await driver.wait(() => videoReady(driver, "#version-player"), 15000, "the new version plays");
      assert.ok(after > before + 1, `the video follows the longer narration: ${before} s → ${after} s`);
      await js(driver, "document.querySelector('#version-player').play()");
      await driver.sleep(700);
      assert.ok(await js(driver, "return document.querySelector('#version-player').currentTime > 0"), "it plays");
      await js(driver, "document.querySelector('#version-player').pause()");
      await js(driver, "document.querySelector('#video-versions').scrollIntoView({block: 'end'})");
      await shot(driver, "06-new-version");
      await js(driver, "window.scrollTo(0, 0)");
      await shot(driver, "07-studio-after-edit");
    });

    await t.test("the previous version plays and opens", async () => {
      await click(driver, "#version-list .v-row[data-version='0'] .v-play");
      await driver.wait(() => js(driver, "return document.querySelector('#version-player').dataset.version === '0'"), 5000);
      const len = await driver.wait(() => videoReady(driver, "#version-player"), 15000, "version 0 plays");
      assert.ok(Math.abs(len - before) < 0.5, `version 0 is the first video (${len} s, was ${before} s)`);
      const opened = () => (process.env.T2V_E2E_OPENED && existsSync(process.env.T2V_E2E_OPENED)
        ? readFileSync(process.env.T2V_E2E_OPENED, "utf8").split("\n").filter(Boolean) : []);
      const openedBefore = opened().length;
      await click(driver, "#version-list .v-row[data-version='0'] .v-open");
      await driver.wait(async () => opened().length > openedBefore
        || (await js(driver, "return document.querySelectorAll('.toast.bad').length")) > 0, 10000, "the system's app is asked to open it");
      assert.equal(await js(driver, "return document.querySelectorAll('.toast.bad').length"), 0, await text(driver, ".toast.bad"));
      const file = opened().at(-1);
      assert.ok(file.endsWith(".mp4") && !/versions\/v1\//.test(file), `the first video is opened, not the new one: ${file}`);
      await js(driver, "document.querySelector('#video-versions').scrollIntoView({block: 'end'})");
      await shot(driver, "08-previous-version");
    });

    await t.test("a code edit that puts a text off the frame shows its layout findings", async () => {
      assert.equal(await js(driver, "return document.querySelector('#scene-dirty').hidden"), true, "no edit left over");
      await click(driver, "#scene-rail .scene-card[data-scene='1']");
      try {
        await driver.wait(async () => /^Scene 1 · /.test(await text(driver, "#scene-title")), 10000);
      } catch (e) {
        await shot(driver, "debug-scene-1");
        throw new Error(`scene 1 did not open: dialog ${await text(driver, "dialog[open]")}; studio ${(await text(driver, "#panel-studio"))?.slice(0, 300)}`);
      }
      await driver.wait(() => js(driver, "return !!document.querySelector('#code-editor .CodeMirror')"), 10000);
      const code = await js(driver, `const cm = document.querySelector('#code-editor .CodeMirror').CodeMirror;
        const src = cm.getValue();
        const at = src.indexOf('def construct(self):');
        if (at < 0) return null;
        const end = src.indexOf('\\n', at) + 1;
        const line = '        self.add(Text("A caption far too long for the frame, running past its right edge", font_size=40).move_to(RIGHT * 5))\\n';
        cm.setValue(src.slice(0, end) + line + src.slice(end));
        return cm.getValue();`);
      assert.ok(code, "the scene's code has a construct method");
      assert.equal(await js(driver, "return document.querySelector('#act-rerender').disabled"), false);
      await click(driver, "#act-rerender");
      const run = await watchChange(driver, null);
      assert.equal(run.state, "done", await text(driver, "#studio-outcome"));
      await driver.wait(async () => (await text(driver, "#scene-version")) === "v1", 10000);
      // The probe ran on the edited code, and a person's code is kept as written (never handed
      // to the writer's fix step): the finding is shown and the card says so.
      const findings = await text(driver, "#scene-findings");
      assert.doesNotMatch(findings, /not checked/, "the layout check ran on the edited code");
      await js(driver, "document.querySelector('#scene-log-box').open = true; document.querySelector('#scene-findings').scrollIntoView({block: 'center'})");
      await shot(driver, "09-layout-findings");
      assert.match(findings, /runs off|off the frame/i, `findings: ${findings}`);
      const badge = await text(driver, "#scene-rail .scene-card[data-scene='1'] .sc-layout");
      assert.match(badge || "", /layout (error|warning)/i, "the card says so");
      const kept = await js(driver, "return document.querySelector('#code-editor .CodeMirror').CodeMirror.getValue()");
      assert.match(kept, /A caption far too long for the frame/, "the person's line is still in the code");
    });

    await t.test("History: scene cards, LLM usage, Edit as new, Clear finished jobs… asks first", async () => {
      await click(driver, "#studio-back");
      await driver.findElement(By.css("#tab-history")).click();
      await driver.wait(until.elementLocated(By.css("#history-table tbody tr")), 10000);
      await click(driver, "#history-table tbody tr");
      await driver.wait(() => js(driver, "return document.querySelectorAll('#details .scene-card').length === 2"), 10000, "cards in details");
      assert.match(await text(driver, "#details-usage"), /offline storyboard writer uses no LLM/);
      await shot(driver, "10-history-details");
      await click(driver, "#details .scene-card[data-scene='2']");
      await driver.wait(async () => /^Scene 2 · /.test(await text(driver, "#scene-title") || ""), 10000, "the studio from History");
      assert.match(await text(driver, "#studio-back"), /History/);
      await click(driver, "#studio-back");
      await driver.wait(() => js(driver, "return !document.querySelector('#panel-history').hidden"), 5000);
      await click(driver, "#btn-edit-as-new");
      await driver.wait(() => js(driver, "return !document.querySelector('#panel-create').hidden"), 5000);
      assert.equal(await js(driver, "return document.querySelector('#topic').value"), "Pythagorean theorem");
      assert.match(await js(driver, "return document.querySelector('#description').value"), /hypotenuse/);
      assert.equal(await js(driver, "return document.querySelector('#max-scenes').value"), "2");
      assert.equal(await js(driver, "return document.querySelector('#quality').value"), "preview");
      await shot(driver, "11-edit-as-new");
      await driver.findElement(By.css("#tab-history")).click();
      // Other E2E files share this data dir, so the history may hold their jobs too.
      const rows = () => js(driver, "return [...document.querySelectorAll('#history-table tbody tr')].map(r => r.textContent)");
      const rowsBefore = (await rows()).length;
      await click(driver, "#clear-finished");
      await driver.wait(() => js(driver, "return !!document.querySelector('#clear-dialog[open]')"), 5000, "the confirmation");
      const asked = (await text(driver, "#clear-dialog")).match(/Delete (\d+) finished jobs?\?/);
      assert.ok(asked && Number(asked[1]) >= 1, `the dialog says how many: ${await text(driver, "#clear-dialog")}`);
      assert.match(await text(driver, "#clear-dialog"), /completed/);
      await shot(driver, "12-clear-confirm");
      await click(driver, "#clear-dialog-cancel");
      await driver.sleep(300);
      assert.equal((await rows()).length, rowsBefore, "Cancel deletes nothing");
      await click(driver, "#clear-finished");
      await click(driver, "#clear-dialog-ok");
      await driver.wait(async () => /No videos yet/.test(await text(driver, "#history-body"))
        || (await rows()).every((r) => !/\b(completed|cancelled|failed)\b/i.test(r)), 10000, "no finished job is left");
    });
  } finally {
    await Promise.race([driver.quit(), timeout(15000)]).catch(() => {});
  }
});
