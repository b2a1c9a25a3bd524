// The workbench loads with the installed extension; its activity-bar container opens the side bar
// and, when the workspace configures servers (the demo does), lists each of them. The screenshot is
// the README's docs/images/sidebar.png (`npm run screenshots`).
import * as fs from 'fs';
import * as path from 'path';
import { parse } from 'jsonc-parser';
import {
  dismissNotifications, docScreenshot, openViewContainer, parkPointer, waitForActivation, waitForRow, waitForWorkbench, type UiContext,
} from './helpers';

export const docImages = ['sidebar.png'];

/** Server names from the workspace's .vscode/switchboard.json, if it has one. */
function configuredServers(workspace: string): string[] {
  const file = path.join(workspace, '.vscode', 'switchboard.json');
  if (!fs.existsSync(file)) return [];
  const config = parse(fs.readFileSync(file, 'utf8')) as { servers?: Record<string, unknown> } | undefined;
  return Object.keys(config?.servers ?? {});
}

export async function run(ctx: UiContext): Promise<void> {
  const { page, workspace, log } = ctx;
  await waitForWorkbench(page);
  log('workbench ready');
  await dismissNotifications(page);
  await openViewContainer(page, 'MCP Switchboard');
  log('MCP Switchboard side bar open');

  const servers = configuredServers(workspace);
  for (const name of servers) await waitForRow(page, name);
  if (servers.length) log(`tree lists ${servers.join(', ')}`);
  // A settled picture: activation done, no spinning state icons (bounded; not an assertion).
  await waitForActivation(page);
  await page.locator('.part.sidebar .monaco-list-row .codicon-loading').first().waitFor({ state: 'hidden', timeout: 30000 }).catch(() => undefined);
  await dismissNotifications(page);
  await parkPointer(page);
  await page.waitForTimeout(1000);
  await docScreenshot(ctx, 'sidebar.png');
}
