/**
 * vscode-free lifecycle primitives. Shapes match `vscode.Disposable` / `vscode.Event` so the
 * adapter can hand core events straight to VS Code APIs and push core objects into
 * `context.subscriptions`.
 */

export interface IDisposable {
  dispose(): void;
}

export function toDisposable(fn: () => void): IDisposable {
  let done = false;
  return { dispose: () => { if (!done) { done = true; fn(); } } };
}

/** Owns child disposables; disposing it disposes every child once, last registered first. */
export class DisposableStore implements IDisposable {
  private readonly _items = new Set<IDisposable>();
  private _disposed = false;

  get isDisposed(): boolean { return this._disposed; }

  add<T extends IDisposable>(item: T): T {
    if (this._disposed) {
      // Registering into a dead store would leak silently; dispose right away instead.
      item.dispose();
    } else {
      this._items.add(item);
    }
    return item;
  }

  delete(item: IDisposable): void {
    if (this._items.delete(item)) item.dispose();
  }

  clear(): void {
    const items = [...this._items].reverse();
    this._items.clear();
    const errors: unknown[] = [];
    for (const item of items) {
      try { item.dispose(); } catch (e) { errors.push(e); }
    }
    if (errors.length) throw errors.length === 1 ? errors[0] : new AggregateError(errors, 'dispose failed');
  }

  dispose(): void {
    if (this._disposed) return;
    this._disposed = true;
    this.clear();
  }
}

/** Base class for anything that owns resources: register them with `_register`. */
export abstract class Disposable implements IDisposable {
  protected readonly _store = new DisposableStore();

  protected _register<T extends IDisposable>(item: T): T {
    return this._store.add(item);
  }

  dispose(): void {
    this._store.dispose();
  }
}

export type Event<T> = (listener: (e: T) => unknown, thisArgs?: unknown, disposables?: IDisposable[]) => IDisposable;

/** A minimal event emitter with the `vscode.EventEmitter` shape. */
export class Emitter<T> implements IDisposable {
  private _listeners = new Set<(e: T) => unknown>();
  private _disposed = false;

  readonly event: Event<T> = (listener, thisArgs, disposables) => {
    const bound = thisArgs ? listener.bind(thisArgs) : listener;
    if (this._disposed) return toDisposable(() => undefined);
    this._listeners.add(bound);
    const d = toDisposable(() => this._listeners.delete(bound));
    disposables?.push(d);
    return d;
  };

  fire(e: T): void {
    for (const l of [...this._listeners]) {
      try {
        l(e);
      } catch (err) {
        // One faulty listener must not stop the others from hearing about the event.
        console.error(err);
      }
    }
  }

  dispose(): void {
    this._disposed = true;
    this._listeners.clear();
  }
}
