/** Headless CLI over the same core as the extension: `switchboard check|list|call`. */
import { stripControls } from '../common/terminalText';
import { runCall } from './call';
import { runCheck } from './check';
import { runConformance } from './conformance';
import { runList } from './list';
import { runGrant, runPermissions, runRevoke } from './permissions';

const USAGE = `usage:
  switchboard check [--config FILE]          validate a config file (default .vscode/switchboard.json)
  switchboard list  [--config FILE] [--json] [--verbose]
                                             connect every server and list its tools
  switchboard call  <tool> ['<json args>'] [--config FILE] [--yes] [--json] [--verbose]
                                             call one namespaced tool through the router;
                                             exit 0 ok, 1 tool failed, 2 bad input, 3 not allowed
  switchboard allow <tool|server> [--scope always|workspace] [--config FILE]
                                             let calls run without --yes (pins the definition)
  switchboard deny  <tool|server> [--scope always|workspace] [--config FILE]
  switchboard permissions [--json] [--config FILE]   list stored rules with their ids
  switchboard revoke <rule-id>                remove a rule
  switchboard conformance <server-url>        the client the MCP conformance suite drives
                                             (npm run conformance); answers as a user would
rules and the audit log (audit.jsonl) live in the user data folder (SWITCHBOARD_HOME overrides)`;

/** Flags that take a value (`--config FILE` or `--config=FILE`); every other flag is a switch. */
const VALUED = ['config', 'scope'];

function parseArgs(argv: string[]): { command?: string; flags: Record<string, string | boolean>; rest: string[] } {
  // No prototype: `--constructor` or `--__proto__` is an unknown flag, not Object's.
  const flags = Object.create(null) as Record<string, string | boolean>;
  const rest: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const valued = VALUED.find((f) => a === `--${f}` || a.startsWith(`--${f}=`));
    if (valued) flags[valued] = a.includes('=') ? a.slice(a.indexOf('=') + 1) : argv[++i] ?? '';
    else if (a.startsWith('--')) flags[a.slice(2)] = true;
    else rest.push(a);
  }
  return { command: rest.shift(), flags, rest };
}

async function main(): Promise<number> {
  const { command, flags, rest } = parseArgs(process.argv.slice(2));
  // Servers' text (tool names, descriptions, results, stderr, errors) reaches the terminal through
  // these two alone, so no escape sequence a server wrote can act on it. JSON output escapes them instead.
  const out = (l: string) => process.stdout.write(`${stripControls(l)}\n`);
  const err = (l: string) => process.stderr.write(`${stripControls(l)}\n`);
  const config = typeof flags.config === 'string' ? flags.config : undefined;
  switch (command) {
    case 'check': return runCheck({ config }, out);
    case 'list': return runList({ config, json: !!flags.json, verbose: !!flags.verbose }, out, err);
    case 'call': return runCall(rest[0], rest[1], { config, json: !!flags.json, yes: !!flags.yes, verbose: !!flags.verbose }, out, err);
    case 'allow':
    case 'deny':
      return runGrant(command, rest[0], { config, scope: typeof flags.scope === 'string' ? flags.scope : undefined, verbose: !!flags.verbose }, out, err);
    case 'permissions': return runPermissions({ config, json: !!flags.json }, out, err);
    case 'revoke': return runRevoke(rest[0], { config }, out, err);
    case 'conformance': return runConformance(rest[0], out, err);
    default:
      err(USAGE);
      return command === undefined || flags.help ? 0 : 2;
  }
}

// Stdio servers run in sessions of their own, out of reach of the terminal's Ctrl-C: end on these
// signals through process.exit, whose 'exit' hook (stdioTransport.ts) kills the servers' groups.
for (const [signal, code] of [['SIGINT', 130], ['SIGTERM', 143], ['SIGHUP', 129]] as const) {
  process.once(signal, () => process.exit(code));
}

main().then(
  (code) => {
    // Flush stdout before exiting: piped output is asynchronous.
    process.stdout.write('', () => process.exit(code));
  },
  (e) => { process.stderr.write(`switchboard: ${stripControls(String((e as Error)?.stack ?? e))}\n`); process.exit(1); },
);
