// A server asking the user for input mid-call (form elicitation), answered as a person would:
// Run Tool on the fixture's ask_user, then the quick inputs: Respond, the name
// (starting at the server's default), the age (a wrong value is refused with the schema's
// reason), a yes/no, a titled choice, a multi-select; the tool's answer shows what the server
// received. Then Decline on a second run, a URL request declined in its dialog, and a sampling
// request that asks for consent once and is answered by the demo model. The config is restored at
// the end.
import * as fs from 'fs';
import * as path from 'path';
import {
  answer, answerPick, clickAnswer, dismissNotifications, editConfig, openViewContainer, runCommand, screenshot, waitForWorkbench, type UiContext,
} from './helpers';

export async function run({ page, shotsDir, repo, workspace, log }: UiContext): Promise<void> {
  const configFile = path.join(workspace, '.vscode', 'switchboard.json');
  const original = fs.readFileSync(configFile, 'utf8');
  const fixture = path.join(repo, 'out', 'test', 'fixtures', 'echo.js');
  const widget = page.locator('.quick-input-widget').first();
  const editorShows = (text: string) => page.locator('.part.editor .view-lines', { hasText: text }).first().waitFor({ timeout: 20000 });
  const runAskUser = async () => {
    await runCommand(page, 'MCP Switchboard: Run Tool');
    await answerPick(page, 'asker_ask_user');
    // Running a tool yourself needs no permission prompt (unless it is destructive): the form comes straight up.
    await page.locator('.quick-input-widget', { hasText: 'MCP server "asker" asks: Tell the fixture about yourself' }).first().waitFor({ timeout: 20000 });
  };
  try {
    await waitForWorkbench(page);
    await dismissNotifications(page);
    await openViewContainer(page, 'MCP Switchboard');
    editConfig(configFile, (c) => { c.servers!.asker = { type: 'stdio', command: process.execPath, args: [fixture], env: { FIXTURE_CLIENT_FEATURES: '1' } }; });
    await page.locator('.part.sidebar .monaco-list-row', { hasText: /asker.*tools/ }).first().waitFor({ timeout: 30000 });

    await runAskUser();
    await screenshot(page, path.join(shotsDir, 'elicitation-start.png'));
    await answerPick(page, 'Respond');
    // The name starts at the server's default.
    await page.locator('.quick-input-widget', { hasText: '(1/5)' }).first().waitFor({ timeout: 10000 });
    const initial = await widget.locator('input').inputValue();
    if (initial !== 'Ada') throw new Error(`the name field starts at ${JSON.stringify(initial)}, not the default "Ada"`);
    await page.keyboard.press('Enter');
    // A value outside the schema's range is refused with its reason, and the step stays open.
    await page.locator('.quick-input-widget', { hasText: '(2/5)' }).first().waitFor({ timeout: 10000 });
    await widget.locator('input').fill('200');
    await page.locator('.quick-input-widget', { hasText: 'at most 150' }).first().waitFor({ timeout: 10000 });
    await screenshot(page, path.join(shotsDir, 'elicitation-validation.png'));
    await answer(page, '(2/5)', '36');
    await page.locator('.quick-input-widget', { hasText: '(3/5)' }).first().waitFor({ timeout: 10000 });
    await answerPick(page, 'Yes');
    await page.locator('.quick-input-widget', { hasText: '(4/5)' }).first().waitFor({ timeout: 10000 });
    await answerPick(page, 'Red');
    await page.locator('.quick-input-widget', { hasText: '(5/5)' }).first().waitFor({ timeout: 10000 });
    await page.keyboard.press('Enter');
    await editorShows('"action":"accept"');
    const text = await page.locator('.part.editor .view-lines').first().innerText();
    for (const want of ['"name":"Ada"', '"age":36', '"subscribe":true', '"colour":"r"']) {
      if (!text.replace(/\s/g, '').includes(want)) throw new Error(`the server did not get ${want}:\n${text}`);
    }
    log('the form asked field by field from the schema (default shown, range enforced) and the server got the answers');

    await runAskUser();
    await answerPick(page, 'Decline');
    await editorShows('"action":"decline"');
    log('Decline told the server no');

    // URL mode: a modal names the server and the address; Decline opens nothing.
    await runCommand(page, 'MCP Switchboard: Run Tool');
    await answerPick(page, 'asker_ask_url');
    const dialog = page.locator('.monaco-dialog-box', { hasText: 'MCP server "asker" asks you to open a page: Link your account' }).first();
    await dialog.waitFor({ timeout: 20000 });
    if (!(await dialog.innerText()).includes('http://127.0.0.1:9/link')) throw new Error('the dialog does not show the address');
    await screenshot(page, path.join(shotsDir, 'elicitation-url.png'));
    await clickAnswer(page, 'Decline');
    await page.locator('.part.editor .view-line', { hasText: /^decline$/ }).first().waitFor({ timeout: 20000 });
    log('a URL request named the server and the address in a dialog; Decline opened nothing');

    // Sampling: the first request asks whether the server may use a model; Allow is remembered.
    const sample = async (prompt: string) => {
      await runCommand(page, 'MCP Switchboard: Run Tool');
      await answerPick(page, 'asker_sample');
      await answer(page, 'sample: prompt', prompt);
    };
    await sample('hello model');
    const consent = page.locator('.monaco-dialog-box', { hasText: 'MCP server "asker" wants to use a language model (sampling).' }).first();
    await consent.waitFor({ timeout: 20000 });
    await screenshot(page, path.join(shotsDir, 'sampling-consent.png'));
    await clickAnswer(page, 'Allow');
    await editorShows('I am the Switchboard demo model');
    await sample('again');
    // The second result opens a second asker_sample tab, without a dialog on the way.
    await page.locator('.tabs-container .tab', { hasText: 'asker_sample' }).nth(1).waitFor({ timeout: 20000 });
    if (await consent.count()) throw new Error('asked again although the server was allowed');
    await editorShows('I am the Switchboard demo model');
    log('sampling asked once for consent, then the model answered the server; the second request was not asked about');
  } finally {
    fs.writeFileSync(configFile, original);
    await page.keyboard.press('Escape').catch(() => undefined);
  }
}
