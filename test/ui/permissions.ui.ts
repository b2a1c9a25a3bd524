// The permission prompt as a person meets it: running a destructive tool from the tree asks in a
// dialog naming the server, tool and arguments; Deny sends nothing; "Always Allow This Tool" runs
// it and the next run goes through without asking; Manage Tool Permissions revokes the rule and
// the prompt comes back; the audit log lists the calls. Meanwhile another server's tool list keeps
// changing: its row repaints, and the vault rows' buttons and the open inputs must not notice. The
// config is restored at the end. The prompt's screenshot is the README's (`npm run screenshots`).
import * as fs from 'fs';
import * as path from 'path';
import type { Page } from 'playwright-core';
import {
  answer, clickAnswer, dismissNotifications, docScreenshot, editConfig, expandRow, openViewContainer, parkPointer, runCommand, screenshot, waitForRow,
  waitForWorkbench, type UiContext,
} from './helpers';

export const docImages = ['permission-prompt.png'];

export async function run(ctx: UiContext): Promise<void> {
  const { page, shotsDir, repo, workspace, log } = ctx;
  const configFile = path.join(workspace, '.vscode', 'switchboard.json');
  const original = fs.readFileSync(configFile, 'utf8');
  const fixture = (name: string) => path.join(repo, 'out', 'test', 'fixtures', `${name}.js`);
  const dialog = page.locator('.monaco-dialog-box');
  const editorShows = (text: string) => page.locator('.part.editor .view-lines', { hasText: text }).first().waitFor({ timeout: 20000 });
  try {
    await waitForWorkbench(page);
    await dismissNotifications(page);
    await openViewContainer(page, 'MCP Switchboard');
    editConfig(configFile, (c) => {
      c.servers!.vault = { type: 'stdio', command: process.execPath, args: [fixture('echo')], env: { FIXTURE_DESTRUCTIVE: '1' } };
      c.servers!.noisy = { type: 'stdio', command: process.execPath, args: [fixture('list-changed')], env: { FIXTURE_FLAP_MS: '150' } };
    });
    await page.locator('.part.sidebar .monaco-list-row', { hasText: /vault.*tools/ }).first().waitFor({ timeout: 30000 });
    await expandRow(page, page.locator('.part.sidebar .monaco-list-row[aria-level="1"]', { hasText: 'vault' }).first());
    await expandRow(page, page.locator('.part.sidebar .monaco-list-row[aria-level="2"]', { hasText: 'Tools' }).first());
    await waitForRow(page, 'vault_erase');

    // 1. Asked in a dialog; Deny sends nothing.
    await runErase(page, 'alpha');
    await dialog.first().waitFor({ timeout: 20000 });
    const text = await dialog.first().innerText();
    for (const want of ['Run "erase" from MCP server "vault"?', 'you (Run Tool)', 'Erases the named item', 'destructive', '"item": "alpha"']) {
      if (!text.includes(want)) throw new Error(`the prompt does not show ${JSON.stringify(want)}:\n${text}`);
    }
    const buttons = (await dialog.locator('.dialog-buttons .monaco-button').allInnerTexts()).map((b) => b.trim());
    const expected = ['Allow Once', 'Allow for This Session', 'Always Allow This Tool', 'Deny'];
    if (expected.some((b) => !buttons.includes(b)) || buttons.some((b) => b.startsWith('Always Allow "'))) {
      throw new Error(`unexpected answers ${JSON.stringify(buttons)} (a destructive tool must not offer the whole server)`);
    }
    await parkPointer(page);
    await docScreenshot(ctx, 'permission-prompt.png');
    await clickAnswer(page, 'Deny');
    await editorShows('Not run (denied)');
    log('a destructive tool asked in a dialog with server, tool, requester and arguments; Deny sent nothing');

    // 2. Always allow this tool: it runs, and the next run is not asked about.
    await runErase(page, 'beta');
    await clickAnswer(page, 'Always Allow This Tool');
    await editorShows('erased beta');
    await runErase(page, 'gamma');
    await editorShows('erased gamma');
    if (await dialog.count()) throw new Error('asked again although the tool was always allowed');
    log('"Always Allow This Tool" ran it, and the next run went through without a prompt');

    // 3. Manage Tool Permissions revokes the rule; the prompt is back.
    await runCommand(page, 'MCP Switchboard: Manage Tool Permissions');
    const row = page.locator('.quick-input-list .monaco-list-row', { hasText: 'vault › erase' }).first();
    await row.waitFor({ timeout: 10000 });
    // In a multi-select list a click on the row toggles its check box.
    await row.click();
    await page.locator('.quick-input-widget', { hasText: '1 Selected' }).first().waitFor({ timeout: 5000 }).catch(() => undefined);
    await screenshot(page, path.join(shotsDir, 'manage-permissions.png'));
    await page.keyboard.press('Enter');
    await page.locator('.part.statusbar', { hasText: 'Revoked 1 permission rule' }).first().waitFor({ timeout: 10000 });
    await runErase(page, 'delta');
    await dialog.first().waitFor({ timeout: 20000 });
    await clickAnswer(page, 'Deny');
    // The denied run opens its result document; a palette opened before it would lose focus and close.
    await editorShows('"delta"');
    log('Manage Tool Permissions revoked the rule and the next run asked again');

    // 4. The audit log has every call, with no argument values.
    await runCommand(page, 'MCP Switchboard: Open Tool Call Audit Log');
    await editorShows('"tool":"erase"');
    const auditText = await page.locator('.part.editor .view-lines').first().innerText();
    if (/alpha|beta|gamma|delta/.test(auditText)) throw new Error('argument values reached the audit log');
    log('the audit log lists the calls with hashes only');
  } finally {
    fs.writeFileSync(configFile, original);
    await page.keyboard.press('Escape').catch(() => undefined);
  }
}

/**
 * Run Tool… on the `erase` row (its inline action), answering the one argument. The command must
 * get its row (no "which tool?" pick), and its input must stay open until answered.
 */
async function runErase(page: Page, item: string): Promise<void> {
  const row = page.locator('.part.sidebar .monaco-list-row[aria-level="3"]', { hasText: 'vault_erase' }).first();
  await row.hover();
  await row.locator('.action-label[aria-label^="Run Tool"]').first().click();
  await answer(page, 'erase: item', item);
}
