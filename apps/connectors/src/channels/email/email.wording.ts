import { asReplyLanguage, type ReplyLanguage } from '@cs/contracts';


/** Everything the connector itself writes around a reply. `{name}`, `{date}`, `{from}` are filled in. */
export interface EmailWording {
  /** Locale the quoted mail's date is written in. */
  locale: string;
  greeting: string;
  /** When the customer's name is unknown. */
  greetingNoName: string;
  /** Before the labels of the answer's action buttons, which email cannot show as buttons. */
  choices: string;
  /** Above the list of the answer's source articles. */
  sources: string;
  quoteHeader: string;
  quoteHeaderUndated: string;
  /** The subject when the customer's mail had none (the reply subject's `Re:` stays as it is). */
  untitledSubject: string;
  /**
   * Openings that already greet, lower case. An answer starting with one, in any of the languages,
   * gets no greeting of ours: the answer may be in its article's language rather than the customer's.
   */
  greetingWords: readonly string[];
}

/** A language or a string missing here does not compile. */
export const EMAIL_WORDING: Record<ReplyLanguage, EmailWording> = {
  en: {
    locale: 'en-GB',
    greeting: 'Hello {name},',
    greetingNoName: 'Hello,',
    choices: 'You can reply with one of:',
    sources: 'More on this:',
    quoteHeader: 'On {date}, {from} wrote:',
    quoteHeaderUndated: '{from} wrote:',
    untitledSubject: 'Your message',
    greetingWords: ['hi', 'hello', 'hey', 'dear', 'good morning', 'good afternoon', 'good evening'],
  },
  de: {
    locale: 'de-DE',
    greeting: 'Hallo {name},',
    greetingNoName: 'Hallo,',
    choices: 'Sie können mit einer dieser Möglichkeiten antworten:',
    sources: 'Mehr dazu:',
    quoteHeader: 'Am {date} schrieb {from}:',
    quoteHeaderUndated: '{from} schrieb:',
    untitledSubject: 'Ihre Nachricht',
    greetingWords: ['hallo', 'guten tag', 'guten morgen', 'guten abend', 'liebe', 'lieber', 'sehr geehrte', 'sehr geehrter', 'moin', 'servus'],
  },
  fr: {
    locale: 'fr-FR',
    greeting: 'Bonjour {name},',
    greetingNoName: 'Bonjour,',
    choices: "Vous pouvez répondre par l'une de ces options :",
    sources: 'Pour en savoir plus :',
    quoteHeader: 'Le {date}, {from} a écrit :',
    quoteHeaderUndated: '{from} a écrit :',
    untitledSubject: 'Votre message',
    greetingWords: ['bonjour', 'bonsoir', 'salut', 'cher', 'chère'],
  },
  es: {
    locale: 'es-ES',
    greeting: 'Hola, {name}:',
    greetingNoName: 'Hola:',
    choices: 'Puede responder con una de estas opciones:',
    sources: 'Más información:',
    quoteHeader: 'El {date}, {from} escribió:',
    quoteHeaderUndated: '{from} escribió:',
    untitledSubject: 'Su mensaje',
    greetingWords: ['hola', 'buenos días', 'buenas tardes', 'buenas noches', 'estimado', 'estimada'],
  },
  it: {
    locale: 'it-IT',
    greeting: 'Buongiorno {name},',
    greetingNoName: 'Buongiorno,',
    choices: 'Può rispondere con una di queste opzioni:',
    sources: 'Per saperne di più:',
    quoteHeader: 'Il giorno {date}, {from} ha scritto:',
    quoteHeaderUndated: '{from} ha scritto:',
    untitledSubject: 'Il suo messaggio',
    greetingWords: ['buongiorno', 'buonasera', 'ciao', 'salve', 'gentile'],
  },
  // European Portuguese, as the agent's own sentences.
  pt: {
    locale: 'pt-PT',
    greeting: 'Olá {name},',
    greetingNoName: 'Olá,',
    choices: 'Pode responder com uma destas opções:',
    sources: 'Saiba mais:',
    quoteHeader: 'A {date}, {from} escreveu:',
    quoteHeaderUndated: '{from} escreveu:',
    untitledSubject: 'A sua mensagem',
    greetingWords: ['olá', 'bom dia', 'boa tarde', 'boa noite', 'caro', 'cara', 'prezado', 'prezada'],
  },
  nl: {
    locale: 'nl-NL',
    greeting: 'Hallo {name},',
    greetingNoName: 'Hallo,',
    choices: 'U kunt antwoorden met een van deze opties:',
    sources: 'Meer hierover:',
    quoteHeader: 'Op {date} schreef {from}:',
    quoteHeaderUndated: '{from} schreef:',
    untitledSubject: 'Uw bericht',
    greetingWords: ['hallo', 'hoi', 'beste', 'goedemorgen', 'goedemiddag', 'goedenavond', 'geachte'],
  },
};

/** The wording for an outbound message's language (ISO 639-1); English when it is unset or has no wording here. */
export function emailWording(language: string | null | undefined): EmailWording {
  return EMAIL_WORDING[asReplyLanguage(language) ?? 'en'];
}
