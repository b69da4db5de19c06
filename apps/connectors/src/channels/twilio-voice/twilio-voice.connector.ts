import { Inject, Injectable, Logger, Optional } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { TenantSettings } from '@cs/persistence';
import {
  BusSubjects,
  BusinessHours,
  ChannelAccountRef,
  ChannelConnector,
  ConnectorError,
  OutboundMessage,
  ReceivedWebhook,
  SendResult,
  WebhookRequest,
  isOpen,
} from '@cs/contracts';
import { APP_CONFIG } from '@cs/config';
import { BUS, Bus } from '@cs/messaging';
import { ChannelAccountService } from '../../registry/channel-account.service';
import { InboundPublisher } from '../../registry/inbound-publisher.service';
import { twilioSettingsOf, type TwilioEnv } from '../twilio/twilio-account';
import { formParams, isSignedForAccount } from '../twilio/twilio-signature';
import { TwilioClients, callTwilio, testTwilioAccount } from '../twilio/twilio-rest';
import { FRAME_BYTES, toFrames } from './audio/mulaw';
import { SpeechEnv, speechToTextFor, textToSpeechFor } from './speech/speech-providers';
import type { TextToSpeech } from './speech/speech.types';
import { TWILIO_VOICE_CONNECTOR_ID, TwilioVoiceSettings, twilioVoiceDefinition } from './twilio-voice.definition';
import { speakableAnswer } from './twilio-voice.speakable';
import { answerCallTwiml, mediaStreamUrl, sayAndHangUpTwiml, voicemailTwiml } from './twilio-voice.twiml';
import { Voicemails, fetchRecordingWav } from './voicemail';
import { VoiceStreams } from './voice-streams.service';
import { VoiceHandoffs } from './voice-handoff';
import { AttachmentStore, derivedAttachmentId } from '@cs/storage';

const XML = { 'content-type': 'text/xml' };
const twiml = (body: string): ReceivedWebhook => ({ messages: [], statuses: [], response: { status: 200, headers: XML, body } });
const FINAL_CALL_STATES = new Set(['completed', 'busy', 'failed', 'no-answer', 'canceled']);

/**
 * Phone calls through Twilio. The call webhook is answered with TwiML (greeting, then a Media
 * Stream); the stream's audio becomes turns (voice-activity detection, offline speech to text) that
 * go to the agent like any message; the agent's answer is spoken back (offline text to speech) as
 * `media` frames followed by a `mark`.
 */
@Injectable()
export class TwilioVoiceConnector implements ChannelConnector {
  readonly definition = twilioVoiceDefinition;
  private readonly logger = new Logger(TwilioVoiceConnector.name);
  private readonly clients: TwilioClients;
  private readonly publicUrl?: string;
  private readonly streams: VoiceStreams;
  private readonly handoffs: VoiceHandoffs;
  private readonly tts: (offlineVoice: string) => TextToSpeech;
  private readonly voicemails: Voicemails;
  private readonly db: DataSource;
  private readonly files: AttachmentStore;
  private readonly apiBaseUrl?: string;

  constructor(
    @Inject(BUS) private readonly bus: Bus,
    @Inject(DataSource) dataSource: DataSource,
    accounts: ChannelAccountService,
    publisher: InboundPublisher,
    @Inject(AttachmentStore) files: AttachmentStore,
    @Optional() @Inject(APP_CONFIG) env?: TwilioEnv & SpeechEnv,
  ) {
    this.clients = new TwilioClients(env?.TWILIO_API_BASE_URL);
    this.db = dataSource;
    this.files = files;
    this.apiBaseUrl = env?.TWILIO_API_BASE_URL;
    this.publicUrl = env?.PUBLIC_URL?.replace(/\/+$/, '');
    this.tts = textToSpeechFor(env);
    const stt = speechToTextFor(env);
    this.streams = new VoiceStreams(bus, dataSource, accounts, publisher, this.clients, stt, this.tts);
    this.voicemails = new Voicemails(dataSource, publisher, this.clients, stt, env?.TWILIO_API_BASE_URL, files);
    this.handoffs = new VoiceHandoffs(bus, dataSource, accounts, (settings, callSid, callerId, reason) =>
      this.streams.transfer(settings, callSid, callerId, reason),
    );
  }

  async start(): Promise<void> {
    this.streams.start();
    await this.handoffs.start();
  }

  async stop(): Promise<void> {
    await this.handoffs.stop();
    await this.streams.stop();
  }

  verify(req: WebhookRequest, account: ChannelAccountRef | null): boolean {
    return isSignedForAccount(req, account);
  }

  async receive(req: WebhookRequest, account: ChannelAccountRef | null): Promise<ReceivedWebhook> {
    if (!account) throw new ConnectorError('PERMANENT', 'a Twilio webhook must name its channel account');
    const p = formParams(req);
    const settings = this.settingsOf(account);
    const base = this.publicUrl ?? new URL(req.url).origin;
    const hook = `${base}/hooks/${TWILIO_VOICE_CONNECTOR_ID}/${account.id}`;
    if (req.path.endsWith('/voicemail')) {
      const tenant = await this.tenantInfo(account.tenantId);
      // Twilio does not wait for our transcription: it is done after the caller has been thanked.
      this.voicemails
        .process(account, settings, { name: tenant.name, expectedResponseTime: tenant.expectedResponseTime }, p)
        .catch((err: Error) => this.logger.error(`voicemail of call ${p.CallSid}: ${err.stack ?? err.message}`));
      return twiml(sayAndHangUpTwiml('Thank you, we have your message. Goodbye.'));
    }
    if (req.path.endsWith('/recording')) {
      if (p.RecordingStatus === 'completed' && p.CallSid) await this.keepRecording(account.tenantId, settings, p);
      return twiml('<Response/>');
    }
    if (!p.CallSid || FINAL_CALL_STATES.has(p.CallStatus ?? '')) return twiml('<Response/>');

    const tenant = await this.tenantInfo(account.tenantId);
    if (!isOpen(tenant.businessHours, tenant.timezone)) {
      const prompt = `Thanks for calling ${tenant.name}. We are closed right now. Please leave a message after the tone, and we will call you back ${tenant.expectedResponseTime}.`;
      return twiml(voicemailTwiml(prompt, `${hook}/voicemail`));
    }
    return twiml(answerCallTwiml(settings.greeting, mediaStreamUrl(base, TWILIO_VOICE_CONNECTOR_ID, account.id), { from: p.From ?? '', to: p.To ?? '' }));
  }

  /**
   * A finished call recording (only made when the tenant turned recordings on): our copy in object
   * storage as a file of the call's conversation (staff play it, GDPR exports and erases it), and
   * what it is on the conversation.
   */
  private async keepRecording(tenantId: string, settings: TwilioVoiceSettings, p: Record<string, string>): Promise<void> {
    const rows: { id: string }[] = await this.db.query(`SELECT id FROM conversations WHERE tenant_id = $1 AND connector_id = $3 AND external_thread_id = $2`, [
      tenantId,
      p.CallSid,
      TWILIO_VOICE_CONNECTOR_ID,
    ]);
    const conversationId = rows[0]?.id ?? null;
    const wav = p.RecordingUrl ? await fetchRecordingWav(p.RecordingUrl, settings, this.apiBaseUrl) : null;
    const stored = wav
      ? await this.files.save({ id: derivedAttachmentId('twilio-recording', p.RecordingSid ?? p.CallSid), tenantId, name: `call ${p.CallSid}.wav`, mimeType: 'audio/wav', content: wav, conversationId })
      : null;
    const recording = { sid: p.RecordingSid, url: p.RecordingUrl, durationS: Number(p.RecordingDuration ?? 0), channels: Number(p.RecordingChannels ?? 1), ...(stored ? { attachmentId: stored.id } : {}) };
    if (!conversationId) return;
    await this.db.query(`UPDATE conversations SET channel_data = channel_data || jsonb_build_object('recording', $2::jsonb), updated_at = now() WHERE id = $1`, [
      conversationId,
      JSON.stringify(recording),
    ]);
  }

  private async tenantInfo(tenantId: string): Promise<{ name: string; expectedResponseTime: string; businessHours?: BusinessHours; timezone?: string }> {
    const rows: { name: string; settings: TenantSettings | null }[] = await this.db.query('SELECT name, settings FROM tenants WHERE id = $1', [tenantId]);
    const settings = rows[0]?.settings ?? {};
    return {
      name: rows[0]?.name ?? 'us',
      expectedResponseTime: typeof settings.expectedResponseTime === 'string' ? settings.expectedResponseTime : 'as soon as we can',
      businessHours: settings.businessHours as BusinessHours | undefined,
      timezone: settings.timezone,
    };
  }

  /** Speaks the answer into the call's Media Stream: μ-law frames, then a mark named after the message. */
  async send(message: OutboundMessage, account: ChannelAccountRef): Promise<SendResult> {
    const settings = this.settingsOf(account);
    const { streamId, streamSid, callSid, transcribedAt, speechEndedAt, sttMs } = message.channelData as Record<string, unknown>;
    if (typeof streamId !== 'string' || typeof streamSid !== 'string') {
      throw new ConnectorError('NOT_SUPPORTED', 'this call has no live audio stream to speak into');
    }
    const text = speakableAnswer(message.parts);
    if (!text) throw new ConnectorError('NOT_SUPPORTED', 'nothing in this message can be spoken');
    const ttsStarted = Date.now();
    let firstAudioAt = 0;
    for await (const frame of framesOf(this.tts(settings.ttsVoice), text)) {
      firstAudioAt ||= Date.now();
      this.streams.send(streamId, { event: 'media', streamSid, media: { payload: frame.toString('base64') } });
    }
    this.streams.send(streamId, { event: 'mark', streamSid, mark: { name: message.messageId } });
    const link = message.parts.find((p) => p.type === 'source' && p.url);
    if (link?.type === 'source' && link.url) this.bus.emit(BusSubjects.streamOffer(TWILIO_VOICE_CONNECTOR_ID, streamId), { url: link.url });
    await this.recordTimings(message.messageId, {
      speechEndedAt: num(speechEndedAt),
      sttMs: num(sttMs),
      transcribedAt: num(transcribedAt),
      ttsStartedAt: ttsStarted,
      firstAudioAt: firstAudioAt,
    });
    return { externalMessageId: `${String(callSid)}/${message.messageId}` };
  }

  async testConnection(account: ChannelAccountRef): Promise<{ ok: boolean; detail?: string }> {
    return testTwilioAccount(this.clients, this.settingsOf(account));
  }

  /**
   * Per turn, on the answer's trace: end of speech → transcript (STT) → answer (agent, bus
   * included) → first audio byte back (TTS), for the console and the voice benchmark.
   */
  private async recordTimings(messageId: string, t: { speechEndedAt?: number; sttMs?: number; transcribedAt?: number; ttsStartedAt: number; firstAudioAt: number }): Promise<void> {
    const voice = {
      sttMs: t.sttMs,
      agentMs: t.transcribedAt !== undefined ? t.ttsStartedAt - t.transcribedAt : undefined,
      ttsMs: t.firstAudioAt - t.ttsStartedAt,
      endOfSpeechToFirstAudioMs: t.speechEndedAt !== undefined ? t.firstAudioAt - t.speechEndedAt : undefined,
    };
    this.logger.debug(`answer ${messageId} timings ${JSON.stringify(voice)}`);
    // Best effort: the answer is already playing, and a failed write must not have it spoken twice.
    await this.db
      .query(`UPDATE messages SET trace = COALESCE(trace, '{}'::jsonb) || jsonb_build_object('voice', $2::jsonb) WHERE id = $1`, [messageId, JSON.stringify(voice)])
      .catch((err: Error) => this.logger.warn(`recording the timings of ${messageId}: ${err.message}`));
  }

  private settingsOf(account: ChannelAccountRef): TwilioVoiceSettings {
    return twilioSettingsOf(this.definition.settings, account, 'Twilio voice');
  }
}

function num(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

/** 20 ms frames of the spoken text, as soon as the provider has them (streamed when it streams). */
async function* framesOf(tts: TextToSpeech, text: string): AsyncIterable<Buffer> {
  if (!tts.stream) {
    yield* toFrames(await tts.synthesize(text));
    return;
  }
  let pending = Buffer.alloc(0);
  for await (const chunk of tts.stream(text)) {
    pending = Buffer.concat([pending, chunk]);
    const whole = pending.length - (pending.length % FRAME_BYTES);
    if (whole > 0) yield* toFrames(pending.subarray(0, whole));
    pending = pending.subarray(whole);
  }
  if (pending.length) yield* toFrames(pending);
}
