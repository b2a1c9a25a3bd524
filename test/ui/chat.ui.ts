// @switchboard in the Chat view, as a person meets it in the npm start demo (with the rule-based
// demo model, demo-model/): asking for a server's tool shows VS Code's approval card for that
// tool with its arguments and the server it runs on (as VS Code's own MCP server); Allow runs it and the answer quotes the
// tool's result; the "Always Allow" button under the answer makes the next call run without a
// card. The screenshots are the README's (`npm run screenshots`).
import type { Locator, Page } from 'playwright-core';
import { docScreenshot, openDemoServers, parkPointer, runCommand, type UiContext } from './helpers';

export const docImages = ['chat-approval.png', 'chat-result.png'];

async function send(page: Page, input: Locator, text: string): Promise<void> {
  await input.locator('.monaco-editor').first().click();
  await page.keyboard.type(text);
  await page.keyboard.press('Enter');
}

/**
 * Fails with what the chat shows when `text` does not appear in the response: the `index`th one,
 * or the last. A request just sent needs its index: until its response appears, "the last" is
 * the previous one, which may well hold `text` already.
 */
async function waitForResponse(chat: Locator, text: string | RegExp, timeout = 30000, index?: number): Promise<string> {
  const responses = chat.locator('.interactive-response');
  const response = index === undefined ? responses.last() : responses.nth(index);
  try {
    await response.getByText(text).first().waitFor({ timeout });
  } catch {
    throw new Error(`the chat response never showed ${String(text)}; it shows:\n${await response.innerText().catch(() => '(nothing)')}`);
  }
  return response.innerText();
}

export async function run(ctx: UiContext): Promise<void> {
  const { page, log } = ctx;
  await openDemoServers(page);
  await runCommand(page, 'Chat: Open Chat');
  const chat = page.locator('.part.auxiliarybar');
  const input = chat.locator('.interactive-input-part');
  await input.getByText(/Switchboard Demo/).first().waitFor({ timeout: 30000 });

  // 1. The card: VS Code's own, for this one tool, with its arguments and its server.
  await send(page, input, '@switchboard use everything_get-sum with 2 and 40');
  const allow = chat.locator('.monaco-button', { hasText: /^Allow in this Session$/ }).first();
  await allow.waitFor({ timeout: 30000 });
  // The arguments sit in a small editor: its spaces come out as no-break spaces.
  const card = (await chat.locator('.interactive-response').last().innerText()).replace(/\s+/g, ' ');
  // The card's origin is the server itself: each server is its own MCP server in VS Code, so the
  // card's "Allow Tools from …" choices cover that server alone.
  for (const want of ['Get Sum Tool (everything)', 'everything (MCP Server)', 'Returns the sum of two numbers', '"a": 2', '"b": 40']) {
    if (!card.includes(want)) throw new Error(`the card does not show ${JSON.stringify(want)}:\n${card}`);
  }
  await parkPointer(page);
  await docScreenshot(ctx, 'chat-approval.png');
  log('the approval card shows the tool, its server and the arguments');

  // 2. Allow: the tool runs and the answer is its result.
  await allow.click();
  await waitForResponse(chat, /The tool answered:/);
  const answer = await waitForResponse(chat, /42/);
  if (!/sum.*42|42/i.test(answer)) throw new Error(`the answer does not use the tool's result:\n${answer}`);
  const always = chat.locator('.monaco-button', { hasText: 'Always Allow everything_get-sum' }).first();
  await always.waitFor({ timeout: 10000 });
  await parkPointer(page);
  await docScreenshot(ctx, 'chat-result.png');
  log('after Allow the answer quotes the tool\'s result (42), with an Always Allow button');

  // 3. Always Allow: the next call runs on our rule, without a card.
  await always.click();
  const earlier = await chat.locator('.interactive-response').count();
  await send(page, input, '@switchboard use everything_get-sum with 5 and 6');
  await waitForResponse(chat, /The tool answered:/, 30000, earlier);
  // The chat renders an answer word by word: wait for the result itself, as for the first call.
  const second = await waitForResponse(chat, /\b11\b/, 30000, earlier);
  if (!second.includes('Allowed by your rule for "get-sum" (always)')) throw new Error(`the second call does not say which rule allowed it:\n${second}`);
  if (!second.includes('11')) throw new Error(`the second answer lacks the tool's result:\n${second}`);
  if (await chat.locator('.interactive-response').nth(earlier).locator('.monaco-button', { hasText: 'Allow in this Session' }).count()) throw new Error('a card came back after Always Allow');
  log('after Always Allow the next call ran on the rule, with no card');
}
