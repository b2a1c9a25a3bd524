/**
 * Appends text to a file that other processes may append to and rotate too (the CLI writes the
 * same audit log as the editor), moving it to `<file>.1` once it would pass a size cap.
 *
 * The file stays open between writes, so a write is one append. Opening, checking and closing
 * it for every write cost six file operations, which a burst of tool calls paid for every batch.
 * A stat of the path (at most once a second) tells us another process was here: a different
 * inode (it rotated the file) means reopening, and a size we did not leave means checking that
 * the last line was not left torn. After a quiet spell the file is closed, so an idle window
 * holds no descriptor.
 */
import { promises as fs } from 'node:fs';
import * as path from 'node:path';

const IDLE_CLOSE_MS = 2000;
const CHECK_OTHERS_MS = 1000;

interface Open { handle: fs.FileHandle; ino: number; size: number; /** When the path was last compared with the handle. */ checked: number }

export class RotatingFile {
  private _open?: Open;
  private _idle?: ReturnType<typeof setTimeout>;
  /** Writes and closes one after another, so lines never interleave and no write meets a closed handle. */
  private _chain: Promise<void> = Promise.resolve();

  constructor(readonly file: string, private readonly _maxBytes: number, private readonly _checkOthersMs = CHECK_OTHERS_MS) {}

  /** Appends `text` (whole lines); rejects if it could not be written. */
  append(text: string): Promise<void> {
    return this._enqueue(() => this._append(text));
  }

  /** Closes the file now (it reopens on the next append). */
  close(): Promise<void> {
    clearTimeout(this._idle);
    return this._enqueue(() => this._close());
  }

  /** Runs `step` after everything queued before it; its failure is the caller's, not the next step's. */
  private _enqueue(step: () => Promise<void>): Promise<void> {
    const done = this._chain.then(step);
    this._chain = done.catch(() => undefined);
    return done;
  }

  private async _append(text: string): Promise<void> {
    clearTimeout(this._idle);
    let bytes = Buffer.from(text, 'utf8');
    let open = await this._ensureOpen();
    // What other writers did is looked at once a second at most: in a burst, a stat per batch
    // cost more than the write. Until then an append of theirs only makes ours rotate a little late.
    if (Date.now() - open.checked >= this._checkOthersMs) {
      const onDisk = await fs.stat(this.file).catch(() => undefined);
      // Renamed or deleted under us, or truncated: write to the file that is at the path now.
      if (!onDisk || onDisk.ino !== open.ino || onDisk.size < open.size) {
        await this._close();
        open = await this._ensureOpen();
      } else if (onDisk.size !== open.size) {
        open.size = onDisk.size;
        if (!(await endsWithNewline(open.handle, open.size))) bytes = Buffer.concat([NEWLINE, bytes]);
      }
      open.checked = Date.now();
    }
    if (open.size > 0 && open.size + bytes.length > this._maxBytes) {
      await this._close();
      await fs.rename(this.file, `${this.file}.1`);
      open = await this._ensureOpen();
    }
    try {
      await open.handle.write(bytes);
      open.size += bytes.length;
    } catch (e) {
      await this._close();
      throw e;
    }
    this._idle = setTimeout(() => void this.close(), IDLE_CLOSE_MS);
    this._idle.unref?.();
  }

  private async _ensureOpen(): Promise<Open> {
    if (this._open) return this._open;
    await fs.mkdir(path.dirname(this.file), { recursive: true });
    // a+: appends, and reads for the torn-line check.
    const handle = await fs.open(this.file, 'a+', 0o600);
    try {
      const { ino, size } = await handle.stat();
      this._open = { handle, ino, size, checked: Date.now() };
      // A crash mid-line (ours or another writer's) left a torn line; start afresh after it.
      if (size > 0 && !(await endsWithNewline(handle, size))) {
        await handle.write(NEWLINE);
        this._open.size += 1;
      }
      return this._open;
    } catch (e) {
      this._open = undefined;
      await handle.close().catch(() => undefined);
      throw e;
    }
  }

  private async _close(): Promise<void> {
    const open = this._open;
    this._open = undefined;
    await open?.handle.close().catch(() => undefined);
  }
}

const NEWLINE = Buffer.from('\n');

async function endsWithNewline(handle: fs.FileHandle, size: number): Promise<boolean> {
  const { buffer } = await handle.read(Buffer.alloc(1), 0, 1, size - 1);
  return buffer[0] === 0x0a;
}
