import { DataSource } from 'typeorm';
import { loadArticles } from '@cs/knowledge';
import { decodeMulaw } from '../../../apps/connectors/src/channels/twilio-voice/audio/mulaw';
import { LanguageModelStore } from '../../../apps/connectors/src/channels/twilio-voice/speech/language-model.store';
import { OfflineTts } from '../../../apps/connectors/src/channels/twilio-voice/speech/offline.tts';
import { PocketsphinxStt } from '../../../apps/connectors/src/channels/twilio-voice/speech/pocketsphinx.stt';
import { callerSays } from '../../fakes/twilio/caller-voice';

describe('offline speech on a phone line (pocketsphinx, flite, sox)', () => {
  const stt = new PocketsphinxStt();
  const models = new LanguageModelStore(null as unknown as DataSource);
  const shopWords = () => models.build([...loadArticles().map((a) => a.body)]);

  it.each([
    ['how long does delivery take', ['delivery']],
    ['where is my order', ['where', 'order']],
    ['can i return my shoes', ['return']],
  ])('understands a caller asking "%s" with the shop’s own language model', async (question, keyWords) => {
    const transcript = await stt.transcribe(decodeMulaw(callerSays(question)), { languageModel: await shopWords() });
    for (const word of keyWords) expect(transcript).toContain(word);
  });

  it('speaks an answer as 8 kHz μ-law that a recognizer hears the key words of', async () => {
    const answer = 'Standard delivery takes two to four working days.';
    const audio = await new OfflineTts('kal16').synthesize(answer);

    // 8000 bytes a second: a sentence of this length lasts two to five seconds.
    expect(audio.length / 8000).toBeGreaterThan(2);
    expect(audio.length / 8000).toBeLessThan(6);
    const transcript = await stt.transcribe(decodeMulaw(audio), { languageModel: await shopWords() });
    expect(transcript).toMatch(/delivery/);
    expect(transcript).toMatch(/working days/);
  });
});
