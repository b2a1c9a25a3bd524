import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';

// Tests run from out/test/unit. The connection tests run nginx with docs/nginx/mcp.conf; the
// guide must show that file as it is, not an older copy.
const docs = path.resolve(__dirname, '../../../docs');

describe('docs/DEPLOY.md', () => {
  it('shows the tested nginx configuration verbatim', () => {
    const conf = readFileSync(path.join(docs, 'nginx', 'mcp.conf'), 'utf8');
    const guide = readFileSync(path.join(docs, 'DEPLOY.md'), 'utf8');
    assert.ok(guide.includes('```nginx\n' + conf + '```\n'), 'DEPLOY.md should contain docs/nginx/mcp.conf in an nginx code block');
  });
});
