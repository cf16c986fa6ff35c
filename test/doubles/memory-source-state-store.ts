import type { Validators } from '../../src/ports/news-source.js';
import type {
  ReadRecord,
  SourceState,
  SourceStateStore,
} from '../../src/ports/source-state-store.js';

/** What the store keeps of one source: its state, and the outage whose notice was sent. */
type Stored = SourceState & { outageNoticedSince?: Date };

/**
 * Each source's cursor and read history in memory, with the port's semantics (see
 * `source-state-store.contract.ts`): the cursor never moves back, a success ends a run of
 * failures, and each notice is claimed by one caller only.
 */
export class MemorySourceStateStore implements SourceStateStore {
  private readonly states = new Map<string, Stored>();

  get(sourceId: string): Promise<SourceState> {
    const { outageNoticedSince: _, ...state } = this.of(sourceId);
    return Promise.resolve({ ...state, validators: { ...state.validators } });
  }

  advanceCursor(sourceId: string, boardNo: number): Promise<void> {
    const state = this.of(sourceId);
    if (state.cursor === null || boardNo > state.cursor) state.cursor = boardNo;
    return Promise.resolve();
  }

  recordSuccess(
    sourceId: string,
    at: Date,
    validators: Validators,
    read: ReadRecord = {},
  ): Promise<void> {
    const state = this.of(sourceId);
    state.lastSuccessAt = at;
    // An empty validator is none, as a real store reads it back.
    state.validators = {
      ...(validators.etag ? { etag: validators.etag } : {}),
      ...(validators.lastModified ? { lastModified: validators.lastModified } : {}),
    };
    state.failingSince = null;
    delete state.notBefore;
    if (read.title) state.title = read.title;
    if ((read.requests ?? 1) > 1) state.lastRequests = read.requests!;
    else delete state.lastRequests;
    if (read.heldFrom) state.heldFrom = read.heldFrom;
    else delete state.heldFrom;
    if (read.calls) {
      const { day, count } = read.calls;
      state.calls = { day, count: state.calls?.day === day ? state.calls.count + count : count };
    }
    if (read.newItemsAt) {
      state.lastNewAt = read.newItemsAt;
      delete state.staleNoticedSince;
    }
    if (read.slow) {
      state.slowSince ??= at;
      state.notBefore = read.slow.notBefore;
    } else {
      delete state.slowSince;
    }
    return Promise.resolve();
  }

  recordFailure(sourceId: string, at: Date, error: string, notBefore?: Date): Promise<void> {
    const state = this.of(sourceId);
    state.lastErrorAt = at;
    state.lastError = error || null;
    state.failingSince ??= at;
    if (notBefore) state.notBefore = notBefore;
    else delete state.notBefore;
    return Promise.resolve();
  }

  claimOutageNotice(sourceId: string, since: Date): Promise<boolean> {
    const state = this.of(sourceId);
    if (state.outageNoticedSince) return Promise.resolve(false);
    state.outageNoticedSince = since;
    return Promise.resolve(true);
  }

  clearOutageNotice(sourceId: string): Promise<Date | null> {
    const state = this.of(sourceId);
    const since = state.outageNoticedSince ?? null;
    delete state.outageNoticedSince;
    return Promise.resolve(since);
  }

  claimStaleNotice(sourceId: string, since: Date): Promise<boolean> {
    const state = this.of(sourceId);
    if (state.staleNoticedSince) return Promise.resolve(false);
    state.staleNoticedSince = since;
    return Promise.resolve(true);
  }

  /** Deletes what is kept of a source (a released source's data, purged). */
  forgetSource(sourceId: string): void {
    this.states.delete(sourceId);
  }

  private of(sourceId: string): Stored {
    let state = this.states.get(sourceId);
    if (!state) {
      state = {
        cursor: null,
        lastSuccessAt: null,
        lastErrorAt: null,
        lastError: null,
        failingSince: null,
        validators: {},
      };
      this.states.set(sourceId, state);
    }
    return state;
  }
}
