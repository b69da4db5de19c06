import { execFileSync } from 'child_process';
import { mkdtempSync, readFileSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import * as path from 'path';

/** flite is a Debian package the speech tests need (scripts/test-services.sh installs it). */
function flite(args: string[]): void {
  try {
    execFileSync('flite', args);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') throw new Error('flite is not installed: apt-get install flite (scripts/test-services.sh)');
    throw err;
  }
}

/**
 * What a caller says, as the phone network delivers it: flite speech (CMU's diphone voices, which
 * pocketsphinx hears far better than espeak-ng's formant voice), converted by sox to 8 kHz μ-law —
 * the bytes a Twilio Media Stream carries.
 */
export function callerSays(text: string, voice = 'kal16'): Buffer {
  const dir = mkdtempSync(path.join(tmpdir(), 'fake-caller-'));
  try {
    const wav = path.join(dir, 'said.wav');
    flite(['-voice', voice, '-t', text, '-o', wav]);
    return execFileSync('sox', [wav, '-t', 'raw', '-r', '8000', '-e', 'mu-law', '-b', '8', '-c', '1', '-']);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** μ-law silence: what the line carries between sentences. */
export function silence(ms: number): Buffer {
  return Buffer.alloc((8000 * ms) / 1000, 0xff);
}

/** A voicemail as Twilio records it: 8 kHz, 16-bit, mono WAV. */
export function voicemailWav(text: string): Buffer {
  const dir = mkdtempSync(path.join(tmpdir(), 'fake-voicemail-'));
  try {
    const said = path.join(dir, 'said.wav');
    const out = path.join(dir, 'recording.wav');
    flite(['-voice', 'kal16', '-t', text, '-o', said]);
    execFileSync('sox', [said, '-r', '8000', '-b', '16', '-e', 'signed-integer', '-c', '1', out, 'pad', '0.3', '0.5']);
    return readFileSync(out);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
