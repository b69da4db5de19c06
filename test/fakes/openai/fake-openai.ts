import { createHash } from 'crypto';
import * as http from 'http';
import type { AddressInfo } from 'net';
import { failRequest } from '../fail-request';

export interface ChatRequest {
  model: string;
  messages: { role: string; content: string }[];
  stream?: boolean;
  temperature?: number;
  /** Functions offered to the model (OpenAI tool calling). */
  tools?: { type: 'function'; function: { name: string; description?: string; parameters?: Record<string, unknown> } }[];
  tool_choice?: unknown;
}

/** A function call the fake model makes instead of answering, when it was offered tools. */
export interface ToolCall {
  name: string;
  arguments: Record<string, unknown>;
}

/** What the fake model says to a chat request; the default repeats nothing and declines. */
export type ChatScript = (request: ChatRequest) => string;

/**
 * An OpenAI-compatible server on 127.0.0.1 speaking the wire protocol the `openai` SDK uses:
 * `POST /v1/chat/completions` (JSON, or server-sent events with `stream: true`, ending in
 * `data: [DONE]`) and `POST /v1/embeddings` (deterministic vectors from a hash of the text). Tests
 * script the model's answer and read back every request it received.
 */
export class FakeOpenAi {
  readonly requests: { path: string; authorization?: string; body: Record<string, unknown> }[] = [];
  script: ChatScript = () => 'NO_ANSWER';
  /** Asked first when a request offers tools: a call to make (answered as `tool_calls`), or null to answer with `script`. */
  toolScript: (request: ChatRequest) => ToolCall | null = () => null;
  /** When set, chat requests fail with this HTTP status (an outage, a rate limit). */
  failWith?: number;
  private server?: http.Server;

  get baseURL(): string {
    const { port } = this.server?.address() as AddressInfo;
    return `http://127.0.0.1:${port}/v1`;
  }

  async start(): Promise<this> {
    this.server = http.createServer((req, res) => {
      this.handle(req, res).catch((err: Error) => failRequest('fake OpenAI', res, err));
    });
    await new Promise<void>((resolve) => this.server?.listen(0, '127.0.0.1', resolve));
    return this;
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  chatRequests(): ChatRequest[] {
    return this.requests.filter((r) => r.path.endsWith('/chat/completions')).map((r) => r.body as unknown as ChatRequest);
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    let body: Record<string, unknown>;
    try {
      body = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}');
    } catch {
      return json(res, 400, { error: { message: 'invalid JSON', type: 'invalid_request_error' } });
    }
    const path = (req.url ?? '').split('?')[0];
    this.requests.push({ path, authorization: req.headers.authorization, body });
    if (req.method === 'POST' && path === '/v1/chat/completions') return this.chat(body as unknown as ChatRequest, res);
    if (req.method === 'POST' && path === '/v1/embeddings') return this.embeddings(body, res);
    json(res, 404, { error: { message: `no route ${req.method} ${path}`, type: 'invalid_request_error' } });
  }

  private chat(request: ChatRequest, res: http.ServerResponse): void {
    if (this.failWith) return json(res, this.failWith, { error: { message: 'the fake model is down', type: 'server_error' } });
    const call = request.tools?.length && !request.stream ? this.toolScript(request) : null;
    if (call) {
      return json(res, 200, {
        id: `chatcmpl-${createHash('sha1').update(JSON.stringify(call)).digest('hex').slice(0, 12)}`,
        object: 'chat.completion',
        created: Math.floor(Date.now() / 1000),
        model: request.model,
        choices: [
          {
            index: 0,
            message: { role: 'assistant', content: null, tool_calls: [{ id: `call_${this.requests.length}`, type: 'function', function: { name: call.name, arguments: JSON.stringify(call.arguments) } }] },
            finish_reason: 'tool_calls',
          },
        ],
        usage: { prompt_tokens: 10, completion_tokens: 10, total_tokens: 20 },
      });
    }
    const content = this.script(request);
    const id = `chatcmpl-${createHash('sha1').update(content).digest('hex').slice(0, 12)}`;
    const created = Math.floor(Date.now() / 1000);
    if (!request.stream) {
      return json(res, 200, {
        id,
        object: 'chat.completion',
        created,
        model: request.model,
        choices: [{ index: 0, message: { role: 'assistant', content }, finish_reason: 'stop' }],
        usage: { prompt_tokens: 10, completion_tokens: 10, total_tokens: 20 },
      });
    }
    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', connection: 'keep-alive' });
    const send = (delta: Record<string, unknown>, finish: string | null) =>
      res.write(`data: ${JSON.stringify({ id, object: 'chat.completion.chunk', created, model: request.model, choices: [{ index: 0, delta, finish_reason: finish }] })}\n\n`);
    send({ role: 'assistant', content: '' }, null);
    // Word-sized pieces, as real models stream them.
    for (const piece of content.match(/\S+\s*/g) ?? []) send({ content: piece }, null);
    send({}, 'stop');
    res.end('data: [DONE]\n\n');
  }

  private embeddings(body: Record<string, unknown>, res: http.ServerResponse): void {
    const inputs = Array.isArray(body.input) ? (body.input as string[]) : [String(body.input)];
    const dimensions = typeof body.dimensions === 'number' ? body.dimensions : 64;
    json(res, 200, {
      object: 'list',
      model: body.model,
      data: inputs.map((text, index) => ({ object: 'embedding', index, embedding: hashVector(text, dimensions) })),
      usage: { prompt_tokens: inputs.length, total_tokens: inputs.length },
    });
  }
}

/** A deterministic unit vector per text: equal texts are equal vectors, different ones nearly orthogonal. */
function hashVector(text: string, dimensions: number): number[] {
  const out: number[] = [];
  let seed = createHash('sha256').update(text).digest();
  while (out.length < dimensions) {
    for (let i = 0; i + 1 < seed.length && out.length < dimensions; i += 2) out.push(seed.readInt16LE(i) / 32768);
    seed = createHash('sha256').update(seed).digest();
  }
  const norm = Math.sqrt(out.reduce((s, v) => s + v * v, 0)) || 1;
  return out.map((v) => v / norm);
}

function json(res: http.ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}
