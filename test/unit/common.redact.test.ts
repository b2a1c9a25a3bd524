import assert from 'node:assert/strict';
import { createRedactor, isCredentialName, MIN_SECRET_LENGTH, redactCredentials } from '../../src/common/redact';

describe('common/redact', () => {
  it('hides the secret values it is given, also URL-encoded and JSON-escaped', () => {
    const redact = createRedactor(['s3cr3t value/+"x', 'plain-secret-1']);
    assert.equal(redact('starting: node srv.js plain-secret-1'), 'starting: node srv.js ***');
    assert.equal(redact(`connecting to https://h/mcp?q=${encodeURIComponent('s3cr3t value/+"x')}`), 'connecting to https://h/mcp?q=***');
    assert.equal(redact(`▶ ${JSON.stringify({ a: 's3cr3t value/+"x' })}`), '▶ {"a":"***"}');
  });

  it('hides a longer secret whole when it contains a shorter one', () => {
    assert.equal(createRedactor(['abcdef', 'abcdefghij'])('x abcdefghij y'), 'x *** y');
  });

  it('leaves values too short to be credentials to the shape rules', () => {
    assert.ok('8080'.length < MIN_SECRET_LENGTH);
    assert.equal(createRedactor(['true', '8080'])('port 8080 is true'), 'port 8080 is true');
  });

  it('hides credential query parameters and keeps the others', () => {
    assert.equal(
      redactCredentials('connecting to https://h/mcp?token=abc&page=2&api_key=k1&access_token=t&client_secret=s&sig=x#f'),
      'connecting to https://h/mcp?token=***&page=2&api_key=***&access_token=***&client_secret=***&sig=x#f',
    );
    assert.equal(redactCredentials('https://h/?X-Amz-Signature=abc&X-Amz-Credential=AK%2F1&auth=z&password=p'), 'https://h/?X-Amz-Signature=***&X-Amz-Credential=***&auth=***&password=***');
  });

  it('hides credential flags, both --flag=value and --flag value, but not a following flag', () => {
    assert.equal(redactCredentials('starting: npx srv --api-key=sk-1 --token abc --port 3000 --no-auth --verbose'),
      'starting: npx srv --api-key=*** --token *** --port 3000 --no-auth --verbose');
    assert.equal(redactCredentials('starting: env GITHUB_TOKEN=ghx OPENAI_API_KEY=x node s.js -password hunter2'),
      'starting: env GITHUB_TOKEN=*** OPENAI_API_KEY=*** node s.js -password ***');
  });

  it('hides Authorization headers, Bearer tokens, passwords in URLs and JSON credential fields', () => {
    assert.equal(redactCredentials('sent Authorization: Bearer eyJ.abc.def to h'), 'sent Authorization: *** to h');
    assert.equal(redactCredentials('retry with Bearer eyJhbGciOi.x_y-z= now'), 'retry with Bearer *** now');
    assert.equal(redactCredentials('x-api-key: abc123'), 'x-api-key: ***');
    assert.equal(redactCredentials('https://me:pa55@host/x'), 'https://me:***@host/x');
    assert.equal(redactCredentials('{"password":"p\\"w","name":"n","apiKey":"k"}'), '{"password":"***","name":"n","apiKey":"***"}');
  });

  it('keeps what only sounds like a credential: challenges, authors, MCP tokens', () => {
    const text = 'WWW-Authenticate: Bearer resource_metadata="https://h/.well-known" {"author":"Jane","progressToken":"p1"} maxTokens=100';
    assert.equal(redactCredentials(text), text);
  });

  it('hides well-known token shapes anywhere', () => {
    assert.equal(redactCredentials('key sk-proj-abcdefghijklmnop1234 and ghp_abcdefghijklmnopqrstuvwxyz0123 and AKIAABCDEFGHIJKLMNOP'),
      'key *** and *** and ***');
  });

  it('names credentials by the usual words', () => {
    for (const n of ['token', 'X-Auth-Token', '--api-key', 'API_KEY', 'apikey', 'client_secret', 'password', 'passwd', 'authorization', 'key', 'private-key']) {
      assert.ok(isCredentialName(n), n);
    }
    for (const n of ['page', 'monkey', 'keyboard', 'author', 'authority', 'port', 'progressToken']) assert.ok(!isCredentialName(n), n);
  });

  it('cuts long text after hiding the secrets, so no part of one shows at the cut', () => {
    const secret = 'a-long-secret-value';
    const text = `${'x'.repeat(90)}${secret} and more`;
    const out = createRedactor([secret], 100)(text);
    assert.ok(!out.includes('a-long'), out);
    assert.equal(out, `${'x'.repeat(90)}*** and… (5 more characters)`);
    assert.equal(redactCredentials('y'.repeat(200_000)).length < 70_000, true);
  });

  it('reads a hostile line in linear time', () => {
    for (const text of ['key'.repeat(300_000), `--${'a-'.repeat(300_000)}`, `//${'a'.repeat(600_000)}`, `"${'a'.repeat(600_000)}`, 'Bearer '.repeat(100_000)]) {
      const t0 = performance.now();
      createRedactor(['some-secret'], Infinity)(text);
      assert.ok(performance.now() - t0 < 500, `${text.slice(0, 10)}… took ${performance.now() - t0} ms`);
    }
  });
});
