import { waitFor } from '@cs/testing';
import { ElevenLabsTts } from '../../../apps/connectors/src/channels/twilio-voice/speech/elevenlabs.tts';
import { WhisperStt } from '../../../apps/connectors/src/channels/twilio-voice/speech/whisper.stt';
import { callerSays, silence } from '../../fakes/twilio/caller-voice';
import { FakeCall } from '../../fakes/twilio/fake-media-stream';
import { FakeSpeechApis } from '../../fakes/twilio/fake-speech-apis';
import { PUBLIC_URL, SHOP_NUMBER, TwilioTestStack, startTwilioStack } from './twilio-test-app';

describe('a phone call with the cloud speech providers (Whisper, ElevenLabs), against fakes of their APIs', () => {
  let apis: FakeSpeechApis;
  let stack: TwilioTestStack;

  beforeAll(async () => {
    apis = await FakeSpeechApis.start();
    stack = await startTwilioStack('twiliocloud', {
      OPENAI_API_KEY: 'sk-test-whisper',
      OPENAI_BASE_URL: `${apis.url}/v1`,
      ELEVENLABS_API_KEY: 'el-test-key',
      ELEVENLABS_BASE_URL: apis.url,
      ELEVENLABS_VOICE_ID: 'voice-rachel',
    });
  }, 120_000);

  afterAll(async () => {
    await stack?.close();
    await apis?.close();
  });

  it('sends an utterance to Whisper as a WAV file through the openai SDK', async () => {
    const stt = new WhisperStt({ apiKey: 'sk-unit', baseURL: `${apis.url}/v1` });
    const pcm = Int16Array.from({ length: 8000 }, (_, i) => Math.round(3000 * Math.sin(i / 5)));

    expect(await stt.transcribe(pcm)).toBe('how long does delivery take');

    const call = apis.whisperCalls.at(-1)!;
    expect(call).toMatchObject({ authorization: 'Bearer sk-unit', model: 'whisper-1', language: 'en', fileName: 'utterance.wav' });
    expect(call.file.subarray(0, 4).toString()).toBe('RIFF');
    expect(call.file.readUInt32LE(24)).toBe(8000);
    expect(call.file.length).toBe(44 + 2 * 8000);
  });

  it('streams μ-law 8 kHz from ElevenLabs, chunk by chunk', async () => {
    const tts = new ElevenLabsTts({ apiKey: 'el-unit', baseUrl: apis.url, voiceId: 'voice-1' });
    apis.speech = Buffer.alloc(960, 0x55);

    const chunks: Buffer[] = [];
    for await (const chunk of tts.stream('Delivery takes two days.')) chunks.push(chunk);

    expect(chunks.length).toBeGreaterThan(1);
    expect(Buffer.concat(chunks)).toEqual(apis.speech);
    expect(apis.elevenLabsCalls.at(-1)).toEqual({
      apiKey: 'el-unit',
      voiceId: 'voice-1',
      outputFormat: 'ulaw_8000',
      text: 'Delivery takes two days.',
      modelId: 'eleven_flash_v2_5',
    });
  });

  it('answers a caller with Whisper and ElevenLabs when their keys are set', async () => {
    apis.transcripts = ['How long does delivery take?'];
    apis.speech = Buffer.alloc(1600, 0x42);
    const call = await FakeCall.dial({
      url: `${PUBLIC_URL.replace(/^https/, 'wss')}/hooks/twilio-voice/${stack.voiceAccountId}/media`,
      route: stack.route,
      accountSid: stack.accountSid,
      authToken: stack.authToken,
      from: '+14155550121',
      to: SHOP_NUMBER,
    });
    const before = apis.whisperCalls.length;

    call.say(Buffer.concat([silence(300), callerSays('how long does delivery take'), silence(900)]));

    await waitFor(() => call.marksPlayed.length > 0, { what: 'the spoken answer', timeoutMs: 40_000 });
    expect(apis.whisperCalls.length).toBe(before + 1);
    const spoken = apis.elevenLabsCalls.at(-1)!;
    expect(spoken).toMatchObject({ apiKey: 'el-test-key', voiceId: 'voice-rachel', outputFormat: 'ulaw_8000' });
    expect(spoken.text).toMatch(/working days/i);
    expect(spoken.text).not.toMatch(/https?:/);
    expect(call.heardAudio()).toEqual(apis.speech);
    await call.hangUp();
  }, 90_000);
});
