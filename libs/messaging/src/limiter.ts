/** A counting semaphore: at most `size` holders at once, waiters served in arrival order. */
export class Limiter {
  private active = 0;
  private readonly waiters: Array<() => void> = [];

  constructor(private readonly size: number) {}

  async acquire(): Promise<void> {
    if (this.active < this.size) {
      this.active++;
      return;
    }
    await new Promise<void>((resolve) => this.waiters.push(resolve));
  }

  release(): void {
    const next = this.waiters.shift();
    if (next) next();
    else this.active--;
  }
}

/** Runs tasks of one key one after another, in the order they were queued; other keys run freely. */
export class KeyedSerializer {
  private readonly tails = new Map<string, Promise<void>>();

  run(key: string | undefined, task: () => Promise<void>): Promise<void> {
    if (key === undefined) return task();
    const run = (this.tails.get(key) ?? Promise.resolve()).then(task);
    // The next task of the key waits for this one, whether it failed or not (the caller sees the
    // failure through `run`); the last one forgets the key.
    const forget = () => {
      if (this.tails.get(key) === tail) this.tails.delete(key);
    };
    const tail: Promise<void> = run.then(forget, forget);
    this.tails.set(key, tail);
    return run;
  }
}
