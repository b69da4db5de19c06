/**
 * Language detection without a dependency: the writing system decides for non-Latin scripts; for
 * Latin-script languages, frequent function words and a few letters unique to a language vote.
 * Short messages ("ok", "hi") carry too little signal: they get `und` (undetermined) and the caller
 * keeps the conversation's or the tenant's language.
 */

export interface LanguageGuess {
  /** ISO 639-1 code, or `und` when undetermined. */
  language: string;
  /** 0..1: share of the evidence for the winner. */
  confidence: number;
}

const SCRIPTS: [RegExp, string][] = [
  [/[\u3040-\u30ff]/g, 'ja'], // kana before Han: Japanese mixes both
  [/[\uac00-\ud7af]/g, 'ko'],
  [/[\u4e00-\u9fff]/g, 'zh'],
  [/[\u0600-\u06ff]/g, 'ar'],
  [/[\u0590-\u05ff]/g, 'he'],
  [/[\u0370-\u03ff]/g, 'el'],
  [/[\u0900-\u097f]/g, 'hi'],
  [/[\u0e00-\u0e7f]/g, 'th'],
  [/[\u0400-\u04ff]/g, 'ru'],
];

/** Frequent short words; enough to tell these languages apart in a support message. */
const STOPWORDS: Record<string, string[]> = {
  en: ['the', 'and', 'is', 'my', 'i', 'you', 'to', 'of', 'it', 'a', 'for', 'not', 'have', 'what', 'where', 'when', 'how', 'can', 'do', 'this', 'with', 'order', 'please', 'want', 'was', 'are', 'be', 'me', 'your', 'get', 'still', 'yet', 'hello', 'thanks', 'will', 'would', 'does', 'did', 'why', 'an', 'on', 'at', 'from'],
  de: ['der', 'die', 'das', 'und', 'ist', 'ich', 'nicht', 'mein', 'meine', 'sie', 'wo', 'wann', 'wie', 'bitte', 'ein', 'eine', 'mit', 'für', 'auf', 'noch', 'habe', 'ist', 'bestellung', 'danke', 'kann', 'möchte', 'zu', 'den', 'dem', 'es', 'hallo', 'warum', 'was', 'sind', 'wurde', 'keine', 'aber', 'auch'],
  fr: ['le', 'la', 'les', 'et', 'est', 'je', 'ne', 'pas', 'mon', 'ma', 'mes', 'vous', 'où', 'quand', 'comment', 'merci', 'un', 'une', 'avec', 'pour', 'sur', 'commande', 'bonjour', 'des', 'du', 'de', 'que', 'qui', 'il', 'ai', 'suis', 'veux', 'pourquoi', 'toujours', 'reçu', 'votre', 'au'],
  es: ['el', 'la', 'los', 'las', 'y', 'es', 'yo', 'no', 'mi', 'mis', 'usted', 'dónde', 'donde', 'cuándo', 'cómo', 'gracias', 'un', 'una', 'con', 'para', 'por', 'pedido', 'hola', 'de', 'del', 'que', 'qué', 'quiero', 'está', 'todavía', 'aún', 'he', 'recibido', 'su', 'por qué', 'lo', 'se', 'al'],
  it: ['il', 'lo', 'la', 'gli', 'le', 'e', 'è', 'io', 'non', 'mio', 'mia', 'lei', 'dove', 'quando', 'come', 'grazie', 'un', 'una', 'con', 'per', 'ordine', 'ciao', 'buongiorno', 'di', 'del', 'che', 'voglio', 'ancora', 'ho', 'ricevuto', 'perché', 'sono', 'della', 'mi', 'si', 'ma'],
  pt: ['o', 'a', 'os', 'as', 'e', 'é', 'eu', 'não', 'meu', 'minha', 'você', 'onde', 'quando', 'como', 'obrigado', 'obrigada', 'um', 'uma', 'com', 'para', 'pedido', 'olá', 'de', 'do', 'da', 'que', 'quero', 'ainda', 'recebi', 'está', 'porque', 'encomenda', 'por', 'favor', 'mas', 'se'],
  nl: ['de', 'het', 'een', 'en', 'is', 'ik', 'niet', 'mijn', 'u', 'jij', 'waar', 'wanneer', 'hoe', 'bedankt', 'dank', 'met', 'voor', 'op', 'bestelling', 'hallo', 'van', 'dat', 'wil', 'nog', 'heb', 'ontvangen', 'waarom', 'geen', 'maar', 'ook', 'zijn', 'wat', 'graag', 'alstublieft'],
};

/** Letters that occur in only one of the languages above. */
const UNIQUE_LETTERS: [RegExp, string][] = [
  [/ß/g, 'de'],
  [/[ñ¿¡]/g, 'es'],
  [/[ãõ]/g, 'pt'],
  [/[œ]/g, 'fr'],
];

export function detectLanguage(text: string): LanguageGuess {
  const letters = (text.match(/\p{L}/gu) ?? []).length;
  if (letters === 0) return { language: 'und', confidence: 0 };

  let bestScript: [string, number] | null = null;
  for (const [pattern, language] of SCRIPTS) {
    const n = (text.match(pattern) ?? []).length;
    if (n > 0 && (!bestScript || n > bestScript[1])) bestScript = [language, n];
    if (language === 'ja' && n > 0) break;
  }
  if (bestScript && bestScript[1] / letters >= 0.3) {
    return { language: bestScript[0], confidence: Math.min(1, bestScript[1] / letters + 0.2) };
  }

  const words = text.toLowerCase().match(/\p{L}+/gu) ?? [];
  const votes = new Map<string, number>();
  for (const [language, list] of Object.entries(STOPWORDS)) {
    const set = new Set(list);
    let n = 0;
    for (const w of words) if (set.has(w)) n++;
    if (n) votes.set(language, n);
  }
  for (const [pattern, language] of UNIQUE_LETTERS) {
    const n = (text.match(pattern) ?? []).length;
    if (n) votes.set(language, (votes.get(language) ?? 0) + 2 * n);
  }
  const ranked = [...votes].sort((a, b) => b[1] - a[1]);
  const total = ranked.reduce((s, [, n]) => s + n, 0);
  if (!ranked.length) return { language: 'und', confidence: 0 };
  const [language, n] = ranked[0];
  const runnerUp = ranked[1]?.[1] ?? 0;
  // One function word is not evidence ("a" is Spanish, Portuguese and English); a tie is not a winner.
  if (n < 2 || n === runnerUp) return { language: 'und', confidence: total ? n / total : 0 };
  return { language, confidence: n / total };
}
