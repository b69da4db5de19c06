import { IncomingMessage, Server, ServerResponse, createServer } from 'http';
import type { AddressInfo } from 'net';
import { failRequest } from '../fail-request';

export interface WhisperCall {
  authorization: string | undefined;
  model: string;
  language: string | null;
  file: Buffer;
  fileName: string;
}

export interface ElevenLabsCall {
  apiKey: string | undefined;
  voiceId: string;
  outputFormat: string | null;
  text: string;
  modelId: string | undefined;
}

/**
 * The two cloud speech APIs of a phone call, at their wire protocol, on 127.0.0.1: OpenAI's
 * `POST /v1/audio/transcriptions` (multipart, Whisper) and ElevenLabs'
 * `POST /v1/text-to-speech/:voice_id/stream` (JSON in, chunked audio out).
 */
export class FakeSpeechApis {
  readonly whisperCalls: WhisperCall[] = [];
  readonly elevenLabsCalls: ElevenLabsCall[] = [];
  /** What Whisper "hears" next (default: the last one again). */
  transcripts: string[] = ['how long does delivery take'];
  /** The μ-law ElevenLabs "speaks"; sent in three chunks. */
  speech: Buffer = Buffer.alloc(8000, 0x7f);

  private constructor(private readonly server: Server, readonly url: string) {}

  static async start(): Promise<FakeSpeechApis> {
    let fake: FakeSpeechApis | undefined;
    const server = createServer((req, res) => {
      fake!.handle(req, res).catch((err: Error) => failRequest('fake speech APIs', res, err));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    fake = new FakeSpeechApis(server, `http://127.0.0.1:${(server.address() as AddressInfo).port}`);
    return fake;
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks);
    const url = new URL(req.url ?? '/', this.url);

    if (req.method === 'POST' && url.pathname === '/v1/audio/transcriptions') {
      const form = await new Request(url, { method: 'POST', headers: { 'content-type': req.headers['content-type'] ?? '' }, body }).formData();
      const file = form.get('file') as File;
      this.whisperCalls.push({
        authorization: req.headers.authorization,
        model: String(form.get('model')),
        language: form.get('language') as string | null,
        file: Buffer.from(await file.arrayBuffer()),
        fileName: file.name,
      });
      const text = this.transcripts.length > 1 ? this.transcripts.shift()! : this.transcripts[0];
      res.writeHead(200, { 'content-type': 'application/json' });
      return void res.end(JSON.stringify({ text }));
    }

    const tts = url.pathname.match(/^\/v1\/text-to-speech\/([^/]+)\/stream$/);
    if (req.method === 'POST' && tts) {
      const json = JSON.parse(body.toString('utf8')) as { text: string; model_id?: string };
      this.elevenLabsCalls.push({
        apiKey: req.headers['xi-api-key'] as string | undefined,
        voiceId: decodeURIComponent(tts[1]),
        outputFormat: url.searchParams.get('output_format'),
        text: json.text,
        modelId: json.model_id,
      });
      res.writeHead(200, { 'content-type': 'audio/basic', 'transfer-encoding': 'chunked' });
      const third = Math.ceil(this.speech.length / 3);
      for (let i = 0; i < this.speech.length; i += third) {
        res.write(this.speech.subarray(i, i + third));
        await new Promise((r) => setTimeout(r, 10));
      }
      return void res.end();
    }
    res.writeHead(404, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ error: { message: `no route ${req.method} ${url.pathname}` } }));
  }
}
