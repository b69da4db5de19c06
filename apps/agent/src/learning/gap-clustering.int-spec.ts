import { Client } from 'pg';
import { parseRealArray } from './gap-clustering';

describe('a real[] read as text', () => {
  it('gives the numbers PostgreSQL stored, as the driver would, NaN and empty arrays included', async () => {
    const client = new Client({ connectionString: `${process.env.TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432'}/postgres` });
    await client.connect();
    try {
      const values = [0.123456789, -1e-7, 3.4e38, 0, -0.5, 1 / 3];
      const { rows } = await client.query<{ typed: number[]; text: string; odd: string; none: string }>(
        `SELECT $1::real[] AS typed, $1::real[]::text AS text, '{NaN,1.5,-Infinity}'::real[]::text AS odd, '{}'::real[]::text AS none`,
        [values],
      );
      expect(parseRealArray(rows[0].text)).toEqual(rows[0].typed);
      expect(parseRealArray(rows[0].odd)).toEqual([NaN, 1.5, -Infinity]);
      expect(parseRealArray(rows[0].none)).toEqual([]);
    } finally {
      await client.end();
    }
  });
});
