import { StatementBatcher } from './statement-batcher';

const tick = () => new Promise((resolve) => setImmediate(resolve));

describe('grouping concurrent database calls into one statement', () => {
  it('sends a lone call at once and groups the calls that arrive while a statement runs', async () => {
    const statements: number[][] = [];
    let finish: () => void = () => undefined;
    const batcher = new StatementBatcher<number, number>(
      async (items) => {
        statements.push(items);
        if (statements.length === 1) await new Promise<void>((resolve) => (finish = resolve));
        return items.map((n) => n * 10);
      },
      { maxInFlight: 1 },
    );
    const first = batcher.submit(1);
    await tick();
    const rest = [2, 3, 4].map((n) => batcher.submit(n));
    await tick();
    expect(statements).toEqual([[1]]);
    finish();
    expect(await first).toBe(10);
    expect(await Promise.all(rest)).toEqual([20, 30, 40]);
    expect(statements).toEqual([[1], [2, 3, 4]]);
  });

  it('resolves a caller only once the statement carrying its item has finished', async () => {
    let done = false;
    const batcher = new StatementBatcher<string, string>(async (items) => {
      await new Promise((resolve) => setTimeout(resolve, 20));
      done = true;
      return items;
    });
    await batcher.submit('a');
    expect(done).toBe(true);
  });

  it('retries the items of a failed batch one by one, so one bad item fails only its own caller', async () => {
    const batcher = new StatementBatcher<string, string>(async (items) => {
      if (items.includes('bad')) throw new Error('bad item');
      return items.map((s) => s.toUpperCase());
    });
    const results = await Promise.allSettled(['a', 'bad', 'c'].map((s) => batcher.submit(s)));
    expect(results.map((r) => (r.status === 'fulfilled' ? r.value : (r.reason as Error).message))).toEqual(['A', 'bad item', 'C']);
  });

  it('never puts more than maxBatch items in one statement', async () => {
    const sizes: number[] = [];
    const batcher = new StatementBatcher<number, number>(async (items) => (sizes.push(items.length), items), { maxBatch: 3, maxInFlight: 1 });
    await Promise.all(Array.from({ length: 7 }, (_, i) => batcher.submit(i)));
    expect(Math.max(...sizes)).toBeLessThanOrEqual(3);
    expect(sizes.reduce((a, b) => a + b, 0)).toBe(7);
  });
});
