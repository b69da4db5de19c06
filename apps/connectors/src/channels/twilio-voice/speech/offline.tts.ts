import { execFile } from 'child_process';
import { existsSync } from 'fs';
import { mkdtemp, readFile, rm } from 'fs/promises';
import { tmpdir } from 'os';
import * as path from 'path';
import { promisify } from 'util';
import type { TextToSpeech } from './speech.types';

const run = promisify(execFile);

const FLITE_VOICES = new Set(['kal', 'kal16', 'awb', 'awb_time', 'rms', 'slt']);

/**
 * Offline text to speech: flite (CMU's, clearer on a phone line) when installed, else espeak-ng;
 * then sox turns it into 8 kHz μ-law, the format of a Media Stream.
 */
export class OfflineTts implements TextToSpeech {
  readonly name: string;
  private readonly engine: 'flite' | 'espeak-ng';

  constructor(private readonly voice = 'rms', opts: { engine?: 'flite' | 'espeak-ng' } = {}) {
    this.engine = opts.engine ?? (existsSync('/usr/bin/flite') || existsSync('/usr/local/bin/flite') ? 'flite' : 'espeak-ng');
    this.name = this.engine;
  }

  async synthesize(text: string): Promise<Buffer> {
    const dir = await mkdtemp(path.join(tmpdir(), 'cs-tts-'));
    try {
      const wav = path.join(dir, 'speech.wav');
      const ulaw = path.join(dir, 'speech.ul');
      if (this.engine === 'flite') {
        await run('flite', ['-voice', FLITE_VOICES.has(this.voice) ? this.voice : 'rms', '-t', text, '-o', wav], { timeout: 15_000 });
      } else {
        const voice = FLITE_VOICES.has(this.voice) ? 'en-us' : this.voice;
        await run('espeak-ng', ['-v', voice, '-s', '150', '-w', wav, text], { timeout: 15_000 });
      }
      await run('sox', [wav, '-t', 'raw', '-r', '8000', '-e', 'mu-law', '-b', '8', '-c', '1', ulaw], { timeout: 15_000 });
      return await readFile(ulaw);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }
}
