import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'http';
import type { AddressInfo } from 'net';
import { OpenAiEmbeddingProvider } from './openai.embedding-provider';

/** A fake OpenAI-compatible /v1/embeddings endpoint: vector i = [len(text), i, 1], returned out of order. */
function fakeOpenAi(): Promise<{ server: Server; baseURL: string; requests: { auth?: string; body: { model: string; input: string[] } }[] }> {
  const requests: { auth?: string; body: { model: string; input: string[] } }[] = [];
  const answer = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    let raw = '';
    for await (const chunk of req) raw += chunk;
    if (req.method !== 'POST' || req.url !== '/v1/embeddings') {
      res.writeHead(404).end();
      return;
    }
    const body = JSON.parse(raw) as { model: string; input: string[] };
    requests.push({ auth: req.headers.authorization, body });
    const data = body.input.map((text, index) => ({ object: 'embedding', index, embedding: [text.length, index, 1] })).reverse();
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ object: 'list', data, model: body.model, usage: { prompt_tokens: 1, total_tokens: 1 } }));
  };
  const server = createServer((req, res) => {
    answer(req, res).catch((err: Error) => res.writeHead(500).end(err.message));
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => resolve({ server, baseURL: `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`, requests })),
  );
}

describe('OpenAiEmbeddingProvider', () => {
  it('embeds through the OpenAI SDK in batches and keeps the input order', async () => {
    const fake = await fakeOpenAi();
    try {
      const provider = new OpenAiEmbeddingProvider({ apiKey: 'sk-test', baseURL: fake.baseURL, model: 'local-embedder', dimensions: 3, batchSize: 2 });
      const vectors = await provider.embed(['a', 'bbb', 'cc']);
      expect(vectors.map((v) => Array.from(v))).toEqual([
        [1, 0, 1],
        [3, 1, 1],
        [2, 0, 1],
      ]);
      expect(fake.requests.map((r) => r.body.input)).toEqual([['a', 'bbb'], ['cc']]);
      expect(fake.requests[0].body.model).toBe('local-embedder');
      expect(fake.requests[0].auth).toBe('Bearer sk-test');
      expect(provider.id).toBe('openai:local-embedder:3');
    } finally {
      fake.server.close();
    }
  });

  it('fails loudly when the server returns vectors of the wrong size', async () => {
    const fake = await fakeOpenAi();
    try {
      const provider = new OpenAiEmbeddingProvider({ apiKey: 'sk-test', baseURL: fake.baseURL, model: 'local-embedder', dimensions: 8 });
      await expect(provider.embed(['hello'])).rejects.toThrow(/expected 8 dimensions/);
    } finally {
      fake.server.close();
    }
  });
});
