export interface StatementBatcherOptions {
  /** Most items in one statement. Default 64. */
  maxBatch?: number;
  /** Statements running at once (each holds a pooled connection). Default 2. */
  maxInFlight?: number;
}

interface Pending<I, O> {
  input: I;
  resolve: (output: O) => void;
  reject: (err: unknown) => void;
}

/**
 * Groups concurrent calls into one multi-row statement: under load, the items that arrive while a
 * statement runs go together in the next one, so the database sees one round trip and one commit
 * for many messages; when idle, a call goes out at once (no timer, no added latency). Each caller
 * is resolved only after the statement carrying its item has finished — committed, for an
 * autocommit statement — so nothing is acknowledged earlier than without batching.
 *
 * `run` gets the items and returns one output per item, in order. When a batch of several fails,
 * each item is retried alone, so one bad item fails only its own caller.
 */
export class StatementBatcher<I, O> {
  private readonly queue: Pending<I, O>[] = [];
  private readonly maxBatch: number;
  private readonly maxInFlight: number;
  private inFlight = 0;
  private scheduled = false;

  constructor(
    private readonly run: (inputs: I[]) => Promise<O[]>,
    opts: StatementBatcherOptions = {},
  ) {
    this.maxBatch = Math.max(1, opts.maxBatch ?? 64);
    this.maxInFlight = Math.max(1, opts.maxInFlight ?? 2);
  }

  submit(input: I): Promise<O> {
    return new Promise<O>((resolve, reject) => {
      this.queue.push({ input, resolve, reject });
      // Items that become ready in the same turn of the event loop share the first statement too.
      if (!this.scheduled) {
        this.scheduled = true;
        setImmediate(() => {
          this.scheduled = false;
          this.pump();
        });
      }
    });
  }

  private pump(): void {
    while (this.queue.length > 0 && this.inFlight < this.maxInFlight) {
      const batch = this.queue.splice(0, this.maxBatch);
      this.inFlight++;
      const next = () => {
        this.inFlight--;
        this.pump();
      };
      // execute() settles every item itself; an error past that fails the batch's items, which
      // are still waiting, instead of going unhandled.
      this.execute(batch).then(next, (err: unknown) => {
        batch.forEach((p) => p.reject(err));
        next();
      });
    }
  }

  private async execute(batch: Pending<I, O>[]): Promise<void> {
    try {
      const outputs = await this.run(batch.map((p) => p.input));
      if (outputs.length !== batch.length) throw new Error(`batch of ${batch.length} returned ${outputs.length} results`);
      batch.forEach((p, i) => p.resolve(outputs[i]));
    } catch (err) {
      if (batch.length === 1) return batch[0].reject(err);
      await Promise.all(
        batch.map((p) => this.run([p.input]).then(([output]) => p.resolve(output), (itemErr: unknown) => p.reject(itemErr))),
      );
    }
  }
}
