import type { ToolChoice } from '../../actions/action-tools';
import type { LlmService } from '../../llm/llm.service';
import type { Turn } from '../pipeline.types';
import type { FlowAction } from './order-details';

/**
 * The tenant's model offered the actions it may do (`offered`: never those it forbids) as tools, for
 * a message the rules read as an action or one inside a flow still gathering. Our code keeps only what
 * the customer wrote: an argument not in their message is dropped (the model cannot supply an email
 * it was never told), and the call only starts the flow: identity, the "yes" and the permission are
 * checked as for any request. No model, or a failing one, leaves the rules to decide (undefined).
 */
export async function modelChoice(llm: LlmService, turn: Turn, offered: FlowAction[], trace: Record<string, unknown>): Promise<(ToolChoice & { action: FlowAction }) | undefined> {
  const using = llm.forTenant(turn.settings);
  if (!using || offered.length === 0) return undefined;
  try {
    const { choice, model, ms } = await llm.chooseAction(using, { shopName: turn.tenantName, text: turn.text, offered });
    if (!choice) {
      trace.tool = { model, ms, called: null };
      return undefined;
    }
    const said = turn.text.toLowerCase();
    const args: ToolChoice['args'] = {};
    const dropped: string[] = [];
    for (const [name, value] of Object.entries(choice.args) as [keyof ToolChoice['args'], string | undefined][]) {
      if (!value) continue;
      if (said.includes(value.toLowerCase()) || (name === 'orderNumber' && said.includes(value.replace(/^#/, '').toLowerCase()))) args[name] = name === 'email' ? value.toLowerCase() : value;
      else dropped.push(name);
    }
    trace.tool = { model, ms, called: choice.action, args: Object.keys(args), ...(dropped.length ? { dropped } : {}) };
    // readToolCall keeps only an offered tool's name.
    return { action: choice.action as FlowAction, args };
  } catch (err) {
    trace.tool = { error: (err as Error).name };
    return undefined;
  }
}
