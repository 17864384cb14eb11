import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import assert from 'node:assert/strict';
import { after, before } from 'node:test';
import { type Browser, type Page, chromium } from 'playwright-core';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const ARTIFACTS = path.join(ROOT, 'test-results', 'browser');

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });
}

export interface RunningServer {
  readonly url: string;
  readonly dataDir: string;
  readonly output: () => string;
  stop(): Promise<number | null>;
}

/** The demo users' password in the browser tests: one, so that one demo database serves every file. */
export const BROWSER_PASSWORD = 'browser-shared-demo-2026';

/**
 * The demo loaded once (`homeward demo` into an embedded database, ~1,750 people: the slowest part of a
 * browser test file's start) and copied for each file, which then has a database of its own to change.
 * `npm test` removes it before the browser tests, so each run loads the demo of its own code once.
 */
const DEMO_TEMPLATE = process.env.HOMEWARD_BROWSER_DEMO_TEMPLATE ?? path.join(ROOT, '.tmp', 'browser-demo');

/** The demo template, loaded when it is missing (`npm test` loads it before the browser files start). */
export function demoTemplate(): string {
  if (fs.existsSync(path.join(DEMO_TEMPLATE, '.ready'))) return DEMO_TEMPLATE;
  const building = `${DEMO_TEMPLATE}.${process.pid}`;
  fs.rmSync(building, { recursive: true, force: true });
  const run = spawnSync(process.execPath, [path.join(ROOT, 'bin', 'homeward.js'), 'demo', '--password', BROWSER_PASSWORD], {
    cwd: ROOT,
    env: { ...process.env, HOMEWARD_DATA_DIR: building, LOG_LEVEL: 'warn', DATABASE_URL: '' },
    encoding: 'utf8',
  });
  if (run.status !== 0) throw new Error(`the demo could not be loaded:\n${run.stdout}\n${run.stderr}`);
  fs.writeFileSync(path.join(building, '.ready'), new Date().toISOString());
  try {
    fs.renameSync(building, DEMO_TEMPLATE);
  } catch (error) {
    // Another file's process made it first (files run two at a time): use that one.
    fs.rmSync(building, { recursive: true, force: true });
    if (!fs.existsSync(path.join(DEMO_TEMPLATE, '.ready'))) throw error;
  }
  return DEMO_TEMPLATE;
}

/**
 * Starts the real `homeward serve` on a fresh embedded database holding the demo and waits until it
 * answers: a copy of the demo template for BROWSER_PASSWORD, else `serve --demo` loading it anew.
 */
export async function startServer(password: string): Promise<RunningServer> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'homeward-browser-'));
  const fromTemplate = password === BROWSER_PASSWORD;
  if (fromTemplate) {
    fs.cpSync(demoTemplate(), dataDir, { recursive: true });
    fs.rmSync(path.join(dataDir, '.ready'));
  }
  const port = await freePort();
  let output = '';
  const args = fromTemplate ? ['serve'] : ['serve', '--demo', '--password', password];
  const child: ChildProcess = spawn(process.execPath, [path.join(ROOT, 'bin', 'homeward.js'), ...args], {
    cwd: ROOT,
    env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', HOMEWARD_DATA_DIR: dataDir, LOG_LEVEL: 'warn', DATABASE_URL: '' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout?.on('data', (d) => {
    output += d;
  });
  child.stderr?.on('data', (d) => {
    output += d;
  });
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 180_000; // the demo load takes a while on a busy 2-core machine
  for (;;) {
    if (child.exitCode !== null) throw new Error(`server exited early:\n${output}`);
    try {
      const response = await fetch(`${url}/api/v1/health`);
      if (response.ok) break;
    } catch {
      // not up yet
    }
    if (Date.now() > deadline) throw new Error(`server did not start in 180 s:\n${output}`);
    await new Promise((r) => setTimeout(r, 250));
  }
  return {
    url,
    dataDir,
    output: () => output,
    stop: () =>
      new Promise((resolve) => {
        if (child.exitCode !== null) return resolve(child.exitCode);
        child.once('exit', (code) => {
          fs.rmSync(dataDir, { recursive: true, force: true });
          resolve(code);
        });
        child.kill('SIGTERM');
      }),
  };
}

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--disable-sync'],
  });
}

/** Signs in through the API (not the browser) and returns a cookie header and CSRF token. */
export async function apiLogin(url: string, username: string, password: string, totp?: string) {
  const response = await fetch(`${url}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password, ...(totp ? { totp } : {}) }),
  });
  if (!response.ok) throw new Error(`login failed: ${response.status} ${await response.text()}`);
  const cookie = (response.headers.get('set-cookie') ?? '').split(';')[0] as string;
  const body = (await response.json()) as { csrfToken: string };
  return { cookie, csrfToken: body.csrfToken };
}

/**
 * One demo server and one browser for a test file: started before its tests,
 * stopped after them (the server must stop cleanly). `onReady` hands both over.
 */
export function useDemoServer(password: string, onReady: (server: RunningServer, browser: Browser) => void): void {
  let server: RunningServer | undefined;
  let browser: Browser | undefined;
  before(async () => {
    fs.mkdirSync(ARTIFACTS, { recursive: true });
    server = await startServer(password); // loads the demo (~1,750 people): allow it time
    browser = await launchBrowser();
    onReady(server, browser);
  });
  after(async () => {
    await browser?.close();
    const code = await server?.stop();
    assert.equal(code, 0, `server did not stop cleanly:\n${server?.output()}`);
  });
}

/** A fresh page that collects every Content-Security-Policy violation and page error into `problems`. */
export async function openPage(browser: Browser, problems: string[], viewport = { width: 1280, height: 900 }): Promise<Page> {
  const context = await browser.newContext({ viewport, acceptDownloads: true });
  const page = await context.newPage();
  page.on('console', (message) => {
    if (message.type() === 'error' && /Content.Security.Policy|Refused to/i.test(message.text())) problems.push(message.text());
  });
  page.on('pageerror', (error) => problems.push(error.message));
  return page;
}

/** Signs in through the login page and waits for the navigation. */
export async function signInAs(page: Page, url: string, username: string, password: string): Promise<void> {
  await page.goto(url);
  await page.getByTestId('login-username').fill(username);
  await page.getByTestId('login-password').fill(password);
  await page.getByTestId('login-submit').click();
  await page.getByTestId('nav').waitFor();
}
