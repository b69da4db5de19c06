import { detectLanguage } from '@cs/ai';
import type { TenantSettings } from '@cs/persistence';
import { replyLanguage } from '../pipeline/text/language';
import type { HandoffReason } from '../pipeline/pipeline.types';
import { turnOf } from '../pipeline/turn.fixture';
import { HandoffService } from './handoff.service';

/** What the customer reads when the turn is handed off, in the language detected in their message. */
function handedOff(text: string, reason: HandoffReason, settings?: TenantSettings, now?: Date): string {
  const turn = turnOf(text, { settings });
  return new HandoffService().draft(turn, reason, replyLanguage(detectLanguage(turn.text)), undefined, now).text;
}

const WEEKDAYS_9_TO_5: Record<string, [string, string][]> = Object.fromEntries(['mon', 'tue', 'wed', 'thu', 'fri'].map((day) => [day, [['09:00', '17:00']]]));
/** Saturday 28 November 2026, 11:00 in Berlin: the shop is closed until Monday. */
const SATURDAY = new Date('2026-11-28T10:00:00Z');

describe('the hand-off message', () => {
  it('is in German for a German question nobody could answer, with the response time in German too', () => {
    expect(handedOff('Kann ich meine Bestellung mit einer Überweisung aus der Schweiz bezahlen?', 'no_confident_answer')).toBe(
      'Ich bin nicht sicher, ob ich das richtig beantworten kann, deshalb habe ich Ihre Frage an unser Team weitergegeben. Jemand aus dem Team antwortet Ihnen hier so bald wie möglich.',
    );
  });

  it("tells a French customer in French that it cannot answer in their language", () => {
    expect(handedOff("Bonjour, où est ma commande ? Je ne l'ai toujours pas reçue.", 'language_not_supported')).toBe(
      "Désolé, je ne peux pas encore répondre moi-même aux questions en français, j'ai donc transmis votre message à notre équipe. Quelqu'un vous répondra ici dès que possible.",
    );
  });

  it('is in English for a language it has no sentences in', () => {
    expect(handedOff('Где мой заказ? Я его до сих пор не получил.', 'language_not_supported')).toBe(
      "Sorry, I can't answer in your language yet, so I've passed your message to our team. A person will reply here as soon as possible.",
    );
  });

  it("fills in the shop's expected response time as the shop wrote it", () => {
    expect(handedOff('Ich möchte bitte mit einem Menschen sprechen, nicht mit einem Bot.', 'customer_asked_for_person', { expectedResponseTime: 'innerhalb von zwei Stunden' })).toBe(
      'Gern. Ich habe Ihr Anliegen an unser Team weitergegeben, und jemand aus dem Team antwortet Ihnen hier innerhalb von zwei Stunden.',
    );
  });

  it("is the shop's own wording whatever the customer's language", () => {
    const settings = { handoffMessage: 'Ein Kollege meldet sich {expectedResponseTime}.', expectedResponseTime: 'morgen früh' };
    expect(handedOff('Die Lieferung ist beschädigt und ich habe keine Antwort bekommen.', 'failed_check', settings)).toBe('Ein Kollege meldet sich morgen früh.');
    expect(handedOff('Mi pedido llegó roto y nadie me responde.', 'customer_upset', settings)).toBe('Ein Kollege meldet sich morgen früh.');
  });

  it('leaves the note for staff in English', () => {
    const turn = turnOf('Wo ist meine Bestellung? Ich habe sie noch nicht bekommen.');
    const draft = new HandoffService().draft(turn, 'no_confident_answer', 'de');
    expect(draft.handoff).toEqual({
      reason: 'no_confident_answer',
      summary: 'The knowledge base has no confident answer. Customer wrote on webchat: "Wo ist meine Bestellung? Ich habe sie noch nicht bekommen.".',
    });
  });

  it('says on web chat, outside business hours, when the shop opens again, in the customer’s language and the shop’s time zone', () => {
    const settings = { businessHours: WEEKDAYS_9_TO_5, timezone: 'Europe/Berlin', expectedResponseTime: 'within 2 hours' };
    expect(handedOff('I want to talk to a human please, not a bot.', 'customer_asked_for_person', settings, SATURDAY)).toBe(
      "Of course. I've passed your conversation to our team, and a person will reply here when we open again on Monday at 09:00 GMT+1.",
    );
    expect(handedOff('Ich möchte bitte mit einem Menschen sprechen, nicht mit einem Bot.', 'customer_asked_for_person', settings, SATURDAY)).toBe(
      'Gern. Ich habe Ihr Anliegen an unser Team weitergegeben, und jemand aus dem Team antwortet Ihnen hier sobald wir wieder geöffnet haben, am Montag um 09:00 MEZ.',
    );
    // Open hours: the shop's expected response time as before.
    expect(handedOff('I want to talk to a human please, not a bot.', 'customer_asked_for_person', settings, new Date('2026-11-30T10:00:00Z'))).toBe(
      "Of course. I've passed your conversation to our team, and a person will reply here within 2 hours.",
    );
  });
});
