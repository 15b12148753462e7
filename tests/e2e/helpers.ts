/// <reference lib="dom" />
import fs from 'node:fs';
import path from 'node:path';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach } from 'vitest';
import { buildTestHall, type TestHall } from '../helpers.js';
import { listen } from '../realtime/helpers.js';

export const CHROMIUM = '/usr/bin/chromium';
export const SCREENSHOTS = path.resolve(import.meta.dirname, 'screenshots');

/**
 * Browser tests need Debian's Chromium (.ci/run installs it). Without it they are skipped on a
 * developer's machine with a warning, and fail in CI.
 */
export const haveChromium = fs.existsSync(CHROMIUM);
if (!haveChromium) {
  if (process.env.CI) throw new Error(`browser tests need ${CHROMIUM} (apt-get install chromium)`);
  console.warn(`skipping browser tests: ${CHROMIUM} not found (apt-get install chromium fonts-noto-cjk)`);
}

/**
 * Answers that broke the route contract, as the pages' client reported them. Every page in these
 * tests checks its answers (`hallCheckResponses`, set before any page script), and every test
 * ends by finding none.
 */
const contractBreaks: string[] = [];
afterEach(() => {
  const found = contractBreaks.splice(0);
  if (found.length) throw new Error(`pages received answers outside protocol/api.ts:\n${found.join('\n')}`);
});

export async function launch(): Promise<Browser> {
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--autoplay-policy=no-user-gesture-required'],
  });
  const newContext = browser.newContext.bind(browser);
  browser.newContext = async (options) => {
    const context = await newContext(options);
    await context.addInitScript(() => void ((window as { hallCheckResponses?: boolean }).hallCheckResponses = true));
    context.on('console', (message) => {
      if (message.type() === 'error' && message.text().startsWith('contract broken')) contractBreaks.push(message.text());
    });
    return context;
  };
  return browser;
}

export interface E2EHall {
  t: TestHall;
  base: string;
  kioskToken: string;
  displayToken: string;
  password(username: string): string;
}

export async function startHall(config: Parameters<typeof buildTestHall>[0] = {}): Promise<E2EHall> {
  const t = await buildTestHall(config);
  const base = await listen(t);
  return {
    t, base,
    kioskToken: t.demo.devices.find((d) => d.kind === 'kiosk')!.token,
    displayToken: t.demo.devices.find((d) => d.kind === 'display')!.token,
    password: (u) => (u === 'admin' ? t.adminPassword : t.demo.credentials.find((c) => c.username === u)!.password),
  };
}

const AXE_SOURCE = fs.readFileSync(path.resolve(import.meta.dirname, '../../node_modules/axe-core/axe.min.js'), 'utf8');

/**
 * The page's WCAG 2.2 A/AA violations by axe-core (injected through the DevTools protocol, which
 * the pages' CSP does not apply to), as "rule: target" lines, so a failure names what to fix.
 */
export async function axeViolations(page: Page, within?: string): Promise<string[]> {
  await page.evaluate(AXE_SOURCE);
  const result = await page.evaluate((selector) => (window as unknown as { axe: { run(ctx: unknown, opts: object): Promise<{ violations: { id: string; nodes: { target: string[] }[] }[] }> } }).axe
    .run(selector ? document.querySelector(selector) : document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'] } }), within ?? null);
  return result.violations.flatMap((v) => v.nodes.map((n) => `${v.id}: ${n.target.join(' ')}`));
}

export async function screenshot(page: Page, name: string): Promise<void> {
  fs.mkdirSync(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`) });
}

/**
 * Replaces speech (with a zh-CN voice unless told otherwise), the chime's audio and printing with
 * recorders, before any page script runs. With `soundBlocked`, sound waits for the page's first
 * user gesture, as a browser started without the README's autoplay flag does: audio stays
 * suspended and speech is refused until then.
 */
export async function stubSpeechAndPrint(context: BrowserContext, options: { chineseVoice?: boolean; soundBlocked?: boolean; holdSpeech?: boolean } = {}): Promise<void> {
  await context.addInitScript(({ chineseVoice, soundBlocked, holdSpeech }: { chineseVoice: boolean; soundBlocked: boolean; holdSpeech: boolean }) => {
    // (navigator.userActivation cannot tell: the test browser counts every page as activated.)
    let gestured = false;
    for (const type of ['pointerdown', 'keydown']) window.addEventListener(type, (e) => void (gestured ||= e.isTrusted), { capture: true });
    const mayPlay = () => !soundBlocked || gestured;
    const w = window as unknown as { __spoken: string[]; __printed: number; __endSentence: () => boolean };
    // holdSpeech: each sentence lasts until the test ends it (__endSentence), as a real voice takes seconds.
    const speaking: SpeechSynthesisUtterance[] = [];
    w.__endSentence = () => {
      const u = speaking.shift();
      u?.onend?.(new Event('end') as SpeechSynthesisEvent);
      return u !== undefined;
    };
    // Utterances as plain objects, so the stub's voice (not a real SpeechSynthesisVoice) can be set.
    class Utterance {
      lang = '';
      rate = 1;
      voice: unknown = null;
      onend: ((e: Event) => void) | null = null;
      onerror: ((e: Event) => void) | null = null;
      constructor(readonly text: string) {}
    }
    Object.defineProperty(window, 'SpeechSynthesisUtterance', { value: Utterance, configurable: true });
    const voices = chineseVoice ? [{ lang: 'zh-CN', name: 'stub 中文', default: true, localService: true, voiceURI: 'stub' }] : [];
    w.__spoken = [];
    w.__printed = 0;
    window.print = () => void w.__printed++;
    const synth = {
      speak(u: SpeechSynthesisUtterance) {
        if (!mayPlay()) return void setTimeout(() => u.onerror?.(new Event('error') as SpeechSynthesisErrorEvent), 10);
        if (u.text) w.__spoken.push(u.text);
        if (holdSpeech && u.text) speaking.push(u);
        else setTimeout(() => u.onend?.(new Event('end') as SpeechSynthesisEvent), 10);
      },
      getVoices: () => voices,
      cancel() {},
      addEventListener() {},
    };
    Object.defineProperty(window, 'speechSynthesis', { value: synth, configurable: true });
    // The chime's tones end at once and are counted; the context runs once sound is allowed
    // (a blocked resume() stays pending, as Chromium's does).
    const c = window as unknown as { __chimes: number };
    c.__chimes = 0;
    class InstantAudio {
      state = mayPlay() ? 'running' : 'suspended';
      currentTime = 0;
      destination = {};
      resume() {
        if (!mayPlay()) return new Promise<void>(() => {});
        this.state = 'running';
        return Promise.resolve();
      }
      createGain() {
        return { gain: { setValueAtTime() {}, exponentialRampToValueAtTime() {} }, connect: (next: unknown) => next };
      }
      createOscillator() {
        const osc = {
          frequency: { value: 0 }, onended: null as null | (() => void), connect: (next: unknown) => next, start() {},
          stop() {
            c.__chimes++;
            setTimeout(() => osc.onended?.(), 1);
          },
        };
        return osc;
      }
    }
    Object.defineProperty(window, 'AudioContext', { value: InstantAudio, configurable: true });
  }, { chineseVoice: options.chineseVoice ?? true, soundBlocked: options.soundBlocked ?? false, holdSpeech: options.holdSpeech ?? false });
}

/** Opens a staff page and signs in on its form. */
export async function signIn(page: Page, url: string, username: string, password: string): Promise<void> {
  await page.goto(url);
  await page.fill('input[name=username]', username);
  await page.fill('input[name=password]', password);
  await page.click('button[type=submit]');
}

export async function signInAtCounter(page: Page, base: string, username: string, password: string, windowNumber: string): Promise<void> {
  await signIn(page, `${base}/counter`, username, password);
  await page.click(`[data-testid=window-${windowNumber}]`);
  await page.waitForSelector('.counter[data-ready]');
}

/**
 * One browser for the file and a fresh hall (server on a port) for each test. Returns getters:
 * the values exist once the hooks have run.
 */
export function browserAndHall(): { browser: () => Browser; hall: () => E2EHall } {
  let browser: Browser | undefined;
  let hall: E2EHall | undefined;
  beforeAll(async () => {
    browser = await launch();
  });
  afterAll(async () => browser?.close());
  beforeEach(async () => {
    hall = await startHall();
  });
  afterEach(async () => hall?.t.close());
  return { browser: () => browser!, hall: () => hall! };
}
