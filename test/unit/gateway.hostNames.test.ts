import assert from 'node:assert/strict';
import { hostToolNames, matchHostTools } from '../../src/gateway/hostNames';

describe('gateway/hostNames', () => {
  it('names a tool as VS Code does: mcp_, the label shortened, _, the name; a second like label gets 2', () => {
    assert.deepEqual(hostToolNames('everything', 'everything_get-sum', 2), ['mcp_everything_everything_get-sum', 'mcp_everything2_everything_get-sum']);
    assert.equal(hostToolNames('My Server!', 'a.b', 1)[0], 'mcp_my_server__a_b');
    assert.equal(hostToolNames('a-very-long-server-name', 'x', 1)[0], 'mcp_a-very-long-s_x');
    assert.equal(hostToolNames('a-very-long-server-name', 'x', 2)[1], 'mcp_a-very-long-2_x');
    assert.equal(hostToolNames('s', 'y'.repeat(80), 1)[0].length, 64);
  });

  it('matches each tool to its own server\'s name only, and leaves out what cannot be told apart', () => {
    // Two servers whose names shorten alike: which of the two names is this tool's cannot be told.
    const present = ['mcp_a_a_echo', 'mcp_b_b_a_echo', 'mcp_b_b_echo', 'mcp_github_worksp_g_x', 'mcp_github_works2_g_x', 'mcp_other_thing'];
    const tools = [
      { server: 'a', name: 'a_echo' }, { server: 'b', name: 'b_a_echo' }, { server: 'b', name: 'b_echo' },
      { server: 'github_workspace_a', name: 'g_x' }, { server: 'c', name: 'c_missing' },
    ];
    assert.deepEqual(hostToolNames('github_workspace_b', 'g_x', 2), ['mcp_github_worksp_g_x', 'mcp_github_works2_g_x']);
    assert.deepEqual([...matchHostTools(tools, present, 6)], [
      ['a_echo', 'mcp_a_a_echo'], ['b_a_echo', 'mcp_b_b_a_echo'], ['b_echo', 'mcp_b_b_echo'],
    ]);
  });
});
