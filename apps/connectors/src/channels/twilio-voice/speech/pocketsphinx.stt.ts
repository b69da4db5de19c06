import { execFile } from 'child_process';
import { mkdtemp, rm, writeFile } from 'fs/promises';
import { tmpdir } from 'os';
import * as path from 'path';
import { promisify } from 'util';
import { upsample2x, wavFile } from '../audio/mulaw';
import type { LanguageModelFiles, SpeechToText } from './speech.types';

const run = promisify(execFile);

/** Silence around the utterance: pocketsphinx normalizes on the first frames and needs a lead-in. */
const PAD_SAMPLES_16K = 16000 * 0.3;

/**
 * Offline speech to text with Debian's pocketsphinx (`pocketsphinx_continuous`, en-us model). Its
 * acoustic model is wideband, so the 8 kHz call audio is upsampled to 16 kHz first.
 */
export class PocketsphinxStt implements SpeechToText {
  readonly name = 'pocketsphinx';

  constructor(private readonly bin = 'pocketsphinx_continuous', private readonly timeoutMs = 15_000) {}

  async transcribe(pcm8k: Int16Array, opts: { languageModel?: LanguageModelFiles } = {}): Promise<string> {
    const wide = upsample2x(pcm8k);
    const padded = new Int16Array(wide.length + 2 * PAD_SAMPLES_16K);
    padded.set(wide, PAD_SAMPLES_16K);
    const dir = await mkdtemp(path.join(tmpdir(), 'cs-stt-'));
    try {
      const file = path.join(dir, 'utterance.wav');
      await writeFile(file, wavFile(padded, 16000));
      const lm = opts.languageModel ? ['-lm', opts.languageModel.lm, '-dict', opts.languageModel.dict] : [];
      const { stdout } = await run(this.bin, ['-infile', file, '-logfn', '/dev/null', ...lm], { timeout: this.timeoutMs });
      return stdout.split('\n').map((l) => l.trim()).filter(Boolean).join(' ');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }
}
