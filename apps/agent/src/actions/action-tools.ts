import type OpenAI from 'openai';

/** What the model asked for: one of the tools, with the arguments it read from the customer's message. */
export interface ToolChoice {
  action: string;
  args: { orderNumber?: string; email?: string; zip?: string };
}

const ORDER_PARAMETERS = {
  type: 'object',
  properties: {
    order_number: { type: 'string', description: "The order number exactly as the customer wrote it, e.g. '#W2611340'." },
    email: { type: 'string', description: 'The email address the customer gave for the order, if they gave one.' },
    zip: { type: 'string', description: 'The shipping zip or postcode the customer gave, if they gave one.' },
  },
  required: [],
  additionalProperties: false,
} as const;

/**
 * The act stage's actions as OpenAI tools. The model only chooses: calling one starts or continues
 * the same flow the rules start, and our code still checks the identity, asks for the customer's
 * "yes" and applies the tenant's permission. Nothing here runs on the model's word alone.
 */
export const ACTION_TOOLS: Record<string, OpenAI.Chat.Completions.ChatCompletionTool> = {
  order_status: {
    type: 'function',
    function: { name: 'order_status', description: "Look up where the customer's order is: its status and tracking numbers.", parameters: ORDER_PARAMETERS },
  },
  cancel_order: {
    type: 'function',
    function: { name: 'cancel_order', description: "Cancel the customer's order that has not shipped yet (the customer is asked to confirm first).", parameters: ORDER_PARAMETERS },
  },
  // The items, refund method, variants and address are read from the customer's words by the flow itself.
  return_order: {
    type: 'function',
    function: { name: 'return_order', description: 'Request a return of items of a delivered order, for a refund (the customer is asked to confirm first).', parameters: ORDER_PARAMETERS },
  },
  exchange_order: {
    type: 'function',
    function: { name: 'exchange_order', description: 'Exchange items of a delivered order for another size, colour or option of the same product (the customer is asked to confirm first).', parameters: ORDER_PARAMETERS },
  },
  modify_items: {
    type: 'function',
    function: { name: 'modify_items', description: 'Change items of an order that has not shipped yet to another size, colour or option of the same product (the customer is asked to confirm first).', parameters: ORDER_PARAMETERS },
  },
  change_address: {
    type: 'function',
    function: { name: 'change_address', description: 'Change the shipping address of an order that has not shipped yet (the customer is asked to confirm first).', parameters: ORDER_PARAMETERS },
  },
};

/** The tool call read into an action and its arguments; null when it names no offered tool or its arguments are not JSON. */
export function readToolCall(name: string, rawArguments: string, offered: string[]): ToolChoice | null {
  if (!offered.includes(name)) return null;
  let parsed: unknown;
  try {
    parsed = JSON.parse(rawArguments || '{}');
  } catch {
    return null;
  }
  const args = (parsed && typeof parsed === 'object' ? parsed : {}) as Record<string, unknown>;
  const str = (v: unknown) => (typeof v === 'string' && v.trim() ? v.trim() : undefined);
  return { action: name, args: { orderNumber: str(args.order_number), email: str(args.email), zip: str(args.zip) } };
}
