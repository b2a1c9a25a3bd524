// The guided flows a user meets through quick inputs, driven as a user drives them: "Add Server…"
// writes a correct entry and the server comes up; a prompt with an argument asks for it and renders;
// the status bar lists the servers; a failing server raises exactly one notification whose "Show
// Output" opens its stderr; a password `${input:…}` is asked once and never lands in a setting,
// the config file or a log. The workspace's config is restored at the end for the other modules.
import * as fs from 'fs';
import * as path from 'path';
import { parse } from 'jsonc-parser';
import {
  answer, answerPick, dismissNotifications, editConfig, expandRow, openViewContainer, parkPointer, runCommand, screenshot, waitForRow,
  waitForWorkbench, type Config, type UiContext,
} from './helpers';

const SECRET = 'sb-ui-secret-7f3a9c';

export async function run({ page, shotsDir, repo, workspace, log }: UiContext): Promise<void> {
  const configFile = path.join(workspace, '.vscode', 'switchboard.json');
  const original = fs.readFileSync(configFile, 'utf8');
  const fixture = (name: string) => path.join(repo, 'out', 'test', 'fixtures', `${name}.js`);
  const quickInput = page.locator('.quick-input-widget input');
  try {
    await waitForWorkbench(page);
    await dismissNotifications(page);
    await openViewContainer(page, 'MCP Switchboard');
    await waitForRow(page, 'everything');

    // Add Server…: transport, command line, name.
    await runCommand(page, 'MCP Switchboard: Add Server');
    await answerPick(page, 'Command (stdio)');
    await answer(page, '(2/3): command', `"${process.execPath}" "${fixture('echo')}"`);
    await answer(page, '(3/3): name', 'guided');
    const entry = await waitForValue(() => (parse(fs.readFileSync(configFile, 'utf8')) as Config).servers?.guided, 'the new entry on disk');
    assertEqual(JSON.stringify(entry), JSON.stringify({ type: 'stdio', command: process.execPath, args: [fixture('echo')] }), 'written entry');
    await waitForRow(page, 'guided');
    await page.locator('.part.sidebar .monaco-list-row', { hasText: /guided.*tools/ }).first().waitFor({ timeout: 30000 });
    log('Add Server… wrote the entry and the server runs');

    // A prompt with an argument: expand the server, then its Prompts group, click "greet".
    await expandRow(page, page.locator('.part.sidebar .monaco-list-row[aria-level="1"]', { hasText: 'guided' }).first());
    await expandRow(page, page.locator('.part.sidebar .monaco-list-row[aria-level="2"]', { hasText: 'Prompts' }).first());
    await page.locator('.part.sidebar .monaco-list-row[aria-level="3"]', { hasText: 'greet' }).first().click();
    await answer(page, 'Prompt "greet"', 'Ada');
    await page.locator('.part.editor .view-lines', { hasText: 'Hello, Ada!' }).first().waitFor({ timeout: 20000 });
    log('rendering "greet" asked for its argument and opened the messages');

    // The status bar item lists the servers with their state.
    const status = page.locator('.part.statusbar .statusbar-item', { hasText: /MCP \d+\/\d+/ }).first();
    await status.waitFor({ timeout: 20000 });
    await status.click();
    await page.locator('.quick-input-list .monaco-list-row', { hasText: /guided.*running/ }).first().waitFor({ timeout: 10000 });
    await page.locator('.quick-input-list .monaco-list-row', { hasText: 'everything' }).first().waitFor({ timeout: 10000 });
    await page.keyboard.press('Escape');
    log(`status bar "${(await status.innerText()).trim()}" opens the server list`);

    // A server that dies at start: one notification, with Show Output and Restart.
    await dismissNotifications(page);
    editConfig(configFile, (c) => { c.servers!.broken = { type: 'stdio', command: process.execPath, args: [fixture('exit-at-start')] }; });
    const toast = page.locator('.notifications-toasts .notification-toast', { hasText: 'MCP server "broken" failed' });
    await toast.first().waitFor({ timeout: 30000 });
    await page.waitForTimeout(2000);
    const count = await toast.count();
    if (count !== 1) throw new Error(`expected one notification for "broken", saw ${count}`);
    const text = await toast.first().innerText();
    if (!/exited with code 1 before completing the MCP handshake/.test(text)) throw new Error(`notification does not say why: ${text}`);
    for (const button of ['Show Output', 'Restart']) await toast.locator('.monaco-button', { hasText: button }).first().waitFor({ timeout: 5000 });
    await parkPointer(page);
    await screenshot(page, path.join(shotsDir, 'failure.png'));
    await toast.locator('.monaco-button', { hasText: 'Show Output' }).first().click();
    await page.locator('.part.panel .view-lines', { hasText: 'boom: missing API key' }).first().waitFor({ timeout: 20000 });
    log('one notification for the failed server; Show Output opened its stderr');

    // A password input: asked once in a password box, then kept only in SecretStorage.
    editConfig(configFile, (c) => {
      delete c.servers!.broken;
      c.servers!.secret = { type: 'stdio', command: process.execPath, args: [fixture('echo')], env: { SB_TOKEN: '${input:token}' } };
      c.inputs = [{ id: 'token', type: 'promptString', description: 'API token for the secret server', password: true }];
    });
    const box = page.locator('.quick-input-widget', { hasText: 'API token for the secret server' });
    await box.waitFor({ timeout: 30000 });
    await box.locator('input[type="password"]').waitFor({ timeout: 5000 });
    await quickInput.fill(SECRET);
    await page.keyboard.press('Enter');
    await page.locator('.part.sidebar .monaco-list-row', { hasText: /secret.*tools/ }).first().waitFor({ timeout: 30000 });
    const leaks = filesContaining(path.dirname(workspace), SECRET);
    if (leaks.length) throw new Error(`the secret input was written to ${leaks.join(', ')}`);
    log('password input asked in a password box; the server runs; the value is in no setting, config or log');
  } finally {
    fs.writeFileSync(configFile, original);
    await page.keyboard.press('Escape').catch(() => undefined);
  }
}

async function waitForValue<T>(fn: () => T | undefined, what: string, timeoutMs = 15000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    try { const v = fn(); if (v !== undefined) return v; } catch { /* file mid-write */ }
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

function assertEqual(actual: string, expected: string, what: string): void {
  if (actual !== expected) throw new Error(`${what}: expected ${expected}, got ${actual}`);
}

/** Text files (settings, configs, logs) under `dir` that contain `needle`. */
function filesContaining(dir: string, needle: string): string[] {
  const hits: string[] = [];
  const walk = (d: string) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) { if (e.name !== 'node_modules' && !e.name.startsWith('browser-')) walk(p); continue; }
      if (!/\.(json|jsonc|log|txt|md)$/.test(e.name)) continue;
      if (fs.readFileSync(p, 'utf8').includes(needle)) hits.push(path.relative(dir, p));
    }
  };
  walk(dir);
  return hits;
}
