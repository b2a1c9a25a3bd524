/**
 * Debian's nginx as a TLS-terminating reverse proxy on 127.0.0.1, run by the test as its own
 * child: its own prefix, configuration, pid file, logs and temp folders in a folder of the test's,
 * in the foreground (`daemon off`), stopped by its pid. A system nginx is never touched. The
 * proxying itself is docs/nginx/mcp.conf, included as it is, so the tests run the documented
 * configuration.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { killProcessTree } from '../../src/client/processTree';
import type { TestCa } from './certificates';
import { waitFor } from './helpers';

export const NGINX = '/usr/sbin/nginx';
/** The documented proxy settings; tests run from out/test/connection. */
export const MCP_CONF = path.resolve(__dirname, '../../../docs/nginx/mcp.conf');

export interface NginxOptions {
  /** Folder for the configuration, pid file, logs and temp files. */
  dir: string;
  certificate: TestCa;
  /** Ports on 127.0.0.1 of the Streamable HTTP and the legacy SSE servers. */
  mcpPort: number;
  ssePort: number;
}

export interface NginxProxy {
  /** `https://127.0.0.1:<port>`. */
  readonly origin: string;
  readonly port: number;
  /** Stops nginx (fast shutdown: open connections are cut, as a restart cuts them). */
  stop(): Promise<void>;
  /** Starts it again on the same port with the same configuration. */
  start(): Promise<void>;
  /** error.log so far, for failure messages. */
  errorLog(): string;
}

/** A TCP port that is free on 127.0.0.1 right now. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer().once('error', reject).listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as net.AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}

function configText(opts: NginxOptions, port: number): string {
  const at = (name: string) => path.join(opts.dir, name);
  const temp = ['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi'].map((t) => `  ${t}_temp_path ${at(`temp/${t}`)};`);
  // As root, nginx would hand its workers to `nobody`, who cannot use the test's folder.
  const user = process.getuid?.() === 0 ? `user ${os.userInfo().username};\n` : '';
  return `# Written by test/connection/nginx.ts for one test run.
${user}worker_processes 1;
pid ${at('nginx.pid')};
error_log ${at('error.log')} notice;
events { worker_connections 128; }
http {
  access_log ${at('access.log')};
${temp.join('\n')}
  upstream mcp_server { server 127.0.0.1:${opts.mcpPort}; keepalive 8; }
  upstream legacy_sse_server { server 127.0.0.1:${opts.ssePort}; keepalive 8; }
  server {
    listen 127.0.0.1:${port} ssl;
    server_name localhost;
    ssl_certificate ${opts.certificate.certFile};
    ssl_certificate_key ${opts.certificate.keyFile};
    include ${MCP_CONF};
  }
}
`;
}

const listening = (port: number) => new Promise<boolean>((resolve) => {
  const socket = net.connect(port, '127.0.0.1').once('connect', () => { socket.destroy(); resolve(true); }).once('error', () => resolve(false));
});

/** Writes the configuration and starts nginx; resolves once it accepts connections. */
export async function startNginx(opts: NginxOptions): Promise<NginxProxy> {
  if (!fs.existsSync(NGINX)) throw new Error(`${NGINX} is missing: install Debian's nginx (npm test does, as root)`);
  const port = await freePort();
  const conf = path.join(opts.dir, 'nginx.conf');
  for (const t of ['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi']) fs.mkdirSync(path.join(opts.dir, 'temp', t), { recursive: true });
  fs.writeFileSync(conf, configText(opts, port));
  const errorLog = () => { try { return fs.readFileSync(path.join(opts.dir, 'error.log'), 'utf8'); } catch { return ''; } };
  let child: ChildProcess | undefined;
  // Should the test process end without stop(), nginx must not outlive it on that port.
  const onExit = () => { if (child?.pid !== undefined && child.exitCode === null) process.kill(child.pid, 'SIGTERM'); };

  const start = async () => {
    let output = '';
    // -e: the start-up error log too, before the configuration is read (the built-in path is /var/log/nginx).
    const c = spawn(NGINX, ['-p', opts.dir, '-c', conf, '-e', path.join(opts.dir, 'error.log'), '-g', 'daemon off;'], { stdio: ['ignore', 'pipe', 'pipe'] });
    child = c;
    c.stdout!.on('data', (d: Buffer) => { output += d.toString(); });
    c.stderr!.on('data', (d: Buffer) => { output += d.toString(); });
    process.once('exit', onExit);
    await waitFor(async () => {
      if (c.exitCode !== null) throw new Error(`nginx exited with ${c.exitCode}: ${output}\n${errorLog()}`);
      return listening(port);
    }, 10_000, `nginx to listen on 127.0.0.1:${port}`);
  };

  const stop = async () => {
    const c = child;
    child = undefined;
    process.removeListener('exit', onExit);
    if (c?.pid === undefined || c.exitCode !== null || c.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => c.once('exit', () => resolve()));
    c.kill('SIGTERM');
    const timer = setTimeout(() => { void killProcessTree(c.pid!).catch(() => undefined); }, 5000);
    await exited;
    clearTimeout(timer);
  };

  await start();
  return { origin: `https://127.0.0.1:${port}`, port, stop, start, errorLog };
}
