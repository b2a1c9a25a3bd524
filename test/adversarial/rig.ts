/**
 * What an attack on the catalog needs: a manager with recording logs, a router on it (with the
 * given permission hook), a short `call`, and everything stopped after the suite. Call inside a
 * `describe`.
 */
import { managerBackend } from '../../src/router/backend';
import { ToolRouter, type RouterOptions } from '../../src/router/router';
import type { ToolCallOutcome } from '../../src/router/types';
import { testManager } from '../connection/helpers';

export function attackRig(options: RouterOptions = {}) {
  const { manager, logs } = testManager();
  const router = new ToolRouter(managerBackend(manager), options);
  after(async () => { router.dispose(); await manager.stopAll(500); manager.dispose(); });
  const call = (name: string, args: Record<string, unknown> = {}): Promise<ToolCallOutcome> => router.call(name, args, { origin: 'gateway' });
  return { manager, logs, router, call };
}

/** The first text part of a call's result. */
export const firstText = (o: ToolCallOutcome): string => (o as { result: { content: { text: string }[] } }).result.content[0].text;
