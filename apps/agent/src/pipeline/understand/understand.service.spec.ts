import { UnderstandService } from './understand.service';

describe('understanding a message (foundation rules)', () => {
  const understand = (text: string) => new UnderstandService().understand(text).intent;

  it.each(['can I talk to a person', 'Can I speak to a human please?', 'agent', 'I want a real person', 'put me through to someone'])(
    'hears "%s" as asking for a person',
    (text) => expect(understand(text)).toBe('human'),
  );

  it.each([
    ['Hi!', 'greeting'],
    ['good morning', 'greeting'],
    ['thanks a lot', 'thanks'],
    ['ok thank you for your help', 'thanks'],
    ['bye', 'goodbye'],
  ])('hears "%s" as %s', (text, intent) => expect(understand(text)).toBe(intent));

  it.each(['hi, how long does delivery take?', 'thanks, and can I pay with PayPal?', 'my customs agent charged me twice'])(
    'treats "%s" as a question',
    (text) => expect(understand(text)).toBe('question'),
  );
});
