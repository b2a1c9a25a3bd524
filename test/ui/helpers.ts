// What every UI test gets from scripts/run-ui-tests.mjs, and small workbench helpers on top of
// Playwright. Selectors follow the VS Code workbench DOM (code-server 4.139, VS Code 1.139).
import * as fs from 'fs';
import * as path from 'path';
import { parse } from 'jsonc-parser';
import type { Page } from 'playwright-core';

/** The argument of each `out/test/ui/*.ui.js` module's `run()`. */
export interface UiContext {
  /** A page with the workbench loading on `workspace`. */
  page: Page;
  /** Folder for this run's screenshots (.test-work/shots/ui/). */
  shotsDir: string;
  /**
   * Where the README's images go when the run takes them (`npm run screenshots`: docs/images/).
   * Unset in a test run, which writes nothing outside .test-work/. See `docScreenshot`.
   */
  docsDir?: string;
  /** Repository root (the built fixtures are under out/test/fixtures/). */
  repo: string;
  /** The workspace folder the editor opened. */
  workspace: string;
  log: (msg: string) => void;
}

/** Waits until the workbench is laid out (activity bar and status bar present), and records focus moves. */
export async function waitForWorkbench(page: Page, timeout = 60000): Promise<void> {
  await page.waitForSelector('.monaco-workbench .part.activitybar', { timeout });
  await page.waitForSelector('.monaco-workbench .part.statusbar', { timeout });
  await recordFocusMoves(page);
}

/**
 * Keeps the last focus moves of the page (which element, and which workbench code called focus())
 * and clicks, so a test whose quick input closed under it can say what took the focus (see `focusMoves`).
 */
async function recordFocusMoves(page: Page): Promise<void> {
  // Runs in the page (this project's TypeScript has no DOM types), hence a string.
  await page.evaluate(`(() => {
    if (window.__sbFocus) return;
    const moves = (window.__sbFocus = []);
    const describe = (el) => el.tagName.toLowerCase() + '.' + String(el.className).split(' ').slice(0, 3).join('.')
      + (el.getAttribute('aria-label') ? '[' + el.getAttribute('aria-label').slice(0, 40) + ']' : '');
    const note = (line) => { moves.push(performance.now().toFixed(0) + ' ms ' + line); if (moves.length > 40) moves.shift(); };
    const focus = HTMLElement.prototype.focus;
    HTMLElement.prototype.focus = function (...args) {
      const by = (new Error().stack || '').split('\\n').slice(2, 8).map((l) => l.trim().replace(/^at /, '').replace(/ \\(.*\\)$/, '')).join(' < ');
      note('focus() ' + describe(this) + ' by ' + by);
      return focus.apply(this, args);
    };
    document.addEventListener('focusin', (e) => note('focusin ' + describe(e.target)), true);
    for (const type of ['mousedown', 'click']) document.addEventListener(type, (e) => note(type + ' ' + describe(e.target)), true);
  })()`);
}

/** The recorded focus moves, newest last, for an error message. */
export async function focusMoves(page: Page): Promise<string> {
  const moves = await page.evaluate('window.__sbFocus || []').then((m) => m as string[], () => [] as string[]);
  return moves.length ? `recent focus moves:\n  ${moves.slice(-15).join('\n  ')}` : 'no focus moves recorded';
}

/** Waits for `locator`; on timeout, fails with `what` and the recent focus moves. */
export async function waitOrExplain(page: Page, locator: ReturnType<Page['locator']>, what: string, timeout = 10000): Promise<void> {
  try {
    await locator.waitFor({ timeout });
  } catch {
    const open = await page.locator('.quick-input-widget').first().innerText({ timeout: 500 }).catch(() => '');
    throw new Error(`${what} did not show within ${timeout / 1000} s; ${open.trim() ? `the quick input shows ${JSON.stringify(open.trim().slice(0, 200))}` : 'no quick input is open'}; ${await focusMoves(page)}`);
  }
}

/** Closes toasts and pop-ups, which otherwise intercept clicks. */
export async function dismissNotifications(page: Page): Promise<void> {
  for (let i = 0; i < 2; i++) await page.keyboard.press('Escape');
  const clear = page.locator('.notifications-toasts .codicon-notifications-clear-all, .notification-toast .codicon-notifications-clear');
  for (const b of await clear.all()) await b.click({ timeout: 1000 }).catch(() => undefined);
}

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * Opens the activity-bar container whose aria-label starts with `label` and waits until the side
 * bar shows it. Fails with the labels that are there when it is missing.
 */
export async function openViewContainer(page: Page, label: string, timeout = 30000): Promise<void> {
  const selector = `.part.activitybar .action-item [aria-label^="${label}"]`;
  const icon = page.locator(selector).first();
  try {
    await icon.waitFor({ timeout });
  } catch {
    const labels = new Set<string | null>();
    for (const l of await page.locator('.part.activitybar .action-item [aria-label]').all()) labels.add(await l.getAttribute('aria-label'));
    throw new Error(`no activity bar item whose label starts with "${label}"; present: ${[...labels].join(' | ')}`);
  }
  // Clicking an already open container would close it.
  if ((await page.locator(`.part.activitybar .action-item.checked [aria-label^="${label}"]`).count()) === 0) await icon.click();
  await page.locator('.part.sidebar .composite.title h2', { hasText: new RegExp(`^${escapeRegExp(label)}`, 'i') })
    .first().waitFor({ timeout });
}

/**
 * Waits (at most `timeout` each, without failing) until the status bar stops saying "Activating
 * Extensions" and the side bar's progress bar is gone, so a screenshot shows settled views.
 */
export async function waitForActivation(page: Page, timeout = 15000): Promise<void> {
  await page.locator('.part.statusbar', { hasText: 'Activating Extensions' }).waitFor({ state: 'hidden', timeout }).catch(() => undefined);
  await page.locator('.part.sidebar .monaco-progress-container.active').first().waitFor({ state: 'hidden', timeout }).catch(() => undefined);
}

/** Moves the pointer to the editor area so no hover tooltip shows up in a screenshot. */
export async function parkPointer(page: Page): Promise<void> {
  const size = page.viewportSize() ?? { width: 1400, height: 900 };
  await page.mouse.move(size.width * 0.6, size.height * 0.5);
}

/** The text of each visible row of the side bar's trees. */
export async function sideBarRows(page: Page): Promise<string[]> {
  return (await page.locator('.part.sidebar .monaco-list-row').allInnerTexts()).map((t) => t.replace(/\s+/g, ' ').trim());
}

/** Waits until a side bar tree row contains `text`; fails with the rows that are there. */
export async function waitForRow(page: Page, text: string, timeout = 60000): Promise<void> {
  try {
    await page.locator('.part.sidebar .monaco-list-row', { hasText: text }).first().waitFor({ timeout });
  } catch {
    throw new Error(`no side bar row with "${text}" after ${timeout / 1000} s; rows: ${JSON.stringify(await sideBarRows(page))}`);
  }
}

/** Runs a command through the command palette by its title, as a user would. */
export async function runCommand(page: Page, title: string): Promise<void> {
  // The previous flow's last input closes as its answer is sent: F1 before that reopens the closing one.
  await page.locator('.quick-input-widget').first().waitFor({ state: 'hidden', timeout: 10000 }).catch(async () => {
    throw new Error(`a quick input is still open before "${title}"; ${await focusMoves(page)}`);
  });
  await page.keyboard.press('F1');
  const input = page.locator('.quick-input-widget input');
  await waitOrExplain(page, input, 'the command palette');
  await input.fill(`>${title}`, { timeout: 5000 }).catch(async (e: Error) => {
    throw new Error(`the command palette closed before "${title}" was typed (${e.message.split('\n')[0]}); ${await focusMoves(page)}`);
  });
  await waitOrExplain(page, page.locator('.quick-input-list .monaco-list-row', { hasText: title }).first(), `the command "${title}" in the palette`);
  await page.keyboard.press('Enter');
}

/** Saves a screenshot, creating the folder. */
export async function screenshot(page: Page, file: string): Promise<string> {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  await page.screenshot({ path: file });
  return file;
}

/**
 * A screenshot the README shows: saved as `name` in this run's shots folder and, when the run takes
 * the documentation images, in docs/images/ too. A module taking one lists it in its exported
 * `docImages`, so `npm run screenshots` knows to run it and checks the image was written.
 */
export async function docScreenshot({ page, shotsDir, docsDir }: UiContext, name: string): Promise<void> {
  const file = await screenshot(page, path.join(shotsDir, name));
  if (docsDir) fs.copyFileSync(file, path.join(docsDir, name));
}

/** The parts of switchboard.json the UI tests edit. */
export type Config = { servers?: Record<string, unknown>; inputs?: unknown[] };

/** Rewrites the config file on disk, as a user's save would. */
export function editConfig(file: string, edit: (c: Config) => void): void {
  const config = parse(fs.readFileSync(file, 'utf8')) as Config;
  edit(config);
  fs.writeFileSync(file, JSON.stringify(config, null, 2));
}

/**
 * Picks the quick pick item labelled `label`: types it as the filter (the list is virtual, so an
 * item far down is only rendered once the filter brings it up), waits for it, and accepts.
 */
export async function answerPick(page: Page, label: string): Promise<void> {
  const input = page.locator('.quick-input-widget input');
  await waitOrExplain(page, input, `the quick pick for "${label}"`);
  await input.fill(label);
  await waitOrExplain(page, page.locator('.quick-input-list .monaco-list-row', { hasText: label }).first(), `the item "${label}"`);
  await page.keyboard.press('Enter');
}

/** Types into the open input box whose title mentions `step`, and accepts. */
export async function answer(page: Page, step: string, value: string): Promise<void> {
  await waitOrExplain(page, page.locator('.quick-input-widget', { hasText: step }).first(), `the input "${step}"`, 15000);
  const input = page.locator('.quick-input-widget input');
  await input.fill(value);
  await page.keyboard.press('Enter');
}

/**
 * Selects a tree row with a click and expands it from the keyboard (Right arrow), as a keyboard
 * user would. The click may already toggle it; either way it ends expanded.
 */
export async function expandRow(page: Page, row: ReturnType<Page['locator']>, timeout = 15000): Promise<void> {
  await row.waitFor({ timeout });
  await row.click();
  await page.keyboard.press('ArrowRight');
  try {
    await row.and(page.locator('[aria-expanded="true"]')).waitFor({ timeout: 5000 });
  } catch {
    throw new Error(`the tree row ${JSON.stringify(await row.innerText().catch(() => '?'))} did not expand; ${await focusMoves(page)}`);
  }
}

/**
 * The workbench up, the MCP Switchboard side bar open, and the three demo servers running (the
 * status bar says so), so their rows have stopped changing.
 */
export async function openDemoServers(page: Page): Promise<void> {
  await waitForWorkbench(page);
  await dismissNotifications(page);
  await openViewContainer(page, 'MCP Switchboard');
  await waitForRow(page, 'everything');
  await page.locator('.part.statusbar .statusbar-item', { hasText: 'MCP 3/3' }).first().waitFor({ timeout: 90000 });
}

/** Clicks the permission dialog's button titled `title` and waits for the dialog to close. */
export async function clickAnswer(page: Page, title: string): Promise<void> {
  await page.locator('.monaco-dialog-box .dialog-buttons .monaco-button', { hasText: new RegExp(`^${title}$`) }).first().click();
  await page.locator('.monaco-dialog-box').first().waitFor({ state: 'hidden', timeout: 10000 });
}
