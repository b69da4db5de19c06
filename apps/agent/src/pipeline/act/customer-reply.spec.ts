import { phoneKey, yesOrNo, zipIn } from './customer-reply';

describe("reading the customer's answer to an action's question", () => {
  it('takes a short yes or no in the languages the agent writes', () => {
    for (const yes of ['yes', 'Yes please', 'ok, go ahead', 'ja', 'Oui', 'sí', 'sim', 'Sure!']) expect({ yes, answer: yesOrNo(yes) }).toEqual({ yes, answer: 'yes' });
    for (const no of ['no', 'No thanks', "don't", 'nein', 'non merci', 'nee', 'não', 'never mind']) expect({ no, answer: yesOrNo(no) }).toEqual({ no, answer: 'no' });
  });

  it('does not read a longer message or a question as an answer', () => {
    expect(yesOrNo('yes but first tell me when the other parcel arrives please')).toBeUndefined();
    expect(yesOrNo('where is my order?')).toBeUndefined();
    expect(yesOrNo('nothing')).toBeUndefined();
    expect(yesOrNo('')).toBeUndefined();
  });

  it('finds a zip standing alone, not the digits of the order number', () => {
    expect(zipIn('my zip is 80279')).toBe('80279');
    expect(zipIn('order #W2611340, zip 10083', 'W2611340')).toBe('10083');
    expect(zipIn('order 55102', '55102')).toBeUndefined();
    expect(zipIn('order W2611340 please')).toBeUndefined();
  });

  it('compares phone numbers by their last ten digits', () => {
    expect(phoneKey('+1 (415) 555-0134')).toBe(phoneKey('415-555-0134'));
    expect(phoneKey('+44 20 7946 0958')).toBe('2079460958');
    expect(phoneKey('12')).toBeUndefined();
    expect(phoneKey(null)).toBeUndefined();
  });
});
