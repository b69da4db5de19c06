import type { ProductVariant, ShopOrder } from '../../actions/action-backend';
import { actionAsked, addressIn, itemsNamed, reasonIn, refundMethodIn, variantAsked } from './order-details';

const order: ShopOrder = {
  id: 'o1',
  number: '#W1',
  email: 'a@b.c',
  phone: null,
  zip: '10001',
  status: 'delivered',
  tracking: [],
  items: [
    { id: 'l1', title: 'Mechanical Keyboard', quantity: 1, productId: 'p1', variantId: 'v1', options: { switch: 'linear', backlight: 'RGB', size: 'full size' }, price: 100 },
    { id: 'l2', title: 'Smart Watch', quantity: 1, price: 200 },
    { id: 'l3', title: 'Vacuum Cleaner', quantity: 1, options: { type: 'robotic' }, price: 300 },
    { id: 'l4', title: 'Vacuum Cleaner', quantity: 1, options: { type: 'canister' }, price: 250 },
  ],
};

const variant = (id: string, options: Record<string, string>, price: number, available = true): ProductVariant => ({ id, title: Object.values(options).join(' / '), options, available, price });
const keyboards = [
  variant('v1', { switch: 'linear', backlight: 'RGB', size: 'full size' }, 100),
  variant('v2', { switch: 'clicky', backlight: 'RGB', size: 'full size' }, 110),
  variant('v3', { switch: 'clicky', backlight: 'none', size: '80%' }, 90),
  variant('v4', { switch: 'tactile', backlight: 'RGB', size: 'full size' }, 120, false),
];

describe('reading what a customer asks the shop to do', () => {
  it('tells a request from a question about the policy', () => {
    expect(actionAsked("I'd like to return my watch")).toBe('return_order');
    expect(actionAsked('please swap the keyboard for a clicky one')).toBe('exchange_order');
    expect(actionAsked('I need to change the delivery address of #W123')).toBe('change_address');
    expect(actionAsked('Do not exchange anything, return the lamp instead')).toBe('return_order');
    expect(actionAsked('how do exchanges work?')).toBeUndefined();
    expect(actionAsked('what is your return policy?')).toBeUndefined();
  });

  it('reads a change of items in an order not shipped yet as an item change, and one in a named order as a change of items', () => {
    expect(actionAsked('I want to modify the pending boots to a size 8')).toBe('modify_items');
    expect(actionAsked("Can you swap the lamp I just ordered for a white one?")).toBe('modify_items');
    expect(actionAsked("the kettle hasn't shipped yet, please change it to the 2L one")).toBe('modify_items');
    // The order's state decides later whether this is an exchange or an edit (act.service.ts).
    expect(actionAsked('I want to change my earbuds in order W5061109 to a blue one')).toBe('exchange_order');
    expect(actionAsked('please change the address of my pending order')).toBe('change_address');
    expect(actionAsked('I want to exchange the boots I received for a bigger size')).toBe('exchange_order');
  });

  it('names items by their head noun, "everything except", and options among lines of one product', () => {
    expect(itemsNamed('return the keyboard and the watch', order).map((i) => i.id)).toEqual(['l1', 'l2']);
    expect(itemsNamed('the smart one', order)).toEqual([]);
    expect(itemsNamed('return everything except the watch', order).map((i) => i.id)).toEqual(['l1', 'l3', 'l4']);
    expect(itemsNamed('the robotic vacuum cleaner for a canister one', order).map((i) => i.id)).toEqual(['l3']);
    expect(itemsNamed('the more expensive vacuum cleaner', order).map((i) => i.id)).toEqual(['l3']);
  });

  it('picks the variant with the option named, keeping the others, and never one not for sale', () => {
    expect(variantAsked('one with clicky switches', order.items[0], keyboards).variant?.id).toBe('v2');
    expect(variantAsked('the tactile one', order.items[0], keyboards).variant).toBeUndefined();
    expect(variantAsked('the cheapest version', order.items[0], keyboards).variant?.id).toBe('v3');
    expect(variantAsked('something nicer', order.items[0], keyboards)).toEqual({ choices: [keyboards[1], keyboards[2]] });
  });

  it('reads a reason, a refund method and an address written on one line', () => {
    expect(reasonIn('yes, I ordered it by mistake')).toBe('ordered by mistake');
    expect(refundMethodIn('store credit please')).toBe('store_credit');
    expect(refundMethodIn('back to my card')).toBe('original_payment');
    expect(addressIn('ship order #W2974929 to 12 Oak Street, Apt 3, Austin, TX 78701, USA. Thanks')).toEqual({
      address1: '12 Oak Street',
      address2: 'Apt 3',
      city: 'Austin',
      province: 'TX',
      zip: '78701',
      country: 'USA',
    });
  });
});
