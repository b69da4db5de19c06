import { detectLanguage } from './language';

describe('detectLanguage', () => {
  it.each([
    ['Where is my order? I have been waiting for two weeks.', 'en'],
    ['Wo ist meine Bestellung? Ich warte schon seit zwei Wochen.', 'de'],
    ["Où est ma commande ? Je ne l'ai toujours pas reçue.", 'fr'],
    ['¿Dónde está mi pedido? Todavía no lo he recibido.', 'es'],
    ['Dov’è il mio ordine? Non l’ho ancora ricevuto e sono passati giorni.', 'it'],
    ['Onde está a minha encomenda? Ainda não recebi nada.', 'pt'],
    ['Waar is mijn bestelling? Ik heb nog niets ontvangen.', 'nl'],
    ['我的订单在哪里？', 'zh'],
    ['注文した商品はまだ届いていません', 'ja'],
    ['Где мой заказ?', 'ru'],
  ])('recognizes %s as %s', (text, language) => {
    expect(detectLanguage(text).language).toBe(language);
  });

  it('leaves a one-word message undetermined rather than guessing', () => {
    expect(detectLanguage('ok').language).toBe('und');
    expect(detectLanguage('12345').language).toBe('und');
  });
});
