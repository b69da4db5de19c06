import { asksForPerson, saysYes, speakableAnswer } from './twilio-voice.speakable';
import { answerCallTwiml, mediaStreamUrl, transferTwiml } from './twilio-voice.twiml';

describe('an answer for the phone', () => {
  it('keeps two sentences, reads out no URL, and offers to text the link instead', () => {
    const text = 'Standard delivery takes 2 to 4 working days. Express arrives next day. Orders ship from our warehouse.\n\nMore: https://shop.example/kb/delivery';
    expect(speakableAnswer([{ type: 'text', text }, { type: 'source', title: 'Delivery', url: 'https://shop.example/kb/delivery' }])).toBe(
      'Standard delivery takes 2 to 4 working days. Express arrives next day. Would you like me to text you the link?',
    );
  });

  it('says a short answer without a link as it is, without markdown marks', () => {
    expect(speakableAnswer([{ type: 'text', text: 'We are **open** until 6 pm.' }])).toBe('We are open until 6 pm.');
  });

  it('hears a request for a person, and a yes', () => {
    expect(asksForPerson('can i speak to a person')).toBe(true);
    expect(asksForPerson('agent please')).toBe(true);
    expect(asksForPerson('how long does delivery take')).toBe(false);
    expect(saysYes('yes please')).toBe(true);
    expect(saysYes('no thanks')).toBe(false);
  });
});

describe('the TwiML of a call', () => {
  it('greets the caller, then connects a Media Stream to our WebSocket with the call parameters', () => {
    const url = mediaStreamUrl('https://support.example.com/', 'twilio-voice', 'acc-1');
    expect(url).toBe('wss://support.example.com/hooks/twilio-voice/acc-1/media');
    expect(answerCallTwiml('Hello & welcome', url, { channelAccountId: 'acc-1' })).toBe(
      '<?xml version="1.0" encoding="UTF-8"?><Response><Say>Hello &amp; welcome</Say><Connect>' +
        '<Stream url="wss://support.example.com/hooks/twilio-voice/acc-1/media"><Parameter name="channelAccountId" value="acc-1"/></Stream>' +
        '</Connect></Response>',
    );
  });

  it('transfers with a spoken notice and a Dial to the shop number', () => {
    expect(transferTwiml('+14155550100')).toBe(
      '<?xml version="1.0" encoding="UTF-8"?><Response><Say>Please hold while I connect you to a member of our team.</Say><Dial>+14155550100</Dial></Response>',
    );
  });
});
