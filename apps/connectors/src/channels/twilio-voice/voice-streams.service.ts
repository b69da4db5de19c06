import { Logger } from '@nestjs/common';
import type { DataSource } from 'typeorm';
import twilio from 'twilio';
import { BusSubjects, ChannelAccountRef } from '@cs/contracts';
import { Bus, Subscription } from '@cs/messaging';
import { ChannelAccountService } from '../../registry/channel-account.service';
import { InboundPublisher } from '../../registry/inbound-publisher.service';
import { TwilioClients, callTwilio } from '../twilio/twilio-rest';
import { CallInfo, MediaStreamSession, TurnTimings } from './media-stream.session';
import { OpenStreamReply, OutboundFrame, inboundFrameSchema, openStreamSchema } from './media-stream.protocol';
import { LanguageModelStore } from './speech/language-model.store';
import type { SpeechToText, TextToSpeech } from './speech/speech.types';
import { SmsOptOuts } from '../twilio/sms-opt-outs.store';
import { toFrames } from './audio/mulaw';
import { TWILIO_VOICE_CONNECTOR_ID, TwilioVoiceSettings, twilioVoiceSettingsSchema } from './twilio-voice.definition';
import { transferTwiml } from './twilio-voice.twiml';

const ID = TWILIO_VOICE_CONNECTOR_ID;

/**
 * The live calls this process holds. The gateway owns the public WebSocket and relays its frames
 * over the bus; whichever connectors process answers `stream.twilio-voice.open` holds the call
 * from then on (it alone subscribes to that stream's `.in`), so the frames of one call are never
 * spread over several processes.
 */
export class VoiceStreams {
  private readonly logger = new Logger('TwilioVoiceStreams');
  private readonly sessions = new Map<string, { session: MediaStreamSession; subs: Subscription[] }>();
  private readonly models: LanguageModelStore;
  private readonly smsOptOuts: SmsOptOuts;
  private openSub?: Subscription;

  constructor(
    private readonly bus: Bus,
    dataSource: DataSource,
    private readonly accounts: ChannelAccountService,
    private readonly publisher: InboundPublisher,
    private readonly clients: TwilioClients,
    private readonly stt: SpeechToText,
    private readonly tts: (voice: string) => TextToSpeech,
  ) {
    this.models = new LanguageModelStore(dataSource);
    this.smsOptOuts = new SmsOptOuts(dataSource);
  }

  start(): void {
    this.openSub = this.bus.reply(BusSubjects.streamOpen(ID), (payload) => this.open(payload), 'connectors');
  }

  async stop(): Promise<void> {
    await this.openSub?.unsubscribe().catch(() => undefined);
    for (const streamId of [...this.sessions.keys()]) await this.end(streamId);
  }

  /** The session of a stream, when this process holds it. */
  session(streamId: string): MediaStreamSession | undefined {
    return this.sessions.get(streamId)?.session;
  }

  send(streamId: string, frame: OutboundFrame): void {
    this.bus.emit(BusSubjects.streamOut(ID, streamId), frame);
  }

  async open(payload: unknown): Promise<OpenStreamReply> {
    const parsed = openStreamSchema.safeParse(payload);
    if (!parsed.success) return { ok: false, status: 400, error: parsed.error.message };
    const { streamId, channelAccountId, url, headers } = parsed.data;
    const row = await this.accounts.findById(channelAccountId);
    if (!row || row.connectorId !== ID || row.status !== 'active') return { ok: false, status: 404, error: 'unknown channel account' };
    const account = this.accounts.toRef(row);
    const settings = twilioVoiceSettingsSchema.parse(account.settings);
    // Twilio signs the WebSocket handshake too: the URL it opened, with no parameters.
    const signature = headers['x-twilio-signature'];
    if (!signature || !twilio.validateRequest(settings.authToken, signature, url, {})) {
      return { ok: false, status: 403, error: 'signature verification failed' };
    }

    const session = new MediaStreamSession(
      {
        send: (frame) => this.send(streamId, frame),
        utterance: (call, turn, transcript, timings, transferred) => this.utterance(account, streamId, call, turn, transcript, timings, transferred),
        transfer: (call, reason) => this.transfer(settings, call.callSid, call.to || undefined, reason),
        textLink: (call, url) => this.textLink(account, settings, call, url),
        languageModel: () => this.models.forTenant(account.tenantId),
        started: (call) => (settings.recordCalls ? this.startRecording(settings, call, url, channelAccountId) : Promise.resolve()),
        log: (message) => this.logger.log(message),
      },
      this.stt,
      { endOfSpeechMs: settings.endOfSpeechMs },
    );
    const subs = [
      this.bus.on(BusSubjects.streamIn(ID, streamId), (frame) => {
        const f = inboundFrameSchema.safeParse(frame);
        if (!f.success) return;
        session.onInbound(f.data);
        if (f.data.event === 'stop') this.end(streamId).catch((err: Error) => this.logger.warn(`ending stream ${streamId} failed: ${err.message}`));
      }),
      this.bus.on(BusSubjects.streamOut(ID, streamId), (frame) => session.onOutbound(frame)),
      this.bus.on(BusSubjects.streamOffer(ID, streamId), (offer) => session.offerLink(offer.url)),
    ];
    this.sessions.set(streamId, { session, subs });
    return { ok: true };
  }

  private async end(streamId: string): Promise<void> {
    const entry = this.sessions.get(streamId);
    if (!entry) return;
    this.sessions.delete(streamId);
    await entry.session.idle();
    await Promise.all(entry.subs.map((s) => s.unsubscribe().catch(() => undefined)));
  }

  private async utterance(
    account: ChannelAccountRef,
    streamId: string,
    call: CallInfo,
    turn: number,
    transcript: string,
    timings: TurnTimings,
    transferred = false,
  ): Promise<void> {
    await this.publisher.publishInbound(account.tenantId, {
      connectorId: ID,
      channel: 'voice',
      channelAccountId: account.id,
      externalMessageId: `${call.callSid}:${turn}`,
      externalThreadId: call.callSid,
      sender: { externalUserId: call.from || call.callSid, ...(call.from ? { address: call.from } : {}) },
      ...(call.to ? { recipient: call.to } : {}),
      receivedAt: new Date().toISOString(),
      parts: [{ type: 'text', text: transcript }],
      channelData: { callSid: call.callSid, streamSid: call.streamSid, streamId, ...timings, transcribedAt: Date.now(), ...(transferred ? { transferredToPerson: true } : {}) },
    });
  }

  /** Only when the tenant turned recordings on: both sides, reported to `/hooks/twilio-voice/<id>/recording`. */
  private async startRecording(settings: TwilioVoiceSettings, call: CallInfo, streamUrl: string, channelAccountId: string): Promise<void> {
    const base = new URL(streamUrl.replace(/^ws/, 'http')).origin;
    await callTwilio('starting the call recording', () =>
      this.clients.for(settings).calls(call.callSid).recordings.create({
        recordingChannels: 'dual',
        recordingStatusCallback: `${base}/hooks/${ID}/${channelAccountId}/recording`,
        recordingStatusCallbackEvent: ['completed'],
      }),
    );
  }

  /** Pressing 0, asking for a person, or the agent's hand-off: the call is updated through the REST API to dial the shop. */
  async transfer(settings: TwilioVoiceSettings, callSid: string, callerId: string | undefined, reason: string): Promise<void> {
    if (!settings.transferNumber) {
      this.logger.warn(`call ${callSid}: the caller wants a person (${reason}) but no transfer number is set`);
      return;
    }
    this.logger.log(`call ${callSid}: transferring to a person (${reason})`);
    await callTwilio('transferring the call', () =>
      this.clients.for(settings).calls(callSid).update({ twiml: transferTwiml(settings.transferNumber!, callerId) }),
    );
  }

  /**
   * The caller said yes to "shall I text you the link?": a text from the number they called,
   * unless they opted out of texts, and a spoken confirmation.
   */
  private async textLink(account: ChannelAccountRef, settings: TwilioVoiceSettings, call: CallInfo, url: string): Promise<void> {
    if (!call.from || !call.to) return;
    const optedOut = await this.smsOptOuts.isOptedOut(account.tenantId, call.from);
    if (!optedOut) {
      await callTwilio('texting the link', () => this.clients.for(settings).messages.create({ to: call.from, from: call.to, body: `Here is the link we mentioned on the phone: ${url}` }));
    }
    await this.speak(call, optedOut ? 'Sorry, I cannot text this number because it has opted out of texts.' : 'Done, I have sent you the link by text.', settings.ttsVoice);
  }

  /** Speaks into a call: μ-law frames, then a mark so barge-in knows it is playing. */
  async speak(call: Pick<CallInfo, 'streamSid'> & { streamId?: string }, text: string, voice: string, markName = `say-${Date.now()}`): Promise<void> {
    const streamId = call.streamId ?? [...this.sessions.entries()].find(([, e]) => e.session.call?.streamSid === call.streamSid)?.[0];
    if (!streamId) return;
    const audio = await this.tts(voice).synthesize(text);
    for (const frame of toFrames(audio)) this.send(streamId, { event: 'media', streamSid: call.streamSid, media: { payload: frame.toString('base64') } });
    this.send(streamId, { event: 'mark', streamSid: call.streamSid, mark: { name: markName } });
  }
}
