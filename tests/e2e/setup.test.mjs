// First run in the real window, on a data dir with no venv: the window offers the set-up, the
// set-up shows real progress (uv's steps), Cancel stops it and leaves no process, a job submitted
// during the second set-up waits and then completes, and the doctor ends ready. The install is
// real (uv fills the venv; its cache was filled by the core tests earlier in the same run).
// Screenshots: $SHOTS/setup-*.png.
import test from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { execFileSync } from "node:child_process";
import { Builder, By, until } from "selenium-webdriver";

const APP = process.env.APP_PATH;
const SHOTS = process.env.SHOTS || "test-output/screenshots";
fs.mkdirSync(SHOTS, { recursive: true });
test.after(() => setTimeout(() => process.exit(), 3000).unref());

const timeout = (ms) => new Promise((_, reject) => setTimeout(() => reject(new Error("timeout")), ms));
async function shot(driver, name) {
  const file = path.join(SHOTS, `${name}.png`);
  try {
    fs.writeFileSync(file, await Promise.race([driver.takeScreenshot(), timeout(8000)]), "base64");
  } catch {
    execFileSync("/usr/bin/import", ["-window", "root", file]);
  }
}
const text = (driver, css) =>
  driver.executeScript("return document.querySelector(arguments[0])?.textContent ?? null", css);
const attr = (driver, css, name) =>
  driver.executeScript("return document.querySelector(arguments[0])?.getAttribute(arguments[1]) ?? null", css, name);

function processesMentioning(dir) {
  const found = [];
  for (const pid of fs.readdirSync("/proc").filter((d) => /^\d+$/.test(d))) {
    try {
      const cmd = fs.readFileSync(`/proc/${pid}/cmdline`, "utf8").replace(/\0/g, " ");
      const st = /State:\s+(\w)/.exec(fs.readFileSync(`/proc/${pid}/status`, "utf8"))?.[1];
      if (cmd.includes(dir) && st !== "Z") found.push(`${pid}: ${cmd.slice(0, 160)}`);
    } catch { /* gone */ }
  }
  return found;
}

/** Watches the set-up bar until `stop(value, message)` is true; returns the values seen. */
async function watchBar(driver, stop, ms) {
  const values = [];
  const deadline = Date.now() + ms;
  for (;;) {
    const [v, msg, done, err] = await driver.executeScript(
      "const q = (s) => document.querySelector(s); return [q('#setup-bar')?.getAttribute('aria-valuenow'), q('#setup-message')?.textContent, !!q('#setup-done'), q('#setup-error')?.textContent ?? null];");
    assert.equal(err, null, `the set-up failed: ${err}`);
    if (v != null) values.push(Number(v));
    if (done || stop(Number(v ?? 0), msg ?? "")) return { values, done };
    assert.ok(Date.now() < deadline, `set-up stuck at ${v} % (${msg})`);
    await driver.sleep(100);
  }
}

test("first run: offer, progress, cancel, queued job, ready doctor", { timeout: 900000 }, async (t) => {
  // A fresh data dir and no venv: the app is started through a wrapper that sets them.
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "t2v-e2e-setup-"));
  const venv = path.join(dir, "venv");
  const wrapper = path.join(dir, "app.sh");
  fs.writeFileSync(wrapper, `#!/bin/sh\nexport THEORY2VIDEO_DATA_DIR='${dir}/data' THEORY2VIDEO_CONFIG_DIR='${dir}/config' THEORY2VIDEO_VENV='${venv}'\nexec '${APP}' "$@"\n`, { mode: 0o755 });
  const driver = await new Builder()
    .usingServer(`http://127.0.0.1:${process.env.DRIVER_PORT ?? 4444}/`)
    .withCapabilities({ browserName: "wry", "tauri:options": { application: wrapper } })
    .build();
  try {
    await driver.wait(until.elementLocated(By.css("body[data-ready='1']")), 30000);

    await t.test("the window offers the set-up", async () => {
      await driver.wait(until.elementLocated(By.css("#setup-start")), 15000);
      assert.match(await text(driver, "#setup-offer"), /not set up yet/);
      await shot(driver, "setup-1-offer");
    });

    await t.test("Cancel stops the set-up and leaves no process", async () => {
      await driver.findElement(By.css("#setup-start")).click();
      // Cancel once the venv exists and the installer is being installed (5 %): with a warm
      // cache the later steps can pass in seconds.
      const { values, done } = await watchBar(driver, (v) => v >= 5, 240000);
      assert.ok(!done, "the set-up finished before Cancel could be clicked");
      await shot(driver, "setup-2-progress-before-cancel");
      assert.ok(values.length > 0);
      const t0 = Date.now();
      await driver.findElement(By.css("#setup-cancel")).click();
      await driver.wait(until.elementLocated(By.css("#setup-start")), 10000);
      assert.ok(Date.now() - t0 < 5000, `cancel took ${Date.now() - t0} ms`);
      assert.match(await text(driver, "#setup-offer"), /cancelled/);
      await driver.sleep(300);
      assert.deepEqual(processesMentioning(venv), []);
      await shot(driver, "setup-3-cancelled");
    });

    await t.test("the second set-up runs to ready while a submitted job waits, then the job completes", async () => {
      // This time from the doctor's "Set up Python" button on its Manim line.
      await driver.findElement(By.css("#tab-settings")).click();
      await driver.wait(until.elementLocated(By.css("[data-check='manim'] #doctor-setup")), 30000);
      assert.equal(await attr(driver, "[data-check='manim']", "data-ok"), "false");
      await shot(driver, "setup-3b-doctor-offers");
      await driver.findElement(By.css("#doctor-setup")).click();
      await driver.wait(until.elementLocated(By.css("#setup-bar")), 10000);
      // A job submitted now waits for the set-up.
      await driver.findElement(By.css("#tab-create")).click();
      await driver.findElement(By.css("#topic")).sendKeys("Pythagorean theorem");
      await driver.findElement(By.css("#description")).sendKeys("In a right triangle the square of the hypotenuse equals the sum of the squares of the legs.");
      const m = await driver.findElement(By.css("#max-scenes"));
      await m.clear();
      await m.sendKeys("1");
      await driver.executeScript("document.querySelector('#quality').value = 'preview'");
      await driver.findElement(By.css("#submit")).click();
      // While the set-up runs the job waits in its first stage.
      await driver.wait(async () => (await text(driver, "#live-status")) !== null, 30000);
      const waiting = await driver.executeScript("return [document.querySelector('#live-status')?.textContent, !!document.querySelector('#setup-bar')]");
      if (waiting[1]) assert.notEqual(waiting[0], "completed", "the job finished before the set-up it needs");
      await shot(driver, "setup-4-progress-job-waiting");
      let midShot = false;
      const { values, done } = await watchBar(driver, (v) => {
        if (!midShot && v >= 10) midShot = true;
        return false;
      }, 600000);
      assert.ok(midShot, "the bar passed 10 %");
      assert.ok(done);
      for (let i = 1; i < values.length; i++) assert.ok(values[i] >= values[i - 1], `progress went back: ${values}`);
      assert.ok(new Set(values).size >= 4, `a real bar moves through several values: ${[...new Set(values)]}`);
      await shot(driver, "setup-5-ready");
      // The job had to wait in its first stage, and goes on to a video now.
      const deadline = Date.now() + 300000;
      for (;;) {
        const status = await text(driver, "#live-status");
        if (status === "completed" || status === "failed") break;
        assert.ok(Date.now() < deadline, `job stuck: ${await text(driver, "#live-stage")}`);
        await driver.sleep(200);
      }
      assert.equal(await text(driver, "#live-status"), "completed", await text(driver, "#live-error"));
      await shot(driver, "setup-6-job-completed");
    });

    await t.test("the doctor is ready", async () => {
      await driver.findElement(By.css("#tab-settings")).click();
      await driver.wait(async () => (await text(driver, "#doctor-summary")) !== null, 30000);
      await driver.findElement(By.css("#rerun-doctor")).click();
      await driver.wait(async () => (await attr(driver, "[data-check='manim']", "data-ok")) === "true", 30000);
      assert.match(await text(driver, "#doctor-summary"), /Ready to make videos/);
      assert.equal(await driver.executeScript("return document.querySelector('#doctor-setup')"), null);
      await shot(driver, "setup-7-doctor-ready");
    });
  } finally {
    await Promise.race([driver.quit(), timeout(15000)]).catch(() => {});
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
