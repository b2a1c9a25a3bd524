/**
 * A server that repeats the secrets it was started with wherever it can: its whole command line
 * and its API_KEY on stderr, again in every tool result (which a trace writes down), and, with
 * the argument `die`, in the error it exits with. It runs otherwise as a normal server.
 */
import { serveLines } from './lineServer';

const args = process.argv.slice(2);
process.stderr.write(`started with ${args.join(' ')}\n`);
process.stderr.write(`env API_KEY=${process.env.API_KEY ?? ''}\n`);
if (args.includes('die')) {
  process.stderr.write(`fatal: the key ${process.env.API_KEY ?? ''} was refused\n`);
  process.exit(1);
}

serveLines({
  tools: [{ name: 'whoami', description: 'Says what it was started with.' }],
  call: () => ({ content: [{ type: 'text', text: `args ${args.join(' ')} key ${process.env.API_KEY ?? ''}` }] }),
});
