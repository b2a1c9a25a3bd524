/**
 * Which rows of the Servers tree to repaint after a change. A whole-tree refresh makes VS Code
 * forget every row's element until it has read the tree again (a button clicked meanwhile reaches
 * its command without its row) and redraws every row, taking the focus back to the tree when it
 * had it. So the tree repaints a server's rows only when what they show changed, and the whole
 * tree only when its top rows (the servers and notices) changed. Pure: no `vscode`.
 */

/** What to repaint: the whole tree, or these servers (none when nothing looks different). */
export type RepaintPlan = 'all' | string[];

export class Repaints {
  private _top: string | undefined;
  /** Per server, the signature of what its rows showed when last painted. */
  private readonly _shown = new Map<string, string>();

  /**
   * `top` stands for the top-level rows; `sign(server)` for everything a server's rows show (its
   * row and its children). `check` is the servers that may have changed, or 'all'.
   */
  plan(top: string, servers: readonly string[], sign: (server: string) => string, check: ReadonlySet<string> | 'all'): RepaintPlan {
    if (top !== this._top) {
      this._top = top;
      this._shown.clear();
      for (const s of servers) this._shown.set(s, sign(s));
      return 'all';
    }
    const changed: string[] = [];
    for (const s of servers) {
      if (check !== 'all' && !check.has(s)) continue;
      const signature = sign(s);
      if (this._shown.get(s) === signature) continue;
      this._shown.set(s, signature);
      changed.push(s);
    }
    return changed;
  }
}
