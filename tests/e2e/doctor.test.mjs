// The doctor's in-app fixes in the real window, on a fresh data dir whose venv folder cannot be
// made (a regular file stands where its parent folder should be — root could write anywhere
// else): the set-up offered at start fails before downloading anything and the window shows the
// exact fix; the doctor's Manim line says how to set it up and its button gives the same fix; and
// "Install a Piper voice from a file…" opens the system's file dialog (GTK, driven with xdotool
// like a person typing a path), installs the chosen voice into the data dir, and the doctor's
// Piper line lists it. Screenshots: $SHOTS/doctor-*.png.
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
/** The whole screen (the window and any dialog over it). */
const screen = (name) => execFileSync("/usr/bin/import", ["-window", "root", path.join(SHOTS, `${name}.png`)]);
async function shot(driver, name) {
  try {
    fs.writeFileSync(path.join(SHOTS, `${name}.png`), await Promise.race([driver.takeScreenshot(), timeout(8000)]), "base64");
  } catch {
    screen(name);
  }
}
const text = (driver, css) =>
  driver.executeScript("return document.querySelector(arguments[0])?.textContent ?? null", css);
const xdotool = (...args) => execFileSync("xdotool", args, { encoding: "utf8", timeout: 20000 }).trim();

/** A well-formed ONNX ModelProto (ir_version 8, a graph with one node) and a Piper config. */
function writeVoice(dir, name) {
  const model = path.join(dir, `${name}.onnx`);
  fs.writeFileSync(model, Buffer.from([0x08, 0x08, 0x3a, 0x07, 0x0a, 0x05, 0x0a, 0x03, 0x6f, 0x75, 0x74]));
  fs.writeFileSync(`${model}.json`, JSON.stringify({ audio: { sample_rate: 22050 }, espeak: { voice: "en-gb" }, phoneme_id_map: { _: [0], a: [14] } }));
  return model;
}

test("doctor fixes: the set-up's failure and its fix, a Piper voice from a file", { timeout: 300000 }, async (t) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "t2v-e2e-doctor-"));
  const blocker = path.join(dir, "not-a-folder");
  fs.writeFileSync(blocker, "a file where the venv's folder should be\n");
  const venv = path.join(blocker, "venv");
  const downloads = path.join(dir, "Downloads");
  fs.mkdirSync(downloads);
  const model = writeVoice(downloads, "en_GB-e2e-low");
  const wrapper = path.join(dir, "app.sh");
  fs.writeFileSync(wrapper, `#!/bin/sh\nexport THEORY2VIDEO_DATA_DIR='${dir}/data' THEORY2VIDEO_CONFIG_DIR='${dir}/config' THEORY2VIDEO_VENV='${venv}' THEORY2VIDEO_PIPER_VOICES=''\nexec '${APP}' "$@"\n`, { mode: 0o755 });
  const driver = await new Builder()
    .usingServer(`http://127.0.0.1:${process.env.DRIVER_PORT ?? 4444}/`)
    .withCapabilities({ browserName: "wry", "tauri:options": { application: wrapper } })
    .build();
  try {
    await driver.wait(until.elementLocated(By.css("body[data-ready='1']")), 30000);

    await t.test("a set-up that cannot write its folder shows the exact fix", async () => {
      await driver.wait(until.elementLocated(By.css("#setup-start")), 15000);
      await driver.findElement(By.css("#setup-start")).click();
      await driver.wait(until.elementLocated(By.css("#setup-error")), 20000);
      const code = await driver.executeScript("return document.querySelector('#setup-error').dataset.code");
      assert.equal(code, "config");
      const fix = await text(driver, "#setup-fix");
      assert.ok(fix.includes(blocker), fix);
      assert.match(fix, /THEORY2VIDEO_VENV=/);
      assert.ok(!fs.existsSync(path.join(dir, "data", "venv")), "nothing was installed elsewhere");
      await driver.findElement(By.css("#setup-start"));
      await shot(driver, "doctor-1-setup-failed-with-fix");
    });

    await t.test("the doctor's Manim line says how to set up, and its button gives the same fix", async () => {
      await driver.findElement(By.css("#tab-settings")).click();
      await driver.wait(until.elementLocated(By.css("[data-check='manim'] #doctor-setup")), 30000);
      assert.match(await text(driver, "[data-check='manim'] .detail"), /Set up Python .*theory2video setup/);
      assert.match(await text(driver, "[data-check='manim'] code"), /^theory2video setup/);
      await driver.executeScript("document.querySelector('#setup-offer')?.remove()");
      await driver.findElement(By.css("#doctor-setup")).click();
      await driver.wait(until.elementLocated(By.css("#setup-fix")), 20000);
      assert.match(await text(driver, "#setup-fix"), /THEORY2VIDEO_VENV=/);
      await shot(driver, "doctor-2-manim-line");
    });

    await t.test("Install a Piper voice from a file… through the system's dialog", async () => {
      // The doctor is drawn again when the failed set-up ends: wait for its Piper line.
      await driver.wait(async () => (await text(driver, "[data-check='piper'] .detail")) !== null, 30000);
      assert.match(await text(driver, "[data-check='piper'] .detail"), /not installed|no voice model/);
      await driver.wait(until.elementLocated(By.css("#doctor-voice")), 10000);
      await driver.findElement(By.css("#doctor-voice")).click();
      // The GTK file dialog: focus it, type the path (GTK opens its location bar on "/"), Enter.
      const win = xdotool("search", "--sync", "--name", "Install a Piper voice").split("\n")[0];
      await driver.sleep(800);
      xdotool("windowfocus", "--sync", win);
      // "/" opens the location bar; the rest is typed once it is there (keys typed while it
      // opens are lost).
      xdotool("type", "/");
      await driver.sleep(700);
      xdotool("type", "--delay", "20", model.slice(1));
      await driver.sleep(500);
      screen("doctor-3-file-dialog");
      xdotool("key", "Return");
      await driver.wait(async () => /en_GB-e2e-low/.test((await text(driver, "[data-check='piper'] .detail")) ?? ""), 20000);
      assert.ok(fs.existsSync(path.join(dir, "data", "voices", "en_GB-e2e-low.onnx")));
      assert.ok(fs.existsSync(path.join(dir, "data", "voices", "en_GB-e2e-low.onnx.json")));
      await shot(driver, "doctor-4-voice-installed");
    });
  } finally {
    await Promise.race([driver.quit(), timeout(15000)]).catch(() => {});
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
