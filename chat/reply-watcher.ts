import "server-only";
import { type Database, getOwnMessages, type StoredMessage } from "@/db";
import { logError } from "@/lib/log";

/** Called once per poll with the reply's row (null: gone), or with the poll's error. */
export type WatchListener = (row: StoredMessage | null, error?: unknown) => void;

interface Watched {
  userId: string;
  replyId: string;
  listeners: Set<WatchListener>;
}

// Rows per statement: a bound on the size of one poll's query, not on what can be watched.
const BATCH = 500;

/**
 * One poll per instance per tick for every reply followed on this instance, fanned out in
 * memory to the followers: the database work of following grows with the number of live
 * replies being followed here, not with the number of followers. The registry holds only open
 * connections' subscriptions; a restart drops them with the connections themselves.
 */
export class ReplyWatcher {
  private readonly watched = new Map<string, Watched>();
  private timer: NodeJS.Timeout | null = null;
  private polling = false;

  constructor(
    private readonly db: Database,
    private readonly pollMs: number,
  ) {}

  /** Starts calling `listener` every tick with the reply's row; returns the unsubscribe. */
  watch(userId: string, replyId: string, listener: WatchListener): () => void {
    const key = `${userId}:${replyId}`;
    let entry = this.watched.get(key);
    if (!entry) {
      entry = { userId, replyId, listeners: new Set() };
      this.watched.set(key, entry);
    }
    entry.listeners.add(listener);
    if (!this.timer) {
      this.timer = setInterval(() => void this.poll(), this.pollMs);
      this.timer.unref();
    }
    const watched = entry;
    return () => {
      watched.listeners.delete(listener);
      if (watched.listeners.size === 0 && this.watched.get(key) === watched) {
        this.watched.delete(key);
      }
      if (this.watched.size === 0 && this.timer) {
        clearInterval(this.timer);
        this.timer = null;
      }
    };
  }

  /** How many replies are being watched (one row each per poll). */
  get size(): number {
    return this.watched.size;
  }

  private async poll() {
    // A poll slower than the tick is not overtaken by the next one: ticks are skipped.
    if (this.polling || this.watched.size === 0) return;
    this.polling = true;
    try {
      const entries = [...this.watched.values()];
      for (let start = 0; start < entries.length; start += BATCH) {
        const batch = entries.slice(start, start + BATCH);
        await this.pollBatch(batch);
      }
    } finally {
      this.polling = false;
    }
  }

  private async pollBatch(batch: Watched[]) {
    let rows: StoredMessage[];
    try {
      rows = await getOwnMessages(
        this.db,
        batch.map((entry) => ({ userId: entry.userId, messageId: entry.replyId })),
      );
    } catch (error) {
      // The followers end without `finish`, as a lost connection would; browsers resume.
      for (const entry of batch) notify(entry, null, error);
      return;
    }
    const byId = new Map(rows.map((row) => [row.id, row]));
    for (const entry of batch) notify(entry, byId.get(entry.replyId) ?? null);
  }
}

function notify(entry: Watched, row: StoredMessage | null, error?: unknown) {
  // A copy: listeners unsubscribe themselves when their stream ends.
  for (const listener of [...entry.listeners]) {
    try {
      listener(row, error);
    } catch (failure) {
      logError("[chat] follower failed", failure);
    }
  }
}

const watchers = new WeakMap<Database, ReplyWatcher>();

/** The instance's watcher for this database. */
export function replyWatcher(db: Database, pollMs: number): ReplyWatcher {
  let watcher = watchers.get(db);
  if (!watcher) {
    watcher = new ReplyWatcher(db, pollMs);
    watchers.set(db, watcher);
  }
  return watcher;
}
