// Signing into a remote server that requires OAuth, as a person does it: the tree shows it as
// "needs sign-in" with a Sign In button (and one notification offering the same); clicking it
// shows the page's full address, and "Open" opens it in a new browser tab; "Allow" there sends the browser
// back to Switchboard's loopback listener, which says so; the server then runs with its tools.
// Screenshots of the tree row (the README's, `npm run screenshots`) and of the consent page. The
// config is restored at the end.
import * as fs from 'fs';
import * as path from 'path';
import { startHttpFixture } from '../fixtures/spawn';
import { clickAnswer, dismissNotifications, docScreenshot, editConfig, openViewContainer, parkPointer, waitForWorkbench, type UiContext } from './helpers';

export const docImages = ['needs-sign-in.png'];

export async function run(ctx: UiContext): Promise<void> {
  const { page, shotsDir, workspace, log } = ctx;
  const configFile = path.join(workspace, '.vscode', 'switchboard.json');
  const original = fs.readFileSync(configFile, 'utf8');
  const fx = await startHttpFixture('oauth', [], { env: { ...process.env, FIXTURE_CONSENT: '1' } });
  try {
    await waitForWorkbench(page);
    await dismissNotifications(page);
    await openViewContainer(page, 'MCP Switchboard');
    editConfig(configFile, (c) => { c.servers!.secured = { type: 'http', url: fx.url }; });
    const row = page.locator('.part.sidebar .monaco-list-row[aria-level="1"]', { hasText: /secured.*needs sign-in/ }).first();
    await row.waitFor({ timeout: 30000 });
    await page.locator('.notifications-toasts', { hasText: 'MCP server "secured" needs you to sign in.' }).first().waitFor({ timeout: 10000 });
    // The other servers may still be starting: their rows change, this one's does not.
    await row.hover();
    await parkPointer(page).catch(() => undefined);
    await row.hover();
    await docScreenshot(ctx, 'needs-sign-in.png');
    log('the tree shows "needs sign-in" with a Sign In button, and one notification says so');

    await row.locator('.action-label[aria-label^="Sign In"]').first().click();
    // The server chose the sign-in page: its full address is shown before the browser opens it.
    const dialog = page.locator('.monaco-dialog-box', { hasText: 'Sign in to MCP server "secured" in your browser?' }).first();
    await dialog.waitFor({ timeout: 20000 });
    if (!(await dialog.innerText()).includes(`http://127.0.0.1:${fx.port}/authorize?`)) throw new Error('the dialog does not show the address');
    const [tab] = await Promise.all([
      page.context().waitForEvent('page', { timeout: 20000 }),
      clickAnswer(page, 'Open'),
    ]);
    await tab.locator('#allow').waitFor({ timeout: 20000 }).catch(async (e: Error) => {
      throw new Error(`${e.message}\nthe new tab is at ${tab.url()}:\n${(await tab.content().catch(() => '')).slice(0, 600)}`);
    });
    await tab.screenshot({ path: path.join(shotsDir, 'sign-in-consent.png') });
    await tab.locator('#allow').click();
    await tab.locator('h2', { hasText: 'Signed in' }).waitFor({ timeout: 20000 }).catch(async (e: Error) => {
      throw new Error(`${e.message}\nafter Allow the tab is at ${tab.url()}:\n${(await tab.content().catch(() => '')).slice(0, 600)}\nfixture:\n${fx.stderr()}`);
    });
    log('Sign In opened the authorization page in a new tab; Allow landed on Switchboard\'s "Signed in" page');

    await page.bringToFront();
    await page.locator('.part.sidebar .monaco-list-row[aria-level="1"]', { hasText: /secured.*tools/ }).first().waitFor({ timeout: 30000 });
    if (!/consent given/.test(fx.stderr())) throw new Error(`the fixture saw no consent:\n${fx.stderr()}`);
    await tab.close();
    log('the server runs with its tools after the sign-in');
  } finally {
    fs.writeFileSync(configFile, original);
    await fx.stop();
  }
}
