import { FRAME_MS } from './mulaw';

export interface VadOptions {
  /** Silence that ends a turn: the caller has stopped talking. */
  endOfSpeechMs: number;
  /** Voiced audio needed before we believe someone is talking (coughs and clicks are shorter). */
  startSpeechMs: number;
  /** Voiced utterances shorter than this are dropped as noise. */
  minSpeechMs: number;
  /** A frame is voiced when it is this many dB above the noise floor... */
  marginDb: number;
  /** ...and above this absolute level (dBFS), so a silent line never turns its hiss into speech. */
  minLevelDb: number;
  /** Audio kept from before speech was detected, so the first syllable is not cut. */
  preRollMs: number;
  /** A turn is cut here even if the caller goes on talking. */
  maxSpeechMs: number;
}

export const DEFAULT_VAD: VadOptions = {
  endOfSpeechMs: 700,
  startSpeechMs: 60,
  minSpeechMs: 200,
  marginDb: 12,
  minLevelDb: -45,
  preRollMs: 200,
  maxSpeechMs: 15_000,
};

export type VadEvent = { type: 'speech-start' } | { type: 'speech-end'; audio: Int16Array; speechMs: number } | { type: 'noise' };

/** Level of a frame in dBFS (0 = full scale; digital silence is -100). */
export function levelDb(frame: Int16Array): number {
  if (frame.length === 0) return -100;
  let sum = 0;
  for (let i = 0; i < frame.length; i++) sum += frame[i] * frame[i];
  const rms = Math.sqrt(sum / frame.length) / 32768;
  return rms > 0 ? Math.max(-100, 20 * Math.log10(rms)) : -100;
}

/**
 * Energy voice-activity detection over 20 ms frames, with a noise floor that follows the line's
 * background level while nobody speaks. Feed frames with `push`; it says when speech starts (the
 * moment to stop our own playback: barge-in) and hands over each finished utterance.
 */
export class EnergyVad {
  private readonly opts: VadOptions;
  private floorDb = -60;
  private inSpeech = false;
  private voicedRun = 0;
  private silentRun = 0;
  private voicedFrames = 0;
  private frames: Int16Array[] = [];
  private preRoll: Int16Array[] = [];

  constructor(opts: Partial<VadOptions> = {}) {
    this.opts = { ...DEFAULT_VAD, ...opts };
  }

  get speaking(): boolean {
    return this.inSpeech;
  }

  push(frame: Int16Array): VadEvent[] {
    const level = levelDb(frame);
    const voiced = level > Math.max(this.floorDb + this.opts.marginDb, this.opts.minLevelDb);
    const frameMs = (frame.length / 8000) * 1000 || FRAME_MS;
    if (!this.inSpeech) {
      // The floor drifts toward the background: fast down, slowly up.
      this.floorDb = level < this.floorDb ? level * 0.5 + this.floorDb * 0.5 : this.floorDb * 0.98 + level * 0.02;
      this.preRoll.push(frame);
      const keep = Math.ceil(this.opts.preRollMs / frameMs) + this.voicedRun + 1;
      if (this.preRoll.length > keep) this.preRoll.splice(0, this.preRoll.length - keep);
      this.voicedRun = voiced ? this.voicedRun + 1 : 0;
      if (this.voicedRun * frameMs >= this.opts.startSpeechMs) {
        this.inSpeech = true;
        this.silentRun = 0;
        this.voicedFrames = this.voicedRun;
        this.frames = this.preRoll;
        this.preRoll = [];
        return [{ type: 'speech-start' }];
      }
      return [];
    }

    this.frames.push(frame);
    this.silentRun = voiced ? 0 : this.silentRun + 1;
    if (voiced) this.voicedFrames++;
    const totalMs = this.frames.length * frameMs;
    if (this.silentRun * frameMs >= this.opts.endOfSpeechMs || totalMs >= this.opts.maxSpeechMs) {
      return [this.finish(frameMs)];
    }
    return [];
  }

  /** Ends the current utterance now (the call ended mid-sentence). */
  flush(): VadEvent[] {
    return this.inSpeech ? [this.finish(FRAME_MS)] : [];
  }

  private finish(frameMs: number): VadEvent {
    const trailing = Math.max(0, this.silentRun - Math.ceil(200 / frameMs));
    const kept = this.frames.slice(0, this.frames.length - trailing);
    const speechMs = this.voicedFrames * frameMs;
    this.inSpeech = false;
    this.voicedRun = 0;
    this.silentRun = 0;
    this.frames = [];
    if (speechMs < this.opts.minSpeechMs) return { type: 'noise' };
    const audio = new Int16Array(kept.reduce((n, f) => n + f.length, 0));
    let offset = 0;
    for (const f of kept) {
      audio.set(f, offset);
      offset += f.length;
    }
    return { type: 'speech-end', audio, speechMs };
  }
}
