import OpenAI, { toFile } from 'openai';
import { wavFile } from '../audio/mulaw';
import type { SpeechToText } from './speech.types';

export interface WhisperOptions {
  apiKey: string;
  /** OPENAI_BASE_URL: any OpenAI-compatible server, a proxy, or a test server. */
  baseURL?: string;
  model?: string;
}

/** Speech to text through the Whisper API, with the official `openai` SDK. */
export class WhisperStt implements SpeechToText {
  readonly name = 'whisper';
  private readonly client: OpenAI;
  private readonly model: string;

  constructor(opts: WhisperOptions) {
    this.client = new OpenAI({ apiKey: opts.apiKey, baseURL: opts.baseURL, maxRetries: 1, timeout: 15_000 });
    this.model = opts.model ?? 'whisper-1';
  }

  async transcribe(pcm8k: Int16Array): Promise<string> {
    const file = await toFile(wavFile(pcm8k, 8000), 'utterance.wav', { type: 'audio/wav' });
    const result = await this.client.audio.transcriptions.create({ file, model: this.model, language: 'en', response_format: 'json' });
    return result.text.trim();
  }
}
