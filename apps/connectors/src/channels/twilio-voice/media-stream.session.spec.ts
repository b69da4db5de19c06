import { encodeMulaw } from './audio/mulaw';
import { MediaStreamSession, SessionHooks } from './media-stream.session';
import type { OutboundFrame } from './media-stream.protocol';
import type { SpeechToText } from './speech/speech.types';

/** A recognizer that "hears" the scripted sentences in turn (the real ones are tested against audio). */
class ScriptedStt implements SpeechToText {
  readonly name = 'scripted';
  constructor(private readonly heard: string[]) {}
  async transcribe(): Promise<string> {
    return this.heard.shift() ?? '';
  }
}

let phase = 0;
const tone = (ms: number) => encodeMulaw(Int16Array.from({ length: ms * 8 }, () => Math.round(8000 * Math.sin((2 * Math.PI * 200 * phase++) / 8000))));
const quiet = (ms: number) => Buffer.alloc(ms * 8, 0xff);

function setup(heard: string[]) {
  const sent: OutboundFrame[] = [];
  const utterances: string[] = [];
  const transfers: string[] = [];
  const texted: string[] = [];
  const hooks: SessionHooks = {
    send: (frame) => void sent.push(frame),
    utterance: async (_call, _turn, transcript, _timings, transferred) => void utterances.push(transferred ? `${transcript} [transferred]` : transcript),
    transfer: async (_call, reason) => void transfers.push(reason),
    textLink: async (_call, url) => void texted.push(url),
    languageModel: async () => null,
    started: async () => undefined,
    log: () => undefined,
  };
  const session = new MediaStreamSession(hooks, new ScriptedStt(heard), { endOfSpeechMs: 400 });
  session.onInbound({ event: 'start', streamSid: 'MZ1', start: { streamSid: 'MZ1', callSid: 'CA1', customParameters: { from: '+14155550100', to: '+14155550199' } } });
  const speak = (audio: Buffer) => {
    for (let i = 0; i < audio.length; i += 160) session.onInbound({ event: 'media', streamSid: 'MZ1', media: { track: 'inbound', payload: audio.subarray(i, i + 160).toString('base64') } });
  };
  return { session, sent, utterances, transfers, texted, speak };
}

describe('a Media Stream session', () => {
  it('turns each spoken sentence into one utterance for the agent', async () => {
    const { session, utterances, speak } = setup(['how long does delivery take', 'thanks']);
    speak(Buffer.concat([quiet(300), tone(800), quiet(600), tone(500), quiet(600)]));
    await session.idle();
    expect(utterances).toEqual(['how long does delivery take', 'thanks']);
  });

  it('clears our playback when the caller starts speaking over it, and only then', async () => {
    const { session, sent, speak } = setup(['wait']);
    speak(quiet(300));
    session.onOutbound({ event: 'mark', streamSid: 'MZ1', mark: { name: 'answer-1' } });
    session.onInbound({ event: 'mark', streamSid: 'MZ1', mark: { name: 'answer-1' } });
    speak(tone(200));
    expect(sent).toEqual([]);

    session.onOutbound({ event: 'mark', streamSid: 'MZ1', mark: { name: 'answer-2' } });
    speak(Buffer.concat([quiet(500), tone(300)]));
    expect(sent).toEqual([{ event: 'clear', streamSid: 'MZ1' }]);
    expect(session.isPlaying).toBe(false);
    await session.idle();
  });

  it('transfers on 0 and when the caller asks for a person, keeping both in the transcript as already transferred', async () => {
    const { session, transfers, utterances, speak } = setup(['can i speak to a person please']);
    session.onInbound({ event: 'dtmf', streamSid: 'MZ1', dtmf: { digit: '5' } });
    session.onInbound({ event: 'dtmf', streamSid: 'MZ1', dtmf: { digit: '0' } });
    speak(Buffer.concat([quiet(300), tone(600), quiet(600)]));
    await session.idle();
    expect(transfers).toEqual(['dtmf', 'asked']);
    expect(utterances).toEqual(['(pressed 0 to speak to a person) [transferred]', 'can i speak to a person please [transferred]']);
  });

  it('texts the offered link on a yes, and passes anything else on to the agent', async () => {
    const { session, texted, utterances, speak } = setup(['yes please', 'yes please']);
    session.offerLink('https://shop.example/kb/delivery');
    speak(Buffer.concat([quiet(300), tone(500), quiet(600)]));
    speak(Buffer.concat([tone(500), quiet(600)]));
    await session.idle();
    expect(texted).toEqual(['https://shop.example/kb/delivery']);
    // The offer was used up: a second yes is an ordinary turn.
    expect(utterances).toEqual(['yes please']);
  });
});
