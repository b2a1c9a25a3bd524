import assert from 'node:assert/strict';
import { serverIdentity } from '../../src/config/identity';
import type { ServerConfig } from '../../src/config/types';

const stdio = (extra: Partial<Extract<ServerConfig, { type: 'stdio' }>> = {}): ServerConfig =>
  ({ type: 'stdio', command: 'npx', args: ['-y', 'srv'], env: {}, ...extra });

describe('config/identity', () => {
  it('differs by name, source, command, arguments and URL', () => {
    const base = serverIdentity('gh', 'user', stdio());
    const others = [
      serverIdentity('gh2', 'user', stdio()),
      serverIdentity('gh', 'workspace', stdio()),
      serverIdentity('gh', 'user', stdio({ command: 'node' })),
      serverIdentity('gh', 'user', stdio({ args: ['-y', 'srv@2'] })),
      serverIdentity('gh', 'user', { type: 'http', url: 'https://a.example/mcp', headers: {} }),
    ];
    assert.equal(new Set([base, ...others]).size, others.length + 1);
    assert.ok(base.startsWith('user:'));
    assert.ok(others[1].startsWith('workspace:'));
  });

  it('leaves out where secrets live: environment, headers, OAuth', () => {
    assert.equal(serverIdentity('gh', 'user', stdio({ env: { TOKEN: 'a' } })), serverIdentity('gh', 'user', stdio({ env: { TOKEN: 'b' } })));
    const remote = (headers: Record<string, string>): ServerConfig => ({ type: 'http', url: 'https://a.example/mcp', headers });
    assert.equal(serverIdentity('r', 'user', remote({ Authorization: 'Bearer a' })), serverIdentity('r', 'user', remote({ Authorization: 'Bearer b' })));
    assert.ok(!serverIdentity('r', 'user', remote({ Authorization: 'Bearer sk-123' })).includes('sk-123'));
  });

  it('treats names like __proto__ as names', () => {
    const ids = ['__proto__', 'constructor', 'toString', 'hasOwnProperty'].map((n) => serverIdentity(n, 'user', stdio()));
    assert.equal(new Set(ids).size, 4);
  });
});
