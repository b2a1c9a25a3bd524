/**
 * The definitions VS Code's own card let through, per server and tool. VS Code remembers its
 * "Always allow" by tool name only, so a server could change what a tool does and VS Code would
 * keep running it unasked. The first call a card (or VS Code's remembered answer) lets through
 * pins the tool's definition here; when a later call arrives with a different definition, the
 * authorizer asks the user itself, showing what changed, and a yes pins the new definition.
 * Kept in the user's global storage, like VS Code's own "always" answers.
 */
import type { Tool } from '@modelcontextprotocol/sdk/types.js';
import { z } from 'zod';
import { errorMessage } from '../common/async';
import { describeDefinitionChange, matchesPin, pinTool } from './fingerprint';
import { pinSchema, type KeyValueStore } from './ruleStore';
import type { DefinitionChange, PinnedDefinition } from './types';

export const HOST_PINS_KEY = 'switchboard.permissions.hostPins';

const storedSchema = z.object({ version: z.literal(1), pins: z.record(z.string(), z.record(z.string(), pinSchema)) });

export type HostPinCheck = { kind: 'unpinned' } | { kind: 'same' } | { kind: 'changed'; changed: DefinitionChange[] };

export class HostPins {
  private readonly _pins: Record<string, Record<string, PinnedDefinition>>;
  private _write = Promise.resolve();

  constructor(private readonly _store?: KeyValueStore, private readonly _onProblem: (message: string) => void = () => undefined) {
    this._pins = this._load();
  }

  check(server: string, tool: Tool): HostPinCheck {
    const pin = this._pins[server]?.[tool.name];
    if (!pin) return { kind: 'unpinned' };
    if (matchesPin(pin, tool)) return { kind: 'same' };
    return { kind: 'changed', changed: describeDefinitionChange(pin.definition, tool) };
  }

  /** Pins the definition the user (or VS Code on their behalf) just let run. */
  record(server: string, tool: Tool): void {
    const pin = this._pins[server]?.[tool.name];
    if (pin && matchesPin(pin, tool)) return;
    (this._pins[server] ??= {})[tool.name] = pinTool(tool);
    this._persist();
  }

  /** Resolves when the writes so far have been stored (or failed, which was reported). */
  flush(): Promise<void> {
    return this._write;
  }

  private _persist(): void {
    const store = this._store;
    if (!store) return;
    // Chained, and the map is read when the write runs, so the newest state always lands last.
    this._write = this._write.then(async () => {
      try {
        await store.update(HOST_PINS_KEY, { version: 1, pins: this._pins });
      } catch (e) {
        this._onProblem(`Could not save the tool definitions VS Code approved: ${errorMessage(e)}`);
      }
    });
  }

  private _load(): Record<string, Record<string, PinnedDefinition>> {
    let raw: unknown;
    try {
      raw = this._store?.get<unknown>(HOST_PINS_KEY);
    } catch (e) {
      this._onProblem(`Could not read the tool definitions VS Code approved: ${errorMessage(e)}`);
      return {};
    }
    if (raw === undefined) return {};
    const parsed = storedSchema.safeParse(raw);
    if (!parsed.success) {
      // Losing them means the next call pins afresh, as on first use.
      this._onProblem('Ignored the stored tool definitions VS Code approved: unrecognized format.');
      return {};
    }
    return parsed.data.pins as Record<string, Record<string, PinnedDefinition>>;
  }
}
