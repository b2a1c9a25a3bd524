/**
 * The definitions VS Code's own card let through, per server identity and tool. VS Code remembers
 * its "Always allow" by tool name only, so a server could change what a tool does and VS Code would
 * keep running it unasked. The first call a card (or VS Code's remembered answer) lets through
 * pins the tool's definition here; when a later call arrives with a different definition, the
 * authorizer asks the user itself, showing what changed, and a yes pins the new definition.
 * Kept in the user's global storage, like VS Code's own "always" answers.
 *
 * Pins belong to a server's identity (config/identity.ts), so a workspace server named like a user
 * server starts with none of the user's. Pins stored before identities (by name only) are kept
 * for checking alone: a tool that differs from one is "changed", which can only ask more often.
 */
import type { Tool } from '@modelcontextprotocol/sdk/types.js';
import { z } from 'zod';
import { errorMessage } from '../common/async';
import type { ServerRef } from '../config/identity';
import { describeDefinitionChange, matchesPin, pinTool } from './fingerprint';
import { pinSchema, type KeyValueStore } from './ruleStore';
import type { DefinitionChange, PinnedDefinition } from './types';

export const HOST_PINS_KEY = 'switchboard.permissions.hostPins';

/** Entries rather than records keyed by names that servers and configs choose. */
const entrySchema = z.object({ key: z.string(), tool: z.string(), pin: pinSchema });
const storedSchema = z.object({ version: z.literal(2), pins: z.array(entrySchema), legacy: z.array(entrySchema) });
const legacySchema = z.object({ version: z.literal(1), pins: z.record(z.string(), z.record(z.string(), pinSchema)) });

export type HostPinCheck = { kind: 'unpinned' } | { kind: 'same' } | { kind: 'changed'; changed: DefinitionChange[] };

/** server key → tool → pin, in maps: nothing a server names can reach an object's prototype. */
type PinMap = Map<string, Map<string, PinnedDefinition>>;

export class HostPins {
  private readonly _pins: PinMap = new Map();
  /** Pins from before identities, by server name; read-only. */
  private readonly _legacy: PinMap = new Map();
  private _write = Promise.resolve();

  constructor(private readonly _store?: KeyValueStore, private readonly _onProblem: (message: string) => void = () => undefined) {
    this._load();
  }

  check(server: ServerRef, tool: Tool): HostPinCheck {
    const pin = this._pins.get(server.identity)?.get(tool.name) ?? this._legacy.get(server.name)?.get(tool.name);
    if (!pin) return { kind: 'unpinned' };
    if (matchesPin(pin, tool)) return { kind: 'same' };
    return { kind: 'changed', changed: describeDefinitionChange(pin.definition, tool) };
  }

  /** Pins the definition the user (or VS Code on their behalf) just let run. */
  record(server: ServerRef, tool: Tool): void {
    let tools = this._pins.get(server.identity);
    const pin = tools?.get(tool.name);
    if (pin && matchesPin(pin, tool)) return;
    if (!tools) this._pins.set(server.identity, tools = new Map());
    tools.set(tool.name, pinTool(tool));
    this._persist();
  }

  /** Resolves when the writes so far have been stored (or failed, which was reported). */
  flush(): Promise<void> {
    return this._write;
  }

  private _persist(): void {
    const store = this._store;
    if (!store) return;
    // Chained, and the maps are read when the write runs, so the newest state always lands last.
    this._write = this._write.then(async () => {
      try {
        await store.update(HOST_PINS_KEY, { version: 2, pins: entries(this._pins), legacy: entries(this._legacy) });
      } catch (e) {
        this._onProblem(`Could not save the tool definitions VS Code approved: ${errorMessage(e)}`);
      }
    });
  }

  private _load(): void {
    let raw: unknown;
    try {
      raw = this._store?.get<unknown>(HOST_PINS_KEY);
    } catch (e) {
      this._onProblem(`Could not read the tool definitions VS Code approved: ${errorMessage(e)}`);
      return;
    }
    if (raw === undefined) return;
    const stored = storedSchema.safeParse(raw);
    if (stored.success) {
      fill(this._pins, stored.data.pins as Entry[]);
      fill(this._legacy, stored.data.legacy as Entry[]);
      return;
    }
    const legacy = legacySchema.safeParse(raw);
    if (legacy.success) {
      const list = Object.entries(legacy.data.pins).flatMap(([key, tools]) => Object.entries(tools).map(([tool, pin]) => ({ key, tool, pin })));
      fill(this._legacy, list as Entry[]);
      return;
    }
    // Losing them means the next call pins afresh, as on first use.
    this._onProblem('Ignored the stored tool definitions VS Code approved: unrecognized format.');
  }
}

interface Entry { key: string; tool: string; pin: PinnedDefinition }

function entries(map: PinMap): Entry[] {
  return [...map].flatMap(([key, tools]) => [...tools].map(([tool, pin]) => ({ key, tool, pin })));
}

function fill(map: PinMap, list: readonly Entry[]): void {
  for (const { key, tool, pin } of list) {
    let tools = map.get(key);
    if (!tools) map.set(key, tools = new Map());
    tools.set(tool, pin);
  }
}
