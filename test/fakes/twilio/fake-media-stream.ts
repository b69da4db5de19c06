import WebSocket from 'ws';
import { sid } from './fake-twilio';
import { twilioSignature } from './twilio-signature';

type Frame = { event: string; streamSid?: string; media?: { payload: string }; mark?: { name: string } };

export interface FakeCallOptions {
  /** The wss:// URL from our TwiML, as Twilio sees it (and signs it). */
  url: string;
  /** Where a proxy would really send it (our gateway's ws:// URL). */
  route: (url: string) => string;
  accountSid: string;
  authToken: string;
  from: string;
  to: string;
  customParameters?: Record<string, string>;
}

/**
 * Twilio's side of a bidirectional Media Stream: opens the WebSocket (signed), sends `connected`,
 * `start`, the caller's audio as 20 ms `media` frames, `dtmf` and `stop`; plays what we send back
 * in real time, echoing each `mark` once the audio before it has played, and honouring `clear`.
 */
export class FakeCall {
  readonly callSid = sid('CA');
  readonly streamSid = sid('MZ');
  readonly received: Frame[] = [];
  readonly heard: Buffer[] = [];
  readonly marksPlayed: string[] = [];
  clears = 0;
  private readonly queue: Frame[] = [];
  private readonly player: NodeJS.Timeout;
  private seq = 0;
  private chunk = 0;
  /** Playback runs on the wall clock (one 20 ms frame per 20 ms elapsed), however late the timer fires. */
  private playedUntil = 0;

  private constructor(private readonly ws: WebSocket) {
    this.player = setInterval(() => this.playNext(), 20);
    ws.on('message', (data) => this.onFrame(JSON.parse(data.toString()) as Frame));
  }

  static async dial(opts: FakeCallOptions): Promise<FakeCall> {
    const ws = new WebSocket(opts.route(opts.url), { headers: { 'x-twilio-signature': twilioSignature(opts.authToken, opts.url, {}) } });
    await new Promise<void>((resolve, reject) => {
      ws.once('open', () => resolve());
      ws.once('error', reject);
      ws.once('unexpected-response', (_req, res) => reject(new Error(`handshake refused: ${res.statusCode}`)));
    });
    const call = new FakeCall(ws);
    call.sendFrame({ event: 'connected', protocol: 'Call', version: '1.0.0' });
    call.sendFrame({
      event: 'start',
      streamSid: call.streamSid,
      start: {
        accountSid: opts.accountSid,
        streamSid: call.streamSid,
        callSid: call.callSid,
        tracks: ['inbound'],
        mediaFormat: { encoding: 'audio/x-mulaw', sampleRate: 8000, channels: 1 },
        customParameters: { from: opts.from, to: opts.to, ...opts.customParameters },
      },
    });
    return call;
  }

  get closed(): boolean {
    return this.ws.readyState === WebSocket.CLOSED || this.ws.readyState === WebSocket.CLOSING;
  }

  /** The caller's audio (8 kHz μ-law), sent as Twilio does: 160-byte frames. */
  say(mulaw: Buffer): void {
    for (let i = 0; i < mulaw.length; i += 160) {
      const payload = Buffer.alloc(160, 0xff);
      mulaw.copy(payload, 0, i, Math.min(i + 160, mulaw.length));
      this.chunk += 1;
      this.sendFrame({
        event: 'media',
        streamSid: this.streamSid,
        media: { track: 'inbound', chunk: String(this.chunk), timestamp: String(this.chunk * 20), payload: payload.toString('base64') },
      });
    }
  }

  press(digit: string): void {
    this.sendFrame({ event: 'dtmf', streamSid: this.streamSid, dtmf: { track: 'inbound_track', digit } });
  }

  /** Everything the caller heard so far, as one μ-law buffer. */
  heardAudio(): Buffer {
    return Buffer.concat(this.heard);
  }

  get playing(): boolean {
    return this.queue.some((f) => f.event === 'media');
  }

  async hangUp(): Promise<void> {
    clearInterval(this.player);
    if (this.ws.readyState === WebSocket.OPEN) {
      this.sendFrame({ event: 'stop', streamSid: this.streamSid, stop: { accountSid: '', callSid: this.callSid } });
      this.ws.close();
    }
    if (this.ws.readyState !== WebSocket.CLOSED) await new Promise((r) => this.ws.once('close', r));
  }

  private onFrame(frame: Frame): void {
    this.received.push(frame);
    if (frame.event === 'media' || frame.event === 'mark') this.queue.push(frame);
    if (frame.event === 'clear') {
      this.clears += 1;
      // Twilio drops the audio not yet played and sends back the marks that were waiting behind it.
      const waiting = this.queue.splice(0).filter((f) => f.event === 'mark');
      for (const mark of waiting) this.echoMark(mark.mark!.name);
    }
  }

  private playNext(): void {
    const now = Date.now();
    if (!this.queue.length) {
      this.playedUntil = now;
      return;
    }
    while (this.queue.length && this.playedUntil <= now) {
      const next = this.queue.shift()!;
      if (next.event === 'mark') this.echoMark(next.mark!.name);
      else if (next.media) {
        this.heard.push(Buffer.from(next.media.payload, 'base64'));
        this.playedUntil += 20;
      }
    }
  }

  private echoMark(name: string): void {
    this.marksPlayed.push(name);
    this.sendFrame({ event: 'mark', streamSid: this.streamSid, mark: { name } });
  }

  private sendFrame(frame: Record<string, unknown>): void {
    if (this.ws.readyState !== WebSocket.OPEN) return;
    this.seq += 1;
    this.ws.send(JSON.stringify({ ...frame, sequenceNumber: String(this.seq) }));
  }
}
