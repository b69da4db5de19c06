import { Logger } from '@nestjs/common';
import type { DataSource } from 'typeorm';
import { InboundPublisher } from '../../registry/inbound-publisher.service';
import { SmsOptOuts } from '../twilio/sms-opt-outs.store';
import { TwilioClients, callTwilio, rebase } from '../twilio/twilio-rest';
import { LanguageModelStore } from './speech/language-model.store';
import type { SpeechToText } from './speech/speech.types';
import { TWILIO_VOICE_CONNECTOR_ID, TwilioVoiceSettings } from './twilio-voice.definition';
import { derivedAttachmentId, type AttachmentStore } from '@cs/storage';

export interface TenantVoiceInfo {
  name: string;
  expectedResponseTime: string;
}

/** The PCM samples of a 16-bit mono WAV file (Twilio's recordings are 8 kHz, 16-bit, mono). */
export function wavSamples(wav: Buffer): Int16Array {
  let offset = 12;
  while (offset + 8 <= wav.length) {
    const id = wav.toString('ascii', offset, offset + 4);
    const size = wav.readUInt32LE(offset + 4);
    if (id === 'data') {
      const data = wav.subarray(offset + 8, Math.min(wav.length, offset + 8 + size));
      return new Int16Array(data.buffer.slice(data.byteOffset, data.byteOffset + (data.length & ~1)));
    }
    offset += 8 + size + (size & 1);
  }
  return new Int16Array(0);
}

/**
 * A Twilio recording as WAV, fetched with the account's credentials (recording URLs need them when
 * "HTTP Basic auth for media" is on); throws on a refusal so that Twilio's callback is retried.
 */
export async function fetchRecordingWav(recordingUrl: string, creds: { accountSid: string; authToken: string }, apiBaseUrl: string | undefined): Promise<Buffer> {
  const auth = Buffer.from(`${creds.accountSid}:${creds.authToken}`).toString('base64');
  const wavUrl = `${recordingUrl}.wav`;
  const res = await fetch(apiBaseUrl ? rebase(wavUrl, apiBaseUrl) : wavUrl, { headers: { authorization: `Basic ${auth}` }, signal: AbortSignal.timeout(15_000) });
  if (!res.ok) throw new Error(`fetching the recording answered ${res.status}`);
  return Buffer.from(await res.arrayBuffer());
}

/**
 * A voicemail left outside business hours: the recording is fetched with the account's
 * credentials, kept in object storage, transcribed, and becomes a message of a conversation for a
 * person (the recording its audio part); the caller gets a text saying when someone will call back.
 */
export class Voicemails {
  private readonly logger = new Logger('TwilioVoicemail');
  private readonly models: LanguageModelStore;
  private readonly smsOptOuts: SmsOptOuts;

  constructor(
    dataSource: DataSource,
    private readonly publisher: InboundPublisher,
    private readonly clients: TwilioClients,
    private readonly stt: SpeechToText,
    private readonly apiBaseUrl: string | undefined,
    private readonly files: AttachmentStore,
  ) {
    this.models = new LanguageModelStore(dataSource);
    this.smsOptOuts = new SmsOptOuts(dataSource);
  }

  async process(account: { id: string; tenantId: string }, settings: TwilioVoiceSettings, tenant: TenantVoiceInfo, p: Record<string, string>): Promise<void> {
    const { CallSid: callSid, From: from, To: to, RecordingUrl: recordingUrl } = p;
    if (!callSid || !recordingUrl) return;
    const wav = await fetchRecordingWav(recordingUrl, settings, this.apiBaseUrl);
    const recording = await this.files.save({ id: derivedAttachmentId('twilio-voicemail', callSid), tenantId: account.tenantId, name: `voicemail ${from || callSid}.wav`, mimeType: 'audio/wav', content: wav });
    const samples = wavSamples(wav);
    const transcript = samples.length ? await this.stt.transcribe(samples, { languageModel: (await this.models.forTenant(account.tenantId)) ?? undefined }) : '';

    await this.publisher.publishInbound(account.tenantId, {
      connectorId: TWILIO_VOICE_CONNECTOR_ID,
      channel: 'voice',
      channelAccountId: account.id,
      externalMessageId: `${callSid}:voicemail`,
      externalThreadId: callSid,
      sender: { externalUserId: from || callSid, ...(from ? { address: from } : {}) },
      ...(to ? { recipient: to } : {}),
      receivedAt: new Date().toISOString(),
      parts: [{ type: 'text', text: transcript || '(voicemail without words we could make out)' }, { type: 'audio', attachmentId: recording.id, mimeType: recording.mimeType }],
      // For the agent: a voicemail is for a person to return, not for the bot to answer.
      channelData: { callSid, voicemail: true, needsPerson: true, recordingSid: p.RecordingSid, recordingDurationS: Number(p.RecordingDuration ?? 0) },
    });

    if (from && to && !(await this.smsOptOuts.isOptedOut(account.tenantId, from))) {
      const body = `Thanks for your voicemail to ${tenant.name}. Someone from our team will call you back ${tenant.expectedResponseTime}.`;
      await callTwilio('texting the voicemail confirmation', () => this.clients.for(settings).messages.create({ to: from, from: to, body }));
    }
    this.logger.log(`voicemail of call ${callSid} stored (${Number(p.RecordingDuration ?? 0)} s)`);
  }
}
