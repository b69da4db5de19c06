import { ElevenLabsClient } from '@elevenlabs/elevenlabs-js';
import type { TextToSpeech } from './speech.types';

export interface ElevenLabsOptions {
  apiKey: string;
  /** ELEVENLABS_BASE_URL: a proxy or a test server; default ElevenLabs' production API. */
  baseUrl?: string;
  voiceId: string;
  modelId?: string;
}

/**
 * Text to speech through ElevenLabs with `@elevenlabs/elevenlabs-js`, asking for `ulaw_8000` — the
 * Media Stream format itself, so nothing is converted — and streamed: the first chunk can be on
 * the line before the last is synthesized.
 */
export class ElevenLabsTts implements TextToSpeech {
  readonly name = 'elevenlabs';
  private readonly client: ElevenLabsClient;

  constructor(private readonly opts: ElevenLabsOptions) {
    this.client = new ElevenLabsClient({ apiKey: opts.apiKey, ...(opts.baseUrl ? { baseUrl: opts.baseUrl } : {}), maxRetries: 1, timeoutInSeconds: 15 });
  }

  async *stream(text: string): AsyncIterable<Buffer> {
    const audio = await this.client.textToSpeech.stream(this.opts.voiceId, {
      text,
      modelId: this.opts.modelId ?? 'eleven_flash_v2_5',
      outputFormat: 'ulaw_8000',
    });
    const reader = audio.getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return;
      if (value?.length) yield Buffer.from(value);
    }
  }

  async synthesize(text: string): Promise<Buffer> {
    const chunks: Buffer[] = [];
    for await (const chunk of this.stream(text)) chunks.push(chunk);
    return Buffer.concat(chunks);
  }
}
