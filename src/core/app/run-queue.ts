/**
 * One thing at a time against the CRM database and the server: sync runs and previews go
 * through one chain, so two never overlap. Runs are asked for by "Synchronize now", the
 * schedule and wake-ups; at most one run waits behind the one under way, and further
 * requests join that waiting run instead of piling up.
 */
export type RunRequest<R> =
  /** The run was started, or queued behind the one under way. */
  | { accepted: true; done: Promise<R> }
  /** A run is under way and another already waits: `done` is the waiting one's end. */
  | { accepted: false; done: Promise<R> };

export class RunQueue<R> {
  /** The end of the last thing chained (run or exclusive job). */
  #tail: Promise<unknown> = Promise.resolve();
  /** Runs accepted and not finished yet: the one under way plus the one waiting. */
  #pending = 0;
  #last: Promise<R> | null = null;

  /** Whether a run is under way or waiting. */
  get busy(): boolean {
    return this.#pending > 0;
  }

  /**
   * Starts `run` after whatever is under way, unless a run is already waiting. `run` must
   * not reject (a run reports its failure in its result).
   */
  request(run: () => Promise<R>): RunRequest<R> {
    if (this.#pending >= 2 && this.#last) return { accepted: false, done: this.#last };
    this.#pending++;
    const done = this.exclusive(run).finally(() => {
      this.#pending--;
    });
    this.#last = done;
    return { accepted: true, done };
  }

  /** Runs `job` when nothing else runs (a preview); not counted as a run. */
  exclusive<T>(job: () => Promise<T>): Promise<T> {
    const result = this.#tail.then(job, job);
    this.#tail = result.catch(() => undefined);
    return result;
  }

  /** Resolves when everything chained so far has ended. */
  async idle(): Promise<void> {
    let tail: Promise<unknown>;
    do {
      tail = this.#tail;
      await tail;
    } while (tail !== this.#tail);
  }
}
