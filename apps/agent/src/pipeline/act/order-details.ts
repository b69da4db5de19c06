import type { ProductVariant, RefundMethod, ShippingAddress, ShopOrder, ShopOrderItem } from '../../actions/action-backend';

/** The flows the act stage carries out, by the name `settings.actionPermissions` and the trace use. */
export type FlowAction = 'order_status' | 'cancel_order' | 'return_order' | 'exchange_order' | 'modify_items' | 'change_address';

/** Words that put an order before shipping: what is changed in it is an order edit, not an exchange. */
const NOT_SHIPPED = String.raw`\b(pending|not (yet )?(been )?(shipped|sent|delivered|arrived)|(hasn't|has not|haven't|have not) (yet )?(shipped|arrived|been (shipped|delivered))|just (ordered|bought|placed)|before it ships)\b`;

const WISH = /\b(i|i'd|i'm|we|we'd|my|please|pls|can you|could you|would you|help me|want|wanna|need|like to)\b/i;
const ORDER_REF = /#?\b[a-z]{0,3}\d{4,}\b/i;

/**
 * What the customer asks the shop to do, by their words: the built-in intent model knows "return or
 * exchange" as a question (how do returns work?), so a request is told from a question by a wish or
 * an order named alongside the verb. English only, like the entities; other languages reach the flows
 * through the intent model's action intents.
 */
export function actionAsked(text: string): FlowAction | undefined {
  const t = text.toLowerCase();
  // "Do not exchange anything, return the bottle instead": a verb said not to do is not asked for.
  const t2 = t.replace(/\b(do not|don't|not|never|no need to|won't|wouldn't)\s+((?:\w+\s+){0,3}?)(cancel|return|exchange|swap|replace|change|modify)/g, (m: string, _n: string, _w: string, verb: string) => ' '.repeat(m.length - verb.length) + '~'.repeat(verb.length));
  // "Also, exchange the boots", "only return the lamp": an imperative is a request too.
  const imperative = /(^|[.!?,;]\s*|\b(and|then|also|only|just|rather|instead)\s+)(please\s+)?(cancel|return|exchange|swap|change|update|track)\b/.test(t2);
  const wish = imperative || WISH.test(t) || ORDER_REF.test(t);
  if (!wish) return undefined;
  const at = (re: RegExp) => re.exec(t2)?.index ?? -1;
  const found: [FlowAction, number][] = [
    // Before the exchange: the same words about an order not shipped yet are an order edit (a tie goes to the first).
    ['modify_items', at(new RegExp(String.raw`\b(modify|change|switch|swap|exchange|replace|upgrade|edit)\b(?![^.]*\baddress\b)(?=[^.]*${NOT_SHIPPED})|(?<=${NOT_SHIPPED}[^.]*)\b(modify|change|switch|swap|exchange|replace|upgrade|edit)\b(?![^.]*\baddress\b)|\b(modify|edit)\b (the )?(items?|products?)\b`))],
    ['exchange_order', at(/\b(exchange|swap|replace)\b|\b(modify|change)\b(?=[^.]*\b(received|delivered|got)\b)(?![^.]*\baddress\b)|\b(modify|change) (the |my |two |some )?(?!.*\baddress\b)[a-z -]*(\bin (order|my order) #?\w+ )?\b(to|for|into) (a |an |the )?\b/)],
    ['return_order', at(/\b(return|send (it|them|this) back)\b/)],
    ['cancel_order', at(/\bcancel/)],
    ['change_address', at(/\b(change|update|correct|wrong|fix)\b[^.?!]{0,40}\baddress\b|\b(deliver(ed)?|ship(ped)?|send it) (it |them )?to (a |my |the )?(new|different|another|other)\b|\bdelivered to suite\b/)],
    ['order_status', at(/\b(where is|where's|track|tracking|status of|has it shipped|when will .* arrive)\b/)],
  ];
  // The first thing asked for, when a message asks for two.
  const first = found.filter(([, i]) => i >= 0).sort((a, b) => a[1] - b[1])[0];
  return first?.[0];
}

/** The cancellation reasons a shop records (tau-bench's two, which are also the usual ones). */
export function reasonIn(text: string): string | undefined {
  if (/\b(by mistake|by accident|mistakenly|accidentally|wrong item|ordered the wrong)\b/i.test(text)) return 'ordered by mistake';
  if (/\b(no longer need|don't need|do not need|not needed|changed my mind|no longer want|don't want)\b/i.test(text)) return 'no longer needed';
  return undefined;
}

export function refundMethodIn(text: string): RefundMethod | undefined {
  if (/\b(gift ?card|store credit|credit note|gc)\b/i.test(text)) return 'store_credit';
  if (/\b(original|same (payment|card|method)|credit card|card|paypal|visa|mastercard|amex|back to my)\b/i.test(text)) return 'original_payment';
  return undefined;
}

/** Words of an item's title a customer uses for it ("the keyboard", "hiking boots", "t-shirts"). */
function titleWords(title: string): string[] {
  return title
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter((w) => w.length > 2);
}

function mentions(text: string, word: string): boolean {
  const stem = word.replace(/(es|s)$/, '');
  return new RegExp(`\\b${escape(stem)}(s|es)?\\b`, 'i').test(text) || (word.includes('-') && text.toLowerCase().includes(word));
}

/** How strongly the text names this item: every word of a short title, or the title's last (head) word. */
function itemScore(text: string, item: ShopOrderItem): number {
  const words = titleWords(item.title.replace(/-/g, ''));
  const all = titleWords(item.title);
  const hit = [...new Set([...words, ...all])].filter((w) => mentions(text, w)).length;
  const head = words[words.length - 1];
  const headAll = all[all.length - 1];
  // "Smart" alone is not the smart watch: the title's head noun must be there ("the watch").
  if (hit === 0 || !((head && mentions(text, head)) || (headAll && mentions(text, headAll)))) return 0;
  return hit + 1;
}

/**
 * The order lines the customer names: "everything" (all of them), "all but the X" / "except the X",
 * or each line whose title words appear. Option words ("the 15-inch one") pick among lines of one title.
 */
export function itemsNamed(text: string, order: ShopOrder): ShopOrderItem[] {
  const t = text.toLowerCase();
  const except = /\b(except|but not|other than|apart from|besides|all but|everything but)\b([\s\S]*)$/i.exec(t);
  const everything = /\b(everything|all (the )?(items|things|of (it|them))|whole order|entire order|all of my|all but)\b/.test(t);
  if (everything) {
    const keep = except ? order.items.filter((i) => itemScore(except[2], i) > 0) : [];
    return order.items.filter((i) => !keep.includes(i));
  }
  const scored = order.items.map((item) => ({ item, score: itemScore(t, item) })).filter((s) => s.score > 0);
  // Several lines of the same product: the one whose options the customer names.
  const byTitle = new Map<string, { item: ShopOrderItem; score: number }[]>();
  for (const s of scored) byTitle.set(s.item.title, [...(byTitle.get(s.item.title) ?? []), s]);
  const picked: ShopOrderItem[] = [];
  for (const group of byTitle.values()) {
    if (group.length === 1) {
      picked.push(group[0].item);
      continue;
    }
    const prices = group.filter((g) => g.item.price !== undefined).sort((a, b) => (a.item.price as number) - (b.item.price as number));
    if (prices.length === group.length && /\b(more expensive|most expensive|pricier|dearer)\b/.test(t)) {
      picked.push(prices[prices.length - 1].item);
      continue;
    }
    if (prices.length === group.length && /\b(cheaper|less expensive|cheapest|least expensive)\b/.test(t)) {
      picked.push(prices[0].item);
      continue;
    }
    // "Exchange the robotic vacuum for a canister one": what they have is named before what they want.
    const from = t.split(/\b(?:for|into|to)\b (?:a|an|one|the)\b/)[0];
    const withOptions = group.map((g) => ({ item: g.item, hits: Object.values(g.item.options ?? {}).filter((v) => optionMentioned(from, v)).length }));
    const best = Math.max(...withOptions.map((w) => w.hits));
    picked.push(...withOptions.filter((w) => best === 0 || w.hits === best).map((w) => w.item));
  }
  return picked;
}

function optionMentioned(text: string, value: string): boolean {
  const v = value.toLowerCase();
  if (/^\d/.test(v)) return new RegExp(`(^|[^\\w.])${escape(v)}(?![\\w])`, 'i').test(text) || new RegExp(`(^|[^\\w.])${escape(v.replace(/\s+/g, ''))}(?![\\w])`, 'i').test(text);
  return new RegExp(`\\b${escape(v)}\\b`, 'i').test(text);
}

export interface VariantChoice {
  variant?: ProductVariant;
  /** What the customer could pick from, when their words did not pick one. */
  choices: ProductVariant[];
}

/**
 * The variant the customer asks for instead of `item`: of the same product and for sale; the options
 * they name (values that differ from what they have), the rest kept as they are. "The same one" is the
 * same variant (a replacement). No option named: no choice, and the choices to ask about.
 */
export function variantAsked(text: string, item: ShopOrderItem, variants: ProductVariant[], preference = ''): VariantChoice {
  const available = variants.filter((v) => v.available);
  const current = item.options ?? {};
  if (/\b(same (one|item|thing|specs|model|product|options)|exact same|identical|new one of the same|a new pair|same item)\b/i.test(text)) {
    const same = available.find((v) => v.id === item.variantId);
    if (same) return { variant: same, choices: [same] };
  }
  const others = available.filter((v) => v.id !== item.variantId);
  const byPrice = others.filter((v) => v.price !== undefined).sort((a, b) => (a.price as number) - (b.price as number));
  if (/\b(cheapest|least expensive|lowest price)\b/i.test(text) && byPrice.length) return { variant: byPrice[0], choices: byPrice };
  if (/\b(most expensive|priciest|highest price)\b/i.test(text) && byPrice.length) return { variant: byPrice[byPrice.length - 1], choices: byPrice };
  const wanted = new Map<string, string[]>();
  // "A bigger one", "500 pieces less": the next value up or down of an option measured in numbers or
  // sizes; only the options named ("maximum zoom") when the customer names one.
  const counted = /\b\d+\s+(?:\w+\s+)?(more|less|fewer|larger|smaller)\b/i.exec(text)?.[1];
  const up = /\b(bigger|larger|longer|higher|brighter|largest|maximum|max|more (?:pieces|storage|capacity|memory|zoom))\b/i;
  const down = /\b(smaller|shorter|lower|dimmer|less bright|fewer|minimum|min|one size smaller)\b/i;
  const direction = counted ? (/more|larger/i.test(counted) ? 1 : -1) : down.test(text) && !/\bsmaller than\b/i.test(text) ? (up.test(text) && up.exec(text)!.index < down.exec(text)!.index ? 1 : -1) : up.test(text) ? 1 : 0;
  if (direction !== 0) {
    const names = Object.keys(current);
    const named = names.filter((n) => new RegExp(`\\b${escape(n.split(' ')[0])}`, 'i').test(text));
    for (const name of named.length ? named : names) {
      const values = [...new Set(available.map((v) => v.options[name]).filter(Boolean))];
      const ranked = values.map((v) => ({ v, rank: sizeRank(v) })).filter((x) => x.rank !== undefined) as { v: string; rank: number }[];
      const mine = sizeRank(current[name]);
      if (ranked.length < 2 || mine === undefined) continue;
      const further = ranked.filter((x) => (direction > 0 ? x.rank > mine : x.rank < mine)).sort((a, b) => (direction > 0 ? a.rank - b.rank : b.rank - a.rank));
      const extreme = /\b(the largest|maximum|max|largest|minimum|smallest)\b/i.test(text);
      const pick = extreme ? further[further.length - 1] : further[0];
      if (pick) wanted.set(name, [pick.v]);
    }
  }
  // "Waterproof": an option named by itself, with yes/no values.
  for (const name of Object.keys(current)) {
    const values = new Set(available.map((v) => v.options[name]?.toLowerCase()));
    if (!values.has('yes') || !values.has('no') || !new RegExp(`\\b${escape(name)}\\b`, 'i').test(text)) continue;
    const not = new RegExp(`\\b(not|non-?|no)\\s*${escape(name)}`, 'i').test(text);
    const want = not ? 'no' : 'yes';
    if (current[name].toLowerCase() !== want) wanted.set(name, [available.find((v) => v.options[name]?.toLowerCase() === want)?.options[name] as string]);
  }
  for (const v of others) {
    for (const [name, value] of Object.entries(v.options)) {
      if (current[name] === value || !optionMentioned(text, value)) continue;
      wanted.set(name, [...new Set([...(wanted.get(name) ?? []), value])]);
    }
  }
  // "Compatible with Google Home" when the shop sells "Google Assistant": one value sharing a distinctive word.
  for (const name of Object.keys(current)) {
    if (wanted.has(name)) continue;
    const mine = new Set(current[name].toLowerCase().split(/\W+/));
    const values = [...new Set(others.map((v) => v.options[name]).filter((v) => v && v !== current[name]))];
    const hits = values.filter((v) => v.toLowerCase().split(/\W+/).some((w) => w.length >= 4 && !mine.has(w) && new RegExp(`\\b${escape(w)}\\b`, 'i').test(text)));
    if (hits.length === 1) wanted.set(name, hits);
  }
  if (wanted.size === 0) return { choices: others };
  const score = (v: ProductVariant) => {
    let s = 0;
    for (const [name, value] of Object.entries(v.options)) {
      if (wanted.get(name)?.includes(value)) s += 10;
      else if (current[name] === value) s += 1;
    }
    return s;
  };
  const ranked = others.map((v) => ({ v, s: score(v) })).sort((a, b) => b.s - a.s);
  const best = ranked.filter((r) => r.s === ranked[0].s).map((r) => r.v);
  if (best.length === 1) return { variant: best[0], choices: best };
  // Several fit: the one whose value the customer's answer names first ("I prefer black", "AC adapter > battery").
  const said = (preference || text).toLowerCase();
  // Values every fitting variant shares tell none apart; "no backlight" names the value "none".
  const shared = (name: string, value: string) => best.every((b) => b.options[name] === value);
  const position = (name: string, value: string) => {
    if (value.toLowerCase() === 'none') {
      const at = said.search(new RegExp(`\\bno ${escape(name.toLowerCase())}\\b`));
      return at >= 0 ? at : Infinity;
    }
    return optionMentioned(said, value) ? said.indexOf(value.toLowerCase()) : Infinity;
  };
  const firstMention = (v: ProductVariant) =>
    Math.min(...Object.entries(v.options).filter(([name, value]) => current[name] !== value && !shared(name, value)).map(([name, value]) => position(name, value)));
  const ranked2 = best.map((v) => ({ v, at: firstMention(v) })).sort((a, b) => a.at - b.at);
  if (ranked2[0].at !== Infinity && (ranked2.length < 2 || ranked2[1].at > ranked2[0].at)) return { variant: ranked2[0].v, choices: best };
  return { choices: best };
}

const SIZES = ['xxs', 'xs', 's', 'm', 'l', 'xl', 'xxl', 'xxxl'];
const LEVELS = ['low', 'medium', 'high'];

/** Where a value sits on its scale: a number with a unit ("750ml", "15-inch"), a clothing size, or low/medium/high. */
function sizeRank(value: string): number | undefined {
  const v = value.toLowerCase().trim();
  if (SIZES.includes(v)) return SIZES.indexOf(v);
  if (LEVELS.includes(v)) return LEVELS.indexOf(v);
  const n = /^(\d+(?:\.\d+)?)/.exec(v);
  return n ? Number(n[1]) : undefined;
}

const STREET = String.raw`(?<![\w#])\d{1,6}[a-z]?\s+[a-z0-9 .'-]+?\b(?:street|st|road|rd|avenue|ave|lane|ln|drive|dr|boulevard|blvd|way|court|ct|place|pl|terrace|parkway|pkwy|highway|hwy)\b\.?`;
const UNIT = String.raw`(?:apt|apartment|suite|unit|#|floor|fl)\.?\s*[a-z0-9-]+`;

/** An address written on one line: street, (unit,) city, (state) zip(, country). */
export function addressIn(text: string): ShippingAddress | undefined {
  const re = new RegExp(String.raw`(${STREET})\s*,?\s*(?:(${UNIT})\s*,?\s*)?([a-z][a-z .'-]*?)\s*,\s*(?:([a-z]{2}|[a-z][a-z ]+?)\s*,?\s+)?(\d{5}(?:-\d{4})?|[a-z0-9]{3,4}\s?[a-z0-9]{3})\b(?:\s*,\s*([a-z]+(?: (?!please\b|thanks\b)[a-z]+){0,2}))?`, 'i');
  const m = re.exec(text);
  if (!m) return undefined;
  const country = m[6]?.trim().replace(/\.$/, '');
  return {
    address1: tidy(m[1]),
    ...(m[2] ? { address2: tidy(m[2]) } : {}),
    city: tidy(m[3]),
    ...(m[4] ? { province: m[4].trim() } : {}),
    zip: m[5],
    country: country && !/^(please|thanks|thank you)$/i.test(country) ? country : 'USA',
  };
}

export function addressText(a: ShippingAddress): string {
  return [a.address1, a.address2, a.city, [a.province, a.zip].filter(Boolean).join(' '), a.country].filter(Boolean).join(', ');
}

function tidy(s: string): string {
  return s
    .trim()
    .replace(/\s+/g, ' ')
    .replace(/\b\w/g, (c) => c.toUpperCase());
}

function escape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** "2 × Hiking Boots (waterproof, 10)": a line as the customer reads it in a question. */
export function itemText(item: Pick<ShopOrderItem, 'title' | 'quantity' | 'options'>, withOptions = false): string {
  const options = withOptions && item.options && Object.keys(item.options).length ? ` (${Object.values(item.options).join(', ')})` : '';
  return `${item.quantity > 1 ? `${item.quantity} × ` : ''}${item.title}${options}`;
}
