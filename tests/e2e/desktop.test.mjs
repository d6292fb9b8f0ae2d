// End to end in the real app window: tauri-driver + WebKitWebDriver under Xvfb (run by
// scripts/test-desktop.sh). Starts a job from the form (no dialog), watches it reach 100 % with
// every stage, checks the result and the Open buttons; cancels a rendering job and checks the
// process table; queues three jobs and drives the queue (three bars, follow, pin, finished one
// click away) at 1024x768; checks the history's details (scene lengths); restarts the app and
// finds the history. Screenshots go to $SHOTS.
import test from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { execFileSync } from "node:child_process";
import { Builder, By, until } from "selenium-webdriver";

const APP = process.env.APP_PATH;
const SHOTS = process.env.SHOTS || "test-output/screenshots";
const DATA = process.env.THEORY2VIDEO_DATA_DIR;
const METRICS = process.env.METRICS || "test-output/metrics.json";
const metrics = {};
fs.mkdirSync(SHOTS, { recursive: true });
// A WebDriver call that never answers (see `shot`) must not keep this process alive at the end.
test.after(() => setTimeout(() => process.exit(), 3000).unref());

async function launch() {
  const t0 = Date.now();
  const driver = await new Builder()
    .usingServer(`http://127.0.0.1:${process.env.DRIVER_PORT ?? 4444}/`)
    .withCapabilities({ browserName: "wry", "tauri:options": { application: APP } })
    .build();
  await driver.wait(until.elementLocated(By.css("body[data-ready='1']")), 30000);
  const sinceNav = await driver.executeScript("return performance.now()");
  return { driver, readyMs: Date.now() - t0, sinceNav };
}

const timeout = (ms) => new Promise((_, reject) => setTimeout(() => reject(new Error("timeout")), ms));

/** WebDriver's screenshot of the web view; the X screen (ImageMagick) if that does not answer. */
async function shot(driver, name) {
  const file = path.join(SHOTS, `${name}.png`);
  try {
    const png = await Promise.race([driver.takeScreenshot(), timeout(8000)]);
    fs.writeFileSync(file, png, "base64");
  } catch {
    execFileSync("/usr/bin/import", ["-window", "root", file]);
  }
}

const quit = (driver) => Promise.race([driver.quit(), timeout(15000)]).catch(() => {});

/** An element's textContent (read in the page: the view repaints while a job runs). */
const text = (driver, css) =>
  driver.executeScript("return document.querySelector(arguments[0])?.textContent ?? null", css);

/** RSS in MB of the app and its WebKit helpers. */
function rss() {
  const out = {};
  for (const pid of fs.readdirSync("/proc").filter((d) => /^\d+$/.test(d))) {
    try {
      const comm = fs.readFileSync(`/proc/${pid}/comm`, "utf8").trim();
      if (!/^(theory2video-de|WebKitWebProces|WebKitNetworkPr)/.test(comm)) continue;
      const kb = Number(/VmRSS:\s+(\d+)/.exec(fs.readFileSync(`/proc/${pid}/status`, "utf8"))?.[1] || 0);
      out[comm] = (out[comm] || 0) + Math.round(kb / 1024);
    } catch { /* gone */ }
  }
  return out;
}

/** Processes whose command line mentions the data dir (manim, bwrap, ffmpeg of our jobs). */
function jobProcesses() {
  const found = [];
  for (const pid of fs.readdirSync("/proc").filter((d) => /^\d+$/.test(d))) {
    try {
      const cmd = fs.readFileSync(`/proc/${pid}/cmdline`, "utf8").replace(/\0/g, " ");
      const state = /State:\s+(\w)/.exec(fs.readFileSync(`/proc/${pid}/status`, "utf8"))?.[1];
      if (cmd.includes(DATA) && state !== "Z") found.push(`${pid}: ${cmd.slice(0, 160)}`);
    } catch { /* gone */ }
  }
  return found;
}

async function fillForm(driver, topic, description, scenes, quality = "preview") {
  await driver.findElement(By.css("#tab-create")).click();
  const t = await driver.findElement(By.css("#topic"));
  await t.clear();
  await t.sendKeys(topic);
  const d = await driver.findElement(By.css("#description"));
  await d.clear();
  await d.sendKeys(description);
  const m = await driver.findElement(By.css("#max-scenes"));
  await m.clear();
  await m.sendKeys(String(scenes));
  await driver.executeScript(`document.querySelector('#quality').value = '${quality}'`);
  await driver.findElement(By.css("#submit")).click();
}

test("desktop app end to end", { timeout: 600000 }, async (t) => {
  let { driver, readyMs, sinceNav } = await launch();
  metrics.firstLaunchReadyMs = readyMs;
  metrics.firstLaunchSinceNavigationMs = Math.round(sinceNav);
  try {
    await t.test("empty state and form validation", async () => {
      await driver.sleep(500);
      metrics.rssIdleMb = rss();
      await shot(driver, "01-start-empty");
      assert.match(await text(driver, "#live"), /No video in progress/);
      await driver.findElement(By.css("#submit")).click();
      // The rules are Rust's (t2v_core::form), asked through check_form.
      await driver.wait(async () => /topic/i.test(await text(driver, "#topic-error")), 5000, "the topic's problem");
      assert.match(await text(driver, "#description-error"), /10 characters/);
      assert.equal(await driver.executeScript("return document.activeElement.id"), "topic", "focus on the first problem");
      await shot(driver, "02-form-validation");
    });

    await t.test("a job reaches 100 % with every stage shown", async () => {
      await fillForm(driver, "Pythagorean theorem",
        "In a right triangle the square of the hypotenuse equals the sum of the squares of the legs: a² + b² = c².", 2);
      const seen = new Set();
      const percents = [];
      let midShot = false;
      const deadline = Date.now() + 240000;
      for (;;) {
        const [stage, pct, status] = await driver.executeScript(
          "const q = (s) => document.querySelector(s)?.textContent ?? null; return [q('#live-stage'), q('#live-percent'), q('#live-status')];");
        if (stage) seen.add(stage);
        if (pct) percents.push(parseInt(pct, 10));
        if (!midShot && stage === "Rendering scenes") {
          midShot = true;
          metrics.rssDuringJobMb = rss();
          await shot(driver, "03-job-rendering");
        }
        if (status === "completed" || status === "failed") break;
        assert.ok(Date.now() < deadline, `stuck at ${stage} ${pct}`);
        await driver.sleep(40);
      }
      assert.equal(await text(driver, "#live-status"), "completed", await text(driver, "#live-error"));
      await driver.wait(async () => (await text(driver, "#live-percent")) === "100 %", 5000);
      const states = await driver.executeScript(
        "return [...document.querySelectorAll('#stage-list li')].map(li => [li.textContent, li.dataset.state])");
      assert.equal(states.length, 8);
      for (const [label, state] of states) assert.equal(state, "done", label);
      metrics.stagesSeenWhilePolling = [...seen];
      for (let i = 1; i < percents.length; i++) assert.ok(percents[i] >= percents[i - 1], "progress never goes back");
      // Thumbnail loaded through the asset protocol; the player has the video; buttons enabled.
      await driver.wait(() => driver.executeScript("const i = document.querySelector('#thumbnail'); return !!i && i.complete && i.naturalWidth > 0"), 10000);
      await driver.wait(async () => {
        const [ready, err] = await driver.executeScript(
          "const v = document.querySelector('#player'); return [!!v && v.readyState >= 1 && v.duration > 0, v?.error?.code ?? null]");
        assert.equal(err, null, "the in-app player cannot play the video (GStreamer: install gstreamer1.0-libav)");
        return ready;
      }, 15000, "the in-app player loads the video");
      // The narration's subtitles are a text track of the player.
      await driver.wait(() => driver.executeScript(
        "const t = document.querySelector('#player track'); return !!t && t.kind === 'subtitles' && t.track.cues !== undefined"),
        10000, "the player has the subtitles track");
      for (const id of ["#btn-open-video", "#btn-open-thumbnail", "#btn-show-folder"]) {
        assert.equal(await driver.findElement(By.css(id)).isEnabled(), true, id);
      }
      await driver.wait(async () => !(await driver.executeScript("return document.querySelector('#live-toggle').checked")), 5000,
        "live updates switch off when no job is active");
      await shot(driver, "04-job-completed");
    });

    await t.test("cancelling a rendering job leaves no render process", async () => {
      await fillForm(driver, "Conservation of momentum",
        "In a closed system the total momentum stays the same: m1 v1 + m2 v2 = m1 v1' + m2 v2'.", 4, "standard");
      const liveOn = () => driver.executeScript("return document.querySelector('#live-toggle')?.checked");
      await driver.wait(liveOn, 5000, "live updates switch on for a new job");
      await driver.wait(async () => (await text(driver, "#live-stage")) === "Rendering scenes", 120000);
      await driver.wait(async () => jobProcesses().length > 0, 20000).catch(() => {});
      metrics.renderProcessesBeforeCancel = jobProcesses().length;
      // The live view re-renders with every pushed event: find and click in one step, so the
      // button cannot go stale in between.
      await driver.wait(() => driver.executeScript(
        "const b = document.querySelector('#btn-cancel'); if (!b || b.disabled) return false; b.click(); return true;"),
        10000, "the Cancel button");
      await driver.wait(async () => (await text(driver, "#live-status")) === "cancelled", 30000);
      await driver.sleep(500);
      assert.deepEqual(jobProcesses(), [], "no render process left");
      assert.ok(await driver.findElement(By.css("#btn-resume")).isDisplayed());
      await shot(driver, "05-job-cancelled");
    });

    await t.test("three queued jobs: three bars; the live view follows the running one unless pinned", async () => {
      await driver.manage().window().setRect({ width: 1024, height: 768 });
      const topics = ["Queue one: Euler's formula", "Queue two: Bayes' theorem", "Queue three: Fermat's little theorem"];
      for (const topic of topics) {
        await fillForm(driver, topic, `A short explainer of ${topic.split(": ")[1]} for the queue test.`, 1);
        await driver.wait(async () => (await driver.executeScript("return document.querySelector('#topic').value")) === "", 10000,
          `${topic} was queued`);
      }
      const rows = () => driver.executeScript(`return [...document.querySelectorAll('#queue-active .q-row')].map(r => ({
        topic: r.querySelector('.q-topic').textContent, status: r.querySelector('.q-status').textContent,
        bar: !!r.querySelector('.q-bar[role=progressbar] > div'), stage: r.querySelector('.q-stage').textContent,
        eta: r.querySelector('.q-eta').textContent }))`);
      await driver.wait(async () => {
        const r = await rows();
        return r.length === 3 && r[0].status === "running";
      }, 90000, "three rows, the first running");
      let r = await rows();
      assert.deepEqual(r.map((x) => x.topic), topics);
      assert.ok(r.every((x) => x.bar), "each job has its own bar");
      assert.deepEqual(r.map((x) => x.status), ["running", "queued", "queued"]);
      assert.equal(r[1].stage, "Waiting for its turn");
      assert.equal(await text(driver, "#live-topic"), topics[0], "the live view follows the running job");
      await driver.wait(async () => /left|estimating/.test((await rows())[0].eta), 20000, "the running row has an ETA");
      await shot(driver, "09-queue-three-jobs-1024x768");

      const pick = (sel, i) => driver.executeScript(`document.querySelectorAll('${sel} .q-pick')[${i}].click()`);
      await pick("#queue-active", 2);
      await driver.wait(async () => (await text(driver, "#live-topic")) === topics[2], 5000, "the pinned job is shown");
      assert.ok(await text(driver, "#pin-note"), "the view says it is pinned");
      assert.equal(await driver.executeScript("return document.querySelectorAll('#queue-active .q-pick')[2].getAttribute('aria-pressed')"), "true");
      await shot(driver, "13-queue-pinned-1024x768");
      await driver.executeScript("document.querySelector('#btn-follow').click()");
      await driver.wait(async () => (await text(driver, "#live-topic")) === topics[0], 5000, "following the running job again");

      // The running job ends: the view moves on to the next one; the ended one stays one click away.
      await driver.wait(() => driver.executeScript(
        "const b = document.querySelector('#btn-cancel'); if (!b || b.disabled) return false; b.click(); return true;"), 10000, "Cancel");
      await driver.wait(async () => (await text(driver, "#live-topic")) === topics[1], 60000, "the live view follows the next job");
      await driver.wait(async () => (await rows()).length === 2, 10000);
      const finished = await driver.executeScript(
        "return [...document.querySelectorAll('#queue-finished .q-row')].map(r => [r.querySelector('.q-topic').textContent, r.querySelector('.q-status').textContent])");
      assert.equal(finished[0][0], topics[0], JSON.stringify(finished));
      assert.match(finished[0][1], /cancelled|completed/);
      await shot(driver, "14-queue-followed-next-1024x768");
      await pick("#queue-finished", 0);
      await driver.wait(async () => (await text(driver, "#live-topic")) === topics[0], 5000, "a finished job is one click away");
      assert.match(await text(driver, "#live-status"), /cancelled|completed/);

      // Stop the other two (pin each, cancel it).
      for (const topic of topics.slice(1)) {
        await driver.executeScript(`[...document.querySelectorAll('#queue-active .q-row')].find(r => r.querySelector('.q-topic').textContent === arguments[0])?.querySelector('.q-pick').click()`, topic);
        await driver.wait(async () => (await text(driver, "#live-topic")) === topic, 5000);
        // Cancel it (unless it finished meanwhile).
        await driver.wait(() => driver.executeScript(`const b = document.querySelector('#btn-cancel');
          if (!b) return !['queued', 'running'].includes(document.querySelector('#live-status')?.textContent);
          if (b.disabled) return false; b.click(); return true;`), 10000, `Cancel ${topic}`);
        await driver.wait(async () => /cancelled|completed/.test(await text(driver, "#live-status")), 30000, `${topic} ended`);
      }
      await driver.wait(async () => (await rows()).length === 0, 10000, "nothing left in the queue");
      await driver.manage().window().setRect({ width: 1280, height: 860 });
    });

    await t.test("history and settings", async () => {
      await driver.findElement(By.css("#tab-history")).click();
      await driver.wait(until.elementLocated(By.css("#history-table tbody tr")), 10000);
      const row = await driver.findElement(By.css("#history-table tbody tr:last-child td"));
      await driver.executeScript("arguments[0].scrollIntoView({block: 'center'})", row);
      await row.click();
      await driver.wait(until.elementLocated(By.css("#timeline")), 10000);
      // Every rendered scene shows its length (it was blank: the UI read durationSecs).
      const lengths = await driver.executeScript(
        "return [...document.querySelectorAll('#details .scene-length')].map(td => td.textContent)");
      assert.equal(lengths.length, 2, "two scenes");
      for (const l of lengths) assert.match(l, /^\d+ s$|min/, `scene length shown: ${lengths}`);
      await shot(driver, "06-history-details");
      await driver.findElement(By.css("#tab-settings")).click();
      await driver.wait(until.elementLocated(By.css("#doctor-summary")), 30000);
      await shot(driver, "07-settings-doctor");
      // The smallest size we promise to be readable at.
      await driver.manage().window().setRect({ width: 1024, height: 768 });
      await driver.sleep(300);
      await shot(driver, "10-settings-1024x768");
      await driver.findElement(By.css("#tab-create")).click();
      await shot(driver, "11-live-1024x768");
      await driver.findElement(By.css("#tab-history")).click();
      await shot(driver, "12-history-1024x768");
    });
  } finally {
    await quit(driver);
  }

  await t.test("after a restart the history is there", async () => {
    ({ driver, readyMs, sinceNav } = await launch());
    metrics.secondLaunchReadyMs = readyMs;
    try {
      await driver.findElement(By.css("#tab-history")).click();
      await driver.wait(until.elementLocated(By.css("#history-table tbody tr")), 10000);
      const rows = await driver.executeScript(
        "return [...document.querySelectorAll('#history-table tbody tr')].map(r => r.textContent)");
      assert.equal(rows.length, 5);
      const row = (topic) => rows.find((r) => r.includes(topic)) || "";
      assert.match(row("Pythagorean theorem"), /completed/, rows.join(" | "));
      assert.match(row("Conservation of momentum"), /cancelled/, rows.join(" | "));
      const stats = await text(driver, "#stats");
      assert.match(stats, /5\s*Total/);
      await shot(driver, "08-restart-history");
    } finally {
      await quit(driver);
    }
  });
  fs.writeFileSync(METRICS, JSON.stringify(metrics, null, 2));
});
