import assert from 'node:assert/strict';
import { consentFor, withConsent } from '../../src/policy/samplingConsent';

const USER = { name: 'gh', identity: 'user:aaa' };
const NAMESAKE = { name: 'gh', identity: 'workspace:bbb' };

describe('policy/samplingConsent', () => {
  it('a consent counts only for the identity it was given to', () => {
    const setting = withConsent({}, USER, { allowed: true, model: 'copilot/gpt' });
    assert.deepEqual(consentFor(setting, USER), { allowed: true, model: 'copilot/gpt' });
    assert.deepEqual(consentFor(setting, NAMESAKE), {}, 'a workspace namesake is asked');
  });

  it('an entry from before identities keeps a refusal and loses a consent', () => {
    assert.deepEqual(consentFor({ gh: { allowed: true, model: 'm' } }, USER), {});
    assert.deepEqual(consentFor({ gh: { allowed: false } }, USER), { allowed: false });
    assert.deepEqual(consentFor({ gh: { allowed: false } }, NAMESAKE), { allowed: false });
  });

  it('recording one server keeps the others and replaces what its name held', () => {
    const before = { other: { allowed: false, identity: 'user:o' }, gh: { allowed: true, identity: USER.identity } };
    const after = withConsent(before, NAMESAKE, { allowed: false });
    assert.deepEqual(after, { other: before.other, gh: { allowed: false, identity: NAMESAKE.identity } });
    assert.deepEqual(before.gh, { allowed: true, identity: USER.identity }, 'the old value is not mutated');
  });

  it('servers named __proto__, constructor, toString, hasOwnProperty are names like any other', () => {
    const names = ['__proto__', 'constructor', 'toString', 'hasOwnProperty'];
    for (const name of names) assert.deepEqual(consentFor({}, { name, identity: `user:${name}` }), {}, `${name} is not asked yet`);
    let setting: unknown = {};
    for (const name of names) setting = withConsent(setting, { name, identity: `user:${name}` }, { allowed: true });
    const stored = JSON.parse(JSON.stringify(setting)) as unknown;
    assert.deepEqual(Object.keys(stored as object).sort(), [...names].sort());
    for (const name of names) assert.deepEqual(consentFor(stored, { name, identity: `user:${name}` }), { allowed: true });
    assert.equal(({} as Record<string, unknown>).allowed, undefined);
    assert.equal(Object.getPrototypeOf(setting), Object.prototype);
  });
});
