import { EnergyVad, VadOptions } from './audio/energy-vad';
import { decodeMulaw } from './audio/mulaw';
import { InboundFrame, OutboundFrame } from './media-stream.protocol';
import { asksForPerson, saysYes } from './twilio-voice.speakable';
import type { LanguageModelFiles, SpeechToText } from './speech/speech.types';

export interface CallInfo {
  streamSid: string;
  callSid: string;
  from: string;
  to: string;
}

export interface TurnTimings {
  /** When the caller's end-of-speech silence was over (epoch ms). */
  speechEndedAt: number;
  sttMs: number;
}

export interface SessionHooks {
  send(frame: OutboundFrame): void;
  /**
   * A finished utterance, transcribed: goes to the agent as one inbound message. `transferred`
   * when the call is being handed to a person already: the agent records it (transcript, summary)
   * but its own hand-off must not transfer the call a second time.
   */
  utterance(call: CallInfo, turn: number, transcript: string, timings: TurnTimings, transferred?: boolean): Promise<void>;
  /** The caller said yes to having the link texted. */
  textLink(call: CallInfo, url: string): Promise<void>;
  /** The caller pressed 0 or asked for a person. */
  transfer(call: CallInfo, reason: 'dtmf' | 'asked'): Promise<void>;
  languageModel(): Promise<LanguageModelFiles | null>;
  /** The stream has started: the call is known (recording starts here when the tenant wants it). */
  started(call: CallInfo): Promise<void>;
  log(message: string): void;
}

/**
 * One phone call's Media Stream: caller audio → voice-activity detection → turns → speech to text;
 * barge-in (the caller speaks while our answer plays: `clear`); 0 on the keypad transfers. Our
 * own playback is tracked by marks: one is sent after each answer and Twilio echoes it once played.
 */
export class MediaStreamSession {
  call: CallInfo | null = null;
  private readonly vad: EnergyVad;
  private readonly playing = new Set<string>();
  private turns = 0;
  private queue: Promise<void> = Promise.resolve();
  private closed = false;
  private offeredLink: string | null = null;

  constructor(private readonly hooks: SessionHooks, private readonly stt: SpeechToText, vad: Partial<VadOptions> = {}) {
    this.vad = new EnergyVad(vad);
  }

  get isPlaying(): boolean {
    return this.playing.size > 0;
  }

  get ended(): boolean {
    return this.closed;
  }

  /** A frame from the caller's side (Twilio → gateway → `.in`). */
  onInbound(frame: InboundFrame): void {
    if (this.closed) return;
    switch (frame.event) {
      case 'start': {
        const p = frame.start.customParameters;
        this.call = { streamSid: frame.start.streamSid, callSid: frame.start.callSid, from: p.from ?? p.From ?? '', to: p.to ?? p.To ?? '' };
        const call = this.call;
        this.enqueue(() => this.hooks.started(call));
        return;
      }
      case 'media':
        if (frame.media.track && frame.media.track !== 'inbound') return;
        for (const event of this.vad.push(decodeMulaw(Buffer.from(frame.media.payload, 'base64')))) {
          if (event.type === 'speech-start' && this.isPlaying) this.bargeIn();
          if (event.type === 'speech-end') this.enqueue(this.handleUtterance(event.audio, Date.now()));
        }
        return;
      case 'dtmf':
        if (frame.dtmf.digit === '0' && this.call) {
          const call = this.call;
          this.enqueue(async () => {
            await this.hooks.transfer(call, 'dtmf');
            this.turns += 1;
            await this.hooks.utterance(call, this.turns, '(pressed 0 to speak to a person)', { speechEndedAt: Date.now(), sttMs: 0 }, true);
          });
        }
        return;
      case 'mark':
        this.playing.delete(frame.mark.name);
        return;
      case 'stop':
        this.closed = true;
        return;
      default:
        return;
    }
  }

  /** A frame going to the caller, whoever sent it: marks in flight mean our answer is playing. */
  onOutbound(frame: OutboundFrame): void {
    if (frame.event === 'mark') this.playing.add(frame.mark.name);
    if (frame.event === 'clear') this.playing.clear();
  }

  /** The answer now playing offered to text this link; a "yes" next turn sends it. */
  offerLink(url: string): void {
    this.offeredLink = url;
  }

  /** Resolves when every queued turn is handled (tests, shutdown). */
  idle(): Promise<void> {
    return this.queue;
  }

  private bargeIn(): void {
    if (!this.call) return;
    this.hooks.log(`call ${this.call.callSid}: caller spoke over the answer, clearing playback`);
    this.hooks.send({ event: 'clear', streamSid: this.call.streamSid });
    this.playing.clear();
  }

  private handleUtterance(audio: Int16Array, speechEndedAt: number): () => Promise<void> {
    return async () => {
      const call = this.call;
      if (!call || this.closed) return;
      const started = Date.now();
      const transcript = (await this.stt.transcribe(audio, { languageModel: (await this.hooks.languageModel()) ?? undefined })).trim();
      const sttMs = Date.now() - started;
      if (!transcript) return;
      const wantsPerson = asksForPerson(transcript);
      if (wantsPerson) await this.hooks.transfer(call, 'asked');
      const offered = this.offeredLink;
      this.offeredLink = null;
      if (!wantsPerson && offered && saysYes(transcript)) return this.hooks.textLink(call, offered);
      this.turns += 1;
      await this.hooks.utterance(call, this.turns, transcript, { speechEndedAt, sttMs }, wantsPerson);
    };
  }

  private enqueue(work: () => Promise<void>): void {
    this.queue = this.queue.then(work).catch((err: Error) => this.hooks.log(`call ${this.call?.callSid ?? '?'}: ${err.stack ?? err.message}`));
  }
}
