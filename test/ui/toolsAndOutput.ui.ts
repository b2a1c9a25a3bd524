// A user expands a demo server to see its tools, then opens that server's output channel from the
// command palette and sees its stderr there. The screenshots are the README's (`npm run screenshots`).
import { docScreenshot, expandRow, openDemoServers, parkPointer, runCommand, waitForRow, type UiContext } from './helpers';

export const docImages = ['tools.png', 'output.png'];

export async function run(ctx: UiContext): Promise<void> {
  const { page, log } = ctx;
  await openDemoServers(page);
  // Select the row, then expand it from the keyboard (Right arrow), as a keyboard user would.
  await expandRow(page, page.locator('.part.sidebar .monaco-list-row[aria-level="1"]', { hasText: 'everything' }).first());
  await expandRow(page, page.locator('.part.sidebar .monaco-list-row[aria-level="2"]', { hasText: 'Tools' }).first());
  await waitForRow(page, 'everything_echo');
  log('server-everything\'s tools are listed with namespaced names');
  await parkPointer(page);
  await docScreenshot(ctx, 'tools.png');

  await runCommand(page, 'MCP Switchboard: Show Server Output');
  const input = page.locator('.quick-input-widget input');
  await input.waitFor({ timeout: 10000 });
  await input.fill('memory');
  await page.locator('.quick-input-list .monaco-list-row', { hasText: 'memory' }).first().waitFor({ timeout: 10000 });
  await page.keyboard.press('Enter');
  // server-memory announces itself on stderr; the channel shows it line by line.
  const line = page.locator('.part.panel .view-lines', { hasText: 'Knowledge Graph MCP Server running on stdio' }).first();
  await line.waitFor({ timeout: 20000 });
  log('the memory server\'s stderr is in its own output channel');
  await parkPointer(page);
  await docScreenshot(ctx, 'output.png');
}
