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
  /**
   * Calls the well-behaved fixture `good` once before the watch: a tool's first call compiles
   * its schema, which is that tool's cost, not the attack's.
   */
  const warmUp = async (): Promise<void> => {
    const out = await call('good_echo', { text: 'warm' });
    if (out.kind !== 'ok') throw new Error(`the well-behaved server did not answer: ${JSON.stringify(out)}`);
  };
  return { manager, logs, router, call, warmUp };
}

/** The first text part of a call's result. */
export const firstText = (o: ToolCallOutcome): string => (o as { result: { content: { text: string }[] } }).result.content[0].text;
