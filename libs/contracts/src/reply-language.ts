/**
 * The languages the agent writes its own sentences in and connectors their own wording (email
 * greetings, link labels). Tables keyed by `ReplyLanguage` must cover each, so a language added here
 * does not compile until every table has it.
 */
export const REPLY_LANGUAGES = ['en', 'de', 'fr', 'es', 'it', 'pt', 'nl'] as const;
export type ReplyLanguage = (typeof REPLY_LANGUAGES)[number];

/** `language` when it is one of ours, else undefined. */
export function asReplyLanguage(language: string | null | undefined): ReplyLanguage | undefined {
  return REPLY_LANGUAGES.find((l) => l === language);
}

/**
 * The label before an answer's article link ("More: <url>"): the agent writes it, and a connector
 * that shows the link on its own (SMS) recognises it and moves the link.
 */
export const LINK_LABELS: Record<ReplyLanguage, string> = {
  en: 'More:',
  de: 'Mehr dazu:',
  fr: 'En savoir plus :',
  es: 'Más información:',
  it: 'Maggiori informazioni:',
  pt: 'Saiba mais:',
  nl: 'Meer informatie:',
};

/** A wording template with its `{name}` placeholders filled in; unknown placeholders stay, values go in as they are. */
export function fillTemplate(template: string, values: Record<string, string>): string {
  return template.replace(/\{(\w+)\}/g, (placeholder, name: string) => values[name] ?? placeholder);
}
