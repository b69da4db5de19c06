import { waitFor } from '@cs/testing';
import { BusSubjects, MESSAGE_TYPES, makeEnvelope, newId, type ConversationEvent } from '@cs/contracts';
import { BUS, type Bus } from '@cs/messaging';
import { decodeMulaw } from '../../../apps/connectors/src/channels/twilio-voice/audio/mulaw';
import { LanguageModelStore } from '../../../apps/connectors/src/channels/twilio-voice/speech/language-model.store';
import { PocketsphinxStt } from '../../../apps/connectors/src/channels/twilio-voice/speech/pocketsphinx.stt';
import { callerSays, silence, voicemailWav } from '../../fakes/twilio/caller-voice';
import { FakeCall } from '../../fakes/twilio/fake-media-stream';
import { sid } from '../../fakes/twilio/fake-twilio';
import { PUBLIC_URL, SHOP_NUMBER, TEAM_NUMBER, TwilioTestStack, staffOf, startTwilioStack } from './twilio-test-app';
import { AttachmentStore, type ObjectStorage } from '@cs/storage';
import { OBJECT_STORAGE } from '@cs/config';

/** Speech runs real programs (pocketsphinx, flite, sox) on two shared cores: give each step room. */
const SLOW_MS = 40_000;

describe('calling the shop through Twilio', () => {
  let stack: TwilioTestStack;
  const calls: FakeCall[] = [];

  beforeAll(async () => {
    stack = await startTwilioStack('twiliovoice');
  }, 120_000);

  afterAll(async () => {
    await Promise.all(calls.map((c) => c.hangUp()));
    await stack?.close();
  });

  async function dial(from: string): Promise<FakeCall> {
    const call = await FakeCall.dial({
      url: `${PUBLIC_URL.replace(/^https/, 'wss')}/hooks/twilio-voice/${stack.voiceAccountId}/media`,
      route: stack.route,
      accountSid: stack.accountSid,
      authToken: stack.authToken,
      from,
      to: SHOP_NUMBER,
    });
    calls.push(call);
    return call;
  }

  /** What pocketsphinx hears in audio, with the shop's language model (as a listener who knows the shop). */
  async function transcribe(mulaw: Buffer): Promise<string> {
    const { loadArticles } = await import('@cs/knowledge');
    const models = new LanguageModelStore(stack.dataSource);
    const lm = await models.build(loadArticles().map((a) => a.body));
    return new PocketsphinxStt().transcribe(decodeMulaw(mulaw), { languageModel: lm });
  }

  it('answers an incoming call with the greeting and a Media Stream to our WebSocket', async () => {
    const callSid = sid('CA');
    const response = await stack.fake.postSigned(stack.voiceWebhookUrl, {
      CallSid: callSid,
      AccountSid: stack.accountSid,
      From: '+14155550111',
      To: SHOP_NUMBER,
      CallStatus: 'ringing',
      Direction: 'inbound',
      ApiVersion: '2010-04-01',
    });

    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/xml/);
    expect(await response.text()).toBe(
      '<?xml version="1.0" encoding="UTF-8"?><Response><Say>Hello, Demo Shop here.</Say><Connect>' +
        `<Stream url="wss://support.example.test/hooks/twilio-voice/${stack.voiceAccountId}/media">` +
        `<Parameter name="from" value="+14155550111"/><Parameter name="to" value="${SHOP_NUMBER}"/></Stream></Connect></Response>`,
    );
  });

  it('refuses a call webhook that Twilio did not sign', async () => {
    const response = await stack.fake.postSigned(stack.voiceWebhookUrl, { CallSid: sid('CA'), From: '+1', To: SHOP_NUMBER }, { signature: 'Zm9yZ2Vk' });
    expect(response.status).toBe(403);
  });

  it('hears a spoken question and speaks the answer back, which a listener understands', async () => {
    const call = await dial('+14155550112');

    call.say(Buffer.concat([silence(400), callerSays('how long does delivery take'), silence(1000)]));

    const mark = await waitFor(() => call.marksPlayed[0], { what: 'the spoken answer to finish playing', timeoutMs: SLOW_MS });
    const heard = call.heardAudio();
    expect(heard.length / 8000).toBeGreaterThan(2);
    const understood = await transcribe(heard);
    expect(understood).toMatch(/deliver/);
    expect(understood).toMatch(/working days|days/);
    // Every call is a conversation: the caller's words and the answer, on the voice channel.
    const rows: { direction: string; text: string; channel: string }[] = await stack.dataSource.query(
      `SELECT m.direction, m.text, c.channel FROM messages m JOIN conversations c ON c.id = m.conversation_id
        WHERE c.external_thread_id = $1 ORDER BY m.id`,
      [call.callSid],
    );
    expect(rows.map((r) => [r.direction, r.channel])).toEqual([
      ['in', 'voice'],
      ['out', 'voice'],
    ]);
    expect(rows[0].text).toMatch(/delivery/);
    // The answer's trace keeps the turn's timings: end of speech → transcript → answer → first audio byte.
    const [answer] = await stack.dataSource.query(
      `SELECT id, trace FROM messages WHERE conversation_id = (SELECT id FROM conversations WHERE external_thread_id = $1) AND direction = 'out'`,
      [call.callSid],
    );
    expect(mark).toBe(answer.id);
    expect(answer.trace.voice).toEqual({
      sttMs: expect.any(Number),
      agentMs: expect.any(Number),
      ttsMs: expect.any(Number),
      endOfSpeechToFirstAudioMs: expect.any(Number),
    });
    expect(answer.trace.voice.endOfSpeechToFirstAudioMs).toBeGreaterThanOrEqual(answer.trace.voice.sttMs + answer.trace.voice.ttsMs);

    // The answer offered to text the article link: "yes please" sends it from the shop's number.
    call.say(Buffer.concat([callerSays('yes please'), silence(1000)]));
    const texted = await waitFor(() => stack.fake.messagesTo('+14155550112')[0], { what: 'the link by text', timeoutMs: SLOW_MS });
    expect(texted.from).toBe(SHOP_NUMBER);
    expect(texted.body).toContain(`${PUBLIC_URL}/kb/`);
  }, 3 * SLOW_MS);

  it('stops talking when the caller speaks over the answer', async () => {
    const call = await dial('+14155550113');
    call.say(Buffer.concat([silence(400), callerSays('how long does delivery take'), silence(1000)]));
    await waitFor(() => call.playing, { what: 'the answer to start playing', timeoutMs: SLOW_MS });

    call.say(Buffer.concat([callerSays('where is my order'), silence(200)]));

    await waitFor(() => call.clears > 0, { what: 'a clear message', timeoutMs: SLOW_MS });
    expect(call.received.some((f) => f.event === 'clear')).toBe(true);
    expect(call.playing).toBe(false);
  }, 3 * SLOW_MS);

  it('transfers the call to the team when the caller presses 0, once, with the request on the conversation', async () => {
    const call = await dial('+14155550114');

    call.press('0');

    const update = await waitFor(() => stack.fake.callUpdates.find((u) => u.callSid === call.callSid), { what: 'the call update' });
    expect(update.params.Twiml).toContain(`<Dial callerId="${SHOP_NUMBER}">${TEAM_NUMBER}</Dial>`);
    const conversation = await waitFor(
      async () => (await stack.dataSource.query(`SELECT id, status FROM conversations WHERE external_thread_id = $1`, [call.callSid]))[0],
      { what: 'the conversation of the call', timeoutMs: SLOW_MS },
    );
    const [inbound] = await stack.dataSource.query(`SELECT text FROM messages WHERE conversation_id = $1 AND direction = 'in'`, [conversation.id]);
    expect(inbound.text).toBe('(pressed 0 to speak to a person)');
    // The agent hands the conversation to a person, and does not transfer the call a second time.
    await waitFor(async () => (await stack.dataSource.query(`SELECT status FROM conversations WHERE id = $1`, [conversation.id]))[0].status === 'waiting', {
      what: 'the conversation waiting for a person',
      timeoutMs: SLOW_MS,
    });
    await new Promise((r) => setTimeout(r, 1000));
    expect(stack.fake.callUpdates.filter((u) => u.callSid === call.callSid)).toHaveLength(1);
  }, 3 * SLOW_MS);

  it('transfers the call when the agent hands the conversation to a person', async () => {
    const call = await dial('+14155550116');
    const contactId = newId();
    const conversationId = newId();
    await stack.dataSource.query('INSERT INTO contacts (id, tenant_id) VALUES ($1, $2)', [contactId, stack.tenantId]);
    await stack.dataSource.query(
      `INSERT INTO conversations (id, tenant_id, contact_id, channel, connector_id, channel_account_id, external_thread_id, status)
       VALUES ($1, $2, $3, 'voice', 'twilio-voice', $4, $5, 'waiting')`,
      [conversationId, stack.tenantId, contactId, stack.voiceAccountId, call.callSid],
    );

    // What the agent publishes when it is not sure (apps/agent ReplyPublisher).
    const event: ConversationEvent = { conversationId, channel: 'voice', externalThreadId: call.callSid, status: 'waiting', messageId: newId(), detail: { reason: 'low_confidence' } };
    await stack.app.get<Bus>(BUS).publish(BusSubjects.convEvent('handoff', stack.tenantId), makeEnvelope(MESSAGE_TYPES.conversation, stack.tenantId, event, { conversationId }));

    const update = await waitFor(() => stack.fake.callUpdates.find((u) => u.callSid === call.callSid), { what: 'the transfer' });
    expect(update.params.Twiml).toContain(`${TEAM_NUMBER}</Dial>`);
  });

  it('takes a voicemail outside business hours, transcribes it for a person, and texts the caller when to expect a call', async () => {
    // A shop that is closed right now (no opening interval on any day).
    const tenantId = newId();
    const accountId = newId();
    const closed = { timezone: 'UTC', businessHours: { mon: [] }, expectedResponseTime: 'tomorrow morning' };
    await stack.dataSource.query('INSERT INTO tenants (id, name, slug, settings) VALUES ($1, $2, $3, $4)', [tenantId, 'Night Shop', `night-${tenantId}`, JSON.stringify(closed)]);
    await stack.dataSource.query(
      `INSERT INTO channel_accounts (id, tenant_id, connector_id, name, settings, secrets_encrypted) VALUES ($1, $2, 'twilio-voice', 'Night line', $3, $4)`,
      [accountId, tenantId, JSON.stringify({ accountSid: stack.accountSid, phoneNumbers: [SHOP_NUMBER] }), stack.seal({ authToken: stack.authToken })],
    );
    const hook = `${PUBLIC_URL}/hooks/twilio-voice/${accountId}`;
    const caller = '+14155550117';
    const callSid = sid('CA');

    const answered = await stack.fake.postSigned(hook, { CallSid: callSid, AccountSid: stack.accountSid, From: caller, To: SHOP_NUMBER, CallStatus: 'ringing', Direction: 'inbound' });
    const twiml = await answered.text();
    expect(twiml).toContain('We are closed right now');
    expect(twiml).toContain('call you back tomorrow morning');
    expect(twiml).toContain(`<Record action="${hook}/voicemail" method="POST" maxLength="120" playBeep="true" finishOnKey="#"/>`);

    const wav = voicemailWav('where is my order');
    const { recordingSid, recordingUrl } = stack.fake.addRecording(wav);
    const recorded = await stack.fake.postSigned(`${hook}/voicemail`, {
      CallSid: callSid,
      AccountSid: stack.accountSid,
      From: caller,
      To: SHOP_NUMBER,
      RecordingUrl: recordingUrl,
      RecordingSid: recordingSid,
      RecordingDuration: '3',
      Digits: 'hangup',
    });
    expect(await recorded.text()).toContain('<Hangup/>');

    const [message] = await waitFor(
      async () => {
        const rows = await stack.dataSource.query(
          `SELECT m.id, m.text, m.parts, m.channel_data FROM messages m JOIN conversations c ON c.id = m.conversation_id WHERE c.external_thread_id = $1 AND m.direction = 'in'`,
          [callSid],
        );
        return rows.length > 0 && rows;
      },
      { what: 'the voicemail message', timeoutMs: SLOW_MS },
    );
    expect(message.text).toMatch(/order/);
    expect(message.channel_data).toMatchObject({ voicemail: true, recordingSid });
    // The recording itself is ours, in object storage, tied to the message: staff play it from there.
    const audio = message.parts.find((p: { type: string }) => p.type === 'audio');
    expect(audio).toEqual({ type: 'audio', attachmentId: expect.any(String), mimeType: 'audio/wav' });
    const files = stack.app.get(AttachmentStore);
    const [recording] = await waitFor(async () => {
      const views = await files.forMessages(tenantId, [message.id]);
      return views.length > 0 && views;
    }, { what: 'the recording tied to the voicemail', timeoutMs: SLOW_MS });
    expect(recording).toMatchObject({ id: audio.attachmentId, mimeType: 'audio/wav', size: wav.length });
    expect(await files.content(tenantId, audio.attachmentId)).toEqual(wav);
    const [text] = await waitFor(() => stack.fake.messagesTo(caller).length > 0 && stack.fake.messagesTo(caller), { what: 'the text to the caller', timeoutMs: SLOW_MS });
    expect(text).toMatchObject({ from: SHOP_NUMBER, body: 'Thanks for your voicemail to Night Shop. Someone from our team will call you back tomorrow morning.' });
    // The voicemail waits for a person, with a summary; the bot does not answer it.
    const conversation = await waitFor(async () => {
      const [row] = await stack.dataSource.query(`SELECT c.id, c.status, c.summary FROM conversations c WHERE c.external_thread_id = $1`, [callSid]);
      return row?.status === 'waiting' && row;
    }, { what: 'the conversation waiting for a person', timeoutMs: SLOW_MS });
    expect(conversation.summary).toMatch(/order/);
    const [{ bot }] = await stack.dataSource.query(`SELECT count(*)::int AS bot FROM messages WHERE conversation_id = $1 AND author_kind = 'bot'`, [conversation.id]);
    expect(bot).toBe(0);
  }, 3 * SLOW_MS);

  it('records a call only when the tenant turned recordings on, and keeps the recording on the conversation', async () => {
    const tenantId = newId();
    const accountId = newId();
    await stack.dataSource.query('INSERT INTO tenants (id, name, slug) VALUES ($1, $2, $3)', [tenantId, 'Recording Shop', `rec-${tenantId}`]);
    await stack.dataSource.query(
      `INSERT INTO channel_accounts (id, tenant_id, connector_id, name, settings, secrets_encrypted) VALUES ($1, $2, 'twilio-voice', 'Recorded line', $3, $4)`,
      [accountId, tenantId, JSON.stringify({ accountSid: stack.accountSid, phoneNumbers: [SHOP_NUMBER], transferNumber: TEAM_NUMBER, recordCalls: true }), stack.seal({ authToken: stack.authToken })],
    );
    const unrecorded = await dial('+14155550118');
    const recorded = await FakeCall.dial({
      url: `${PUBLIC_URL.replace(/^https/, 'wss')}/hooks/twilio-voice/${accountId}/media`,
      route: stack.route,
      accountSid: stack.accountSid,
      authToken: stack.authToken,
      from: '+14155550119',
      to: SHOP_NUMBER,
    });
    calls.push(recorded);

    const started = await waitFor(() => stack.fake.recordingsStarted.find((r) => r.callSid === recorded.callSid), { what: 'the recording to start' });
    expect(started.params).toMatchObject({
      RecordingChannels: 'dual',
      RecordingStatusCallback: `${PUBLIC_URL}/hooks/twilio-voice/${accountId}/recording`,
      RecordingStatusCallbackEvent: 'completed',
    });
    recorded.press('0');
    const conversation = await waitFor(
      async () => (await stack.dataSource.query(`SELECT id FROM conversations WHERE external_thread_id = $1`, [recorded.callSid]))[0],
      { what: 'the conversation of the recorded call', timeoutMs: SLOW_MS },
    );
    const callWav = voicemailWav('hello');
    const { recordingSid, recordingUrl } = stack.fake.addRecording(callWav);
    const callback = await stack.fake.postSigned(started.params.RecordingStatusCallback, {
      AccountSid: stack.accountSid,
      CallSid: recorded.callSid,
      RecordingSid: recordingSid,
      RecordingUrl: recordingUrl,
      RecordingStatus: 'completed',
      RecordingDuration: '12',
      RecordingChannels: '2',
      RecordingSource: 'StartCallRecordingAPI',
    });

    expect(callback.status).toBe(200);
    const [{ channel_data }] = await stack.dataSource.query('SELECT channel_data FROM conversations WHERE id = $1', [conversation.id]);
    expect(channel_data.recording).toEqual({ sid: recordingSid, url: recordingUrl, durationS: 12, channels: 2, attachmentId: expect.any(String) });
    // Our copy in object storage, a file of the conversation: staff play it, the GDPR export has it, erasure deletes it.
    const files = stack.app.get(AttachmentStore);
    expect(await files.content(tenantId, channel_data.recording.attachmentId)).toEqual(callWav);
    const staff = await staffOf({ ...stack, tenantId });
    const detail = await staff('GET', `/api/v1/conversations/${conversation.id}`);
    expect((detail.body as { files: unknown[] }).files).toEqual([expect.objectContaining({ id: channel_data.recording.attachmentId, mimeType: 'audio/wav', size: callWav.length })]);
    const [{ contact_id: contactId }] = await stack.dataSource.query('SELECT contact_id FROM conversations WHERE id = $1', [conversation.id]);
    const exported = await staff('GET', `/api/v1/contacts/${contactId}/export`);
    expect((exported.body as { attachments: { contentBase64: string }[] }).attachments.map((a) => Buffer.from(a.contentBase64, 'base64'))).toEqual([callWav]);
    expect((await staff('DELETE', `/api/v1/contacts/${contactId}`)).status).toBe(204);
    expect(await files.content(tenantId, channel_data.recording.attachmentId)).toBeNull();
    expect(await stack.app.get<ObjectStorage>(OBJECT_STORAGE).get(`tenants/${tenantId}/attachments/${channel_data.recording.attachmentId}`)).toBeNull();
    expect(stack.fake.recordingsStarted.filter((r) => r.callSid === unrecorded.callSid)).toEqual([]);
  }, 3 * SLOW_MS);

  it('refuses a Media Stream that Twilio did not sign', async () => {
    await expect(
      FakeCall.dial({
        url: `${PUBLIC_URL.replace(/^https/, 'wss')}/hooks/twilio-voice/${stack.voiceAccountId}/media`,
        route: stack.route,
        accountSid: stack.accountSid,
        authToken: 'not-the-token-0123456789abcdef',
        from: '+14155550115',
        to: SHOP_NUMBER,
      }),
    ).rejects.toThrow(/403/);
  });
});
