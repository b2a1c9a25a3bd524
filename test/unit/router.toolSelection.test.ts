import assert from 'node:assert/strict';
import type { NamespacedTool } from '../../src/client/types';
import { namedServers, rankTools, selectTools, words } from '../../src/router/toolSelection';

/** `count` tools of `server`, named `<server>_t<i>`, plus any extra ones. */
function serverTools(server: string, count: number, extra: { name: string; description?: string }[] = []): NamespacedTool[] {
  const list = [...Array.from({ length: count }, (_, i) => ({ name: `t${i}`, description: `generic ${i}` })), ...extra];
  return list.map((t) => ({ name: `${server}_${t.name}`, server, tool: { name: t.name, description: t.description, inputSchema: { type: 'object' as const } } }));
}

describe('router/toolSelection', () => {
  it('splits words at case changes and separators and drops filler', () => {
    assert.deepEqual(words('getForecast for the weather_station-42 in Köln'), ['forecast', 'weather', 'station']);
    assert.deepEqual(words('Use the tool please'), []);
  });

  it('finds servers the request names, as whole words or with # and @', () => {
    const servers = ['weather', 'git', 'sqlite', 'my-db'];
    assert.deepEqual(namedServers('what does #weather say, and @git log?', servers), ['weather', 'git']);
    assert.deepEqual(namedServers('query my-db please', servers), ['my-db']);
    assert.deepEqual(namedServers('digital weatherman', servers), [], 'no partial words');
  });

  it('offers every tool when they fit', () => {
    const all = [...serverTools('a', 50), ...serverTools('b', 50)];
    const s = selectTools(all, 'anything');
    assert.equal(s.reason, 'all');
    assert.equal(s.tools.length, 100);
    assert.deepEqual(s.omitted, []);
  });

  it('keeps to the named servers when there are too many, and says what was left out', () => {
    const all = [...serverTools('weather', 10), ...serverTools('git', 100), ...serverTools('sqlite', 100)];
    const s = selectTools(all, 'ask #weather and git');
    assert.equal(s.reason, 'named');
    assert.deepEqual(s.servers, ['weather', 'git']);
    assert.equal(s.tools.length, 110);
    assert.deepEqual(s.omitted, [{ server: 'sqlite', count: 100 }]);
  });

  it('uses the setting when the request names no server', () => {
    const all = [...serverTools('weather', 10), ...serverTools('git', 100), ...serverTools('sqlite', 100)];
    const s = selectTools(all, 'hello', { preferredServers: ['sqlite', 'not-configured'] });
    assert.equal(s.reason, 'setting');
    assert.deepEqual(s.servers, ['sqlite']);
    assert.equal(s.tools.length, 100);
  });

  it('otherwise ranks by words shared with the request, within the limit, the same way every time', () => {
    const all = [
      ...serverTools('a', 100),
      ...serverTools('b', 100, [{ name: 'forecast', description: 'Weather forecast for a city' }, { name: 'alerts', description: 'Severe weather alerts' }]),
    ];
    const s = selectTools(all, 'What is the weather forecast in Paris?');
    assert.equal(s.reason, 'ranked');
    assert.equal(s.tools.length, 128);
    assert.deepEqual(s.tools.slice(0, 2).map((t) => t.name), ['b_forecast', 'b_alerts']);
    assert.equal(s.omitted.reduce((n, o) => n + o.count, 0), 202 - 128);
    assert.deepEqual(selectTools(all, 'What is the weather forecast in Paris?').tools.map((t) => t.name), s.tools.map((t) => t.name));
  });

  it('ranks a named set that is still too large', () => {
    const all = serverTools('big', 200, [{ name: 'special_search', description: 'search' }]);
    const ranked = rankTools(all, 'big special search', 128);
    assert.equal(ranked.length, 128);
    assert.equal(ranked[0].name, 'big_special_search');
    const s = selectTools(all, 'big special search');
    assert.equal(s.reason, 'named');
    assert.equal(s.tools[0].name, 'big_special_search');
    assert.deepEqual(s.omitted, [{ server: 'big', count: 201 - 128 }]);
  });
});
