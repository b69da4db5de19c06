import { Client } from 'pg';
import { dollarQuoted } from './inbound-recorder.sql';

describe('customer text sent to PostgreSQL as a literal', () => {
  let client: Client;

  beforeAll(async () => {
    client = new Client({ connectionString: process.env.TEST_DATABASE_URL });
    await client.connect();
  });
  afterAll(() => client?.end());

  it('arrives verbatim, whatever quotes, backslashes or dollar signs it holds', async () => {
    const texts = [
      `it's "quoted" \\ back\\slashed`,
      `$$ dollar $$ quoted $tag$ and $cs0$ lookalikes`,
      `'); DROP TABLE messages; --`,
      `emoji 🚚 and newlines\nacross\r\nlines`,
    ];
    for (const text of texts) {
      const { rows } = await client.query(`SELECT ${dollarQuoted(text)}::text AS t`);
      expect(rows[0].t).toBe(text);
    }
  });

  it('picks a quoting tag the text does not contain', () => {
    const quoted = dollarQuoted('$cs$ $csabc$');
    const tag = /^(\$cs[a-z0-9]*\$)/.exec(quoted)?.[1] as string;
    expect('$cs$ $csabc$'.includes(tag)).toBe(false);
    expect(quoted.endsWith(tag)).toBe(true);
  });
});
