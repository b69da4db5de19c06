/**
 * A short yes or no to the agent's question, in the languages the agent writes. Longer messages are
 * not read as an answer: "no, I meant my other order" is a new request, not a refusal to parse.
 */
const YES = /^(yes|yeah|yep|yup|sure|ok|okay|confirm|confirmed|please do|go ahead|do it|ja|jawohl|oui|sí|si|sim|certo|claro|d'accord|bien sûr|doe maar|graag)(?![\p{L}\p{N}])/iu;
const NO = /^(no|nope|nah|don't|do not|keep it|never ?mind|stop|nein|non|nee|não|nao|niet|laat maar)(?![\p{L}\p{N}])/iu;

export function yesOrNo(text: string): 'yes' | 'no' | undefined {
  const words = text.trim().split(/\s+/).filter(Boolean);
  if (words.length === 0 || words.length > 6) return undefined;
  const t = text.trim().toLowerCase().replace(/^[¡¿"'“«\s]+/, '');
  if (NO.test(t)) return 'no';
  if (YES.test(t)) return 'yes';
  return undefined;
}

/** A US zip or a 4-6 digit postcode standing alone (not inside an order number). */
export function zipIn(text: string, orderNumber?: string): string | undefined {
  for (const m of text.matchAll(/(?<![\w#-])(\d{4,6}(?:-\d{4})?)(?![\w-])/g)) {
    if (orderNumber && orderNumber.replace(/\D/g, '') === m[1]) continue;
    return m[1];
  }
  return undefined;
}

/** The comparable form of a phone number: its last ten digits (country prefixes differ in how they are written). */
export function phoneKey(phone: string | null | undefined): string | undefined {
  const digits = phone?.replace(/\D/g, '') ?? '';
  return digits.length >= 7 ? digits.slice(-10) : undefined;
}
