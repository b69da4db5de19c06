import { fillTemplate, type ReplyLanguage } from '@cs/contracts';

export type ChangeTemplate =
  | 'askModifyItems'
  | 'modifyConfirm'
  | 'modifyDone'
  | 'modifyNotPossible'
  | 'returnApproved'
  | 'returnRequestedApproved'
  | 'returnRejected'
  | 'exchangeApproved'
  | 'exchangeRequestedApproved'
  | 'exchangeRejected'
  | 'addressApproved'
  | 'addressRejected'
  | 'modifyApproved'
  | 'modifyRejected'
  | 'refundsTogether'
  | 'offerFurther';

/**
 * The sentences of the item-change flow (items of an order not shipped yet swapped for other
 * variants), and what the customer is told after a person approved or rejected a return, exchange,
 * address change or item change (`…Approved`: the shop did it; `…RequestedApproved`: the shop took
 * the request and processes it). `{order}` an order number, `{items}` a list of "old → new" lines,
 * `{refund}` one of the refund sentences. A language or a sentence missing does not compile.
 */
export const CHANGE_TEMPLATES: Record<ReplyLanguage, Record<ChangeTemplate, string>> = {
  en: {
    askModifyItems: 'Which items of order {order} would you like to change, and to what? It has: {items}.',
    modifyConfirm: 'Do you want me to change {items} on order {order}? Any price difference goes to or from {refund}. Reply "yes" to change them or "no" to keep everything as it is.',
    modifyDone: "Done: I've changed {items} on order {order}.",
    modifyNotPossible: 'Order {order} has already shipped, so its items can no longer be changed.',
    returnApproved: 'Our team approved your return for order {order}, and it has been created.',
    returnRequestedApproved: "Our team approved your return for order {order}; it has been requested, and you'll receive an email explaining how to send the items back.",
    returnRejected: 'Our team did not approve the return for order {order}, so nothing has been changed.',
    exchangeApproved: 'Our team approved your exchange for order {order}, and it has been created.',
    exchangeRequestedApproved: "Our team approved your exchange for order {order}; it has been requested, and you'll receive an email explaining how to send the items back.",
    exchangeRejected: 'Our team did not approve the exchange for order {order}, so nothing has been changed.',
    addressApproved: 'Our team approved the new shipping address for order {order}, and it has been changed.',
    addressRejected: 'Our team did not approve changing the shipping address of order {order}, so it stays as it was.',
    modifyApproved: 'Our team approved the change of items on order {order}, and it has been made.',
    modifyRejected: 'Our team did not approve changing the items of order {order}, so nothing has been changed.',
    refundsTogether: 'With your earlier requests in this conversation, the refunds come to {amount} in total.',
    offerFurther: 'Order {order} ({items}) is part of what you asked too. Shall I do the same for it? Reply "yes" to go on or "no" to leave it.',
  },
  de: {
    askModifyItems: 'Welche Artikel der Bestellung {order} möchten Sie ändern, und wogegen? Sie enthält: {items}.',
    modifyConfirm: 'Soll ich {items} in Bestellung {order} ändern? Ein Preisunterschied wird über {refund} verrechnet. Antworten Sie „ja“, um sie zu ändern, oder „nein“, um alles zu lassen, wie es ist.',
    modifyDone: 'Erledigt: Ich habe {items} in Bestellung {order} geändert.',
    modifyNotPossible: 'Bestellung {order} wurde bereits versandt, daher können ihre Artikel nicht mehr geändert werden.',
    returnApproved: 'Unser Team hat Ihre Rückgabe zu Bestellung {order} freigegeben, sie wurde angelegt.',
    returnRequestedApproved: 'Unser Team hat Ihre Rückgabe zu Bestellung {order} freigegeben; sie ist angefordert, und Sie erhalten eine E-Mail, wie Sie die Artikel zurücksenden.',
    returnRejected: 'Unser Team hat die Rückgabe zu Bestellung {order} nicht freigegeben, daher wurde nichts geändert.',
    exchangeApproved: 'Unser Team hat Ihren Umtausch zu Bestellung {order} freigegeben, er wurde angelegt.',
    exchangeRequestedApproved: 'Unser Team hat Ihren Umtausch zu Bestellung {order} freigegeben; er ist angefordert, und Sie erhalten eine E-Mail, wie Sie die Artikel zurücksenden.',
    exchangeRejected: 'Unser Team hat den Umtausch zu Bestellung {order} nicht freigegeben, daher wurde nichts geändert.',
    addressApproved: 'Unser Team hat die neue Lieferadresse für Bestellung {order} freigegeben, sie wurde geändert.',
    addressRejected: 'Unser Team hat die Änderung der Lieferadresse von Bestellung {order} nicht freigegeben, sie bleibt, wie sie war.',
    modifyApproved: 'Unser Team hat die Änderung der Artikel in Bestellung {order} freigegeben, sie wurde vorgenommen.',
    modifyRejected: 'Unser Team hat die Änderung der Artikel in Bestellung {order} nicht freigegeben, daher wurde nichts geändert.',
    refundsTogether: 'Zusammen mit Ihren früheren Anfragen in diesem Gespräch betragen die Erstattungen insgesamt {amount}.',
    offerFurther: 'Bestellung {order} ({items}) gehört auch zu Ihrer Anfrage. Soll ich dort dasselbe tun? Antworten Sie „ja“, um fortzufahren, oder „nein“, um sie zu lassen.',
  },
  fr: {
    askModifyItems: 'Quels articles de la commande {order} souhaitez-vous modifier, et pour quoi ? Elle contient : {items}.',
    modifyConfirm: 'Voulez-vous que je remplace {items} dans la commande {order} ? Toute différence de prix passe par {refund}. Répondez « oui » pour les modifier ou « non » pour tout laisser tel quel.',
    modifyDone: 'C’est fait : j’ai remplacé {items} dans la commande {order}.',
    modifyNotPossible: 'La commande {order} est déjà expédiée, ses articles ne peuvent donc plus être modifiés.',
    returnApproved: 'Notre équipe a approuvé votre retour pour la commande {order}, et il a été créé.',
    returnRequestedApproved: 'Notre équipe a approuvé votre retour pour la commande {order} ; il est demandé, et vous recevrez un e-mail expliquant comment renvoyer les articles.',
    returnRejected: "Notre équipe n'a pas approuvé le retour pour la commande {order}, donc rien n'a été modifié.",
    exchangeApproved: 'Notre équipe a approuvé votre échange pour la commande {order}, et il a été créé.',
    exchangeRequestedApproved: 'Notre équipe a approuvé votre échange pour la commande {order} ; il est demandé, et vous recevrez un e-mail expliquant comment renvoyer les articles.',
    exchangeRejected: "Notre équipe n'a pas approuvé l'échange pour la commande {order}, donc rien n'a été modifié.",
    addressApproved: 'Notre équipe a approuvé la nouvelle adresse de livraison de la commande {order}, et elle a été modifiée.',
    addressRejected: "Notre équipe n'a pas approuvé le changement d'adresse de la commande {order}, elle reste donc inchangée.",
    modifyApproved: 'Notre équipe a approuvé la modification des articles de la commande {order}, et elle a été faite.',
    modifyRejected: "Notre équipe n'a pas approuvé la modification des articles de la commande {order}, donc rien n'a été modifié.",
    refundsTogether: 'Avec vos demandes précédentes dans cette conversation, les remboursements s’élèvent à {amount} au total.',
    offerFurther: 'La commande {order} ({items}) fait aussi partie de votre demande. Dois-je faire de même pour elle ? Répondez « oui » pour continuer ou « non » pour la laisser.',
  },
  es: {
    askModifyItems: '¿Qué artículos del pedido {order} quiere cambiar, y por cuáles? Contiene: {items}.',
    modifyConfirm: '¿Quiere que cambie {items} en el pedido {order}? Cualquier diferencia de precio va a o desde {refund}. Responda «sí» para cambiarlos o «no» para dejarlo todo como está.',
    modifyDone: 'Hecho: he cambiado {items} en el pedido {order}.',
    modifyNotPossible: 'El pedido {order} ya se ha enviado, así que sus artículos ya no se pueden cambiar.',
    returnApproved: 'Nuestro equipo aprobó su devolución del pedido {order}, y se ha creado.',
    returnRequestedApproved: 'Nuestro equipo aprobó su devolución del pedido {order}; está solicitada, y recibirá un correo explicando cómo enviar los artículos de vuelta.',
    returnRejected: 'Nuestro equipo no aprobó la devolución del pedido {order}, así que no se ha cambiado nada.',
    exchangeApproved: 'Nuestro equipo aprobó su cambio del pedido {order}, y se ha creado.',
    exchangeRequestedApproved: 'Nuestro equipo aprobó su cambio del pedido {order}; está solicitado, y recibirá un correo explicando cómo enviar los artículos de vuelta.',
    exchangeRejected: 'Nuestro equipo no aprobó el cambio del pedido {order}, así que no se ha cambiado nada.',
    addressApproved: 'Nuestro equipo aprobó la nueva dirección de envío del pedido {order}, y se ha cambiado.',
    addressRejected: 'Nuestro equipo no aprobó cambiar la dirección de envío del pedido {order}, así que sigue igual.',
    modifyApproved: 'Nuestro equipo aprobó el cambio de artículos del pedido {order}, y se ha hecho.',
    modifyRejected: 'Nuestro equipo no aprobó cambiar los artículos del pedido {order}, así que no se ha cambiado nada.',
    refundsTogether: 'Junto con sus solicitudes anteriores en esta conversación, los reembolsos suman {amount} en total.',
    offerFurther: 'El pedido {order} ({items}) también forma parte de lo que pidió. ¿Hago lo mismo con él? Responda «sí» para seguir o «no» para dejarlo.',
  },
  it: {
    askModifyItems: "Quali articoli dell'ordine {order} vuole cambiare, e con cosa? Contiene: {items}.",
    modifyConfirm: "Vuole che cambi {items} nell'ordine {order}? Un'eventuale differenza di prezzo va a o da {refund}. Risponda «sì» per cambiarli o «no» per lasciare tutto com'è.",
    modifyDone: "Fatto: ho cambiato {items} nell'ordine {order}.",
    modifyNotPossible: "L'ordine {order} è già stato spedito, quindi i suoi articoli non si possono più cambiare.",
    returnApproved: "Il nostro team ha approvato il suo reso dell'ordine {order}, ed è stato creato.",
    returnRequestedApproved: "Il nostro team ha approvato il suo reso dell'ordine {order}; è stato richiesto, e riceverà un'e-mail che spiega come rispedire gli articoli.",
    returnRejected: "Il nostro team non ha approvato il reso dell'ordine {order}, quindi non è stato cambiato nulla.",
    exchangeApproved: "Il nostro team ha approvato il suo cambio dell'ordine {order}, ed è stato creato.",
    exchangeRequestedApproved: "Il nostro team ha approvato il suo cambio dell'ordine {order}; è stato richiesto, e riceverà un'e-mail che spiega come rispedire gli articoli.",
    exchangeRejected: "Il nostro team non ha approvato il cambio dell'ordine {order}, quindi non è stato cambiato nulla.",
    addressApproved: "Il nostro team ha approvato il nuovo indirizzo di spedizione dell'ordine {order}, ed è stato cambiato.",
    addressRejected: "Il nostro team non ha approvato il cambio di indirizzo dell'ordine {order}, quindi resta com'era.",
    modifyApproved: "Il nostro team ha approvato il cambio di articoli dell'ordine {order}, ed è stato fatto.",
    modifyRejected: "Il nostro team non ha approvato il cambio di articoli dell'ordine {order}, quindi non è stato cambiato nulla.",
    refundsTogether: 'Insieme alle sue richieste precedenti in questa conversazione, i rimborsi ammontano a {amount} in totale.',
    offerFurther: "Anche l'ordine {order} ({items}) rientra in ciò che ha chiesto. Faccio lo stesso per esso? Risponda «sì» per continuare o «no» per lasciarlo.",
  },
  pt: {
    askModifyItems: 'Que artigos do pedido {order} quer alterar, e para quais? Contém: {items}.',
    modifyConfirm: 'Quer que eu altere {items} no pedido {order}? Qualquer diferença de preço vai para ou vem de {refund}. Responda "sim" para os alterar ou "não" para deixar tudo como está.',
    modifyDone: 'Feito: alterei {items} no pedido {order}.',
    modifyNotPossible: 'O pedido {order} já foi enviado, por isso os seus artigos já não podem ser alterados.',
    returnApproved: 'A nossa equipa aprovou a sua devolução do pedido {order}, e ela foi criada.',
    returnRequestedApproved: 'A nossa equipa aprovou a sua devolução do pedido {order}; foi solicitada, e vai receber um e-mail explicando como enviar os artigos de volta.',
    returnRejected: 'A nossa equipa não aprovou a devolução do pedido {order}, por isso nada foi alterado.',
    exchangeApproved: 'A nossa equipa aprovou a sua troca do pedido {order}, e ela foi criada.',
    exchangeRequestedApproved: 'A nossa equipa aprovou a sua troca do pedido {order}; foi solicitada, e vai receber um e-mail explicando como enviar os artigos de volta.',
    exchangeRejected: 'A nossa equipa não aprovou a troca do pedido {order}, por isso nada foi alterado.',
    addressApproved: 'A nossa equipa aprovou o novo endereço de envio do pedido {order}, e ele foi alterado.',
    addressRejected: 'A nossa equipa não aprovou a alteração do endereço de envio do pedido {order}, por isso continua igual.',
    modifyApproved: 'A nossa equipa aprovou a alteração de artigos do pedido {order}, e ela foi feita.',
    modifyRejected: 'A nossa equipa não aprovou a alteração de artigos do pedido {order}, por isso nada foi alterado.',
    refundsTogether: 'Com os seus pedidos anteriores nesta conversa, os reembolsos somam {amount} no total.',
    offerFurther: 'O pedido {order} ({items}) também faz parte do que pediu. Faço o mesmo com ele? Responda "sim" para continuar ou "não" para o deixar.',
  },
  nl: {
    askModifyItems: 'Welke artikelen van bestelling {order} wilt u wijzigen, en waarin? Ze bevat: {items}.',
    modifyConfirm: 'Wilt u dat ik {items} in bestelling {order} wijzig? Een prijsverschil gaat naar of van {refund}. Antwoord „ja” om ze te wijzigen of „nee” om alles te laten zoals het is.',
    modifyDone: 'Klaar: ik heb {items} in bestelling {order} gewijzigd.',
    modifyNotPossible: 'Bestelling {order} is al verzonden, dus de artikelen kunnen niet meer worden gewijzigd.',
    returnApproved: 'Ons team heeft uw retour voor bestelling {order} goedgekeurd, en die is aangemaakt.',
    returnRequestedApproved: 'Ons team heeft uw retour voor bestelling {order} goedgekeurd; die is aangevraagd, en u ontvangt een e-mail over hoe u de artikelen terugstuurt.',
    returnRejected: 'Ons team heeft de retour voor bestelling {order} niet goedgekeurd, dus er is niets gewijzigd.',
    exchangeApproved: 'Ons team heeft uw ruil voor bestelling {order} goedgekeurd, en die is aangemaakt.',
    exchangeRequestedApproved: 'Ons team heeft uw ruil voor bestelling {order} goedgekeurd; die is aangevraagd, en u ontvangt een e-mail over hoe u de artikelen terugstuurt.',
    exchangeRejected: 'Ons team heeft de ruil voor bestelling {order} niet goedgekeurd, dus er is niets gewijzigd.',
    addressApproved: 'Ons team heeft het nieuwe verzendadres voor bestelling {order} goedgekeurd, en het is gewijzigd.',
    addressRejected: 'Ons team heeft de wijziging van het verzendadres van bestelling {order} niet goedgekeurd, dus het blijft zoals het was.',
    modifyApproved: 'Ons team heeft de wijziging van artikelen in bestelling {order} goedgekeurd, en die is gedaan.',
    modifyRejected: 'Ons team heeft de wijziging van artikelen in bestelling {order} niet goedgekeurd, dus er is niets gewijzigd.',
    refundsTogether: 'Samen met uw eerdere verzoeken in dit gesprek komen de terugbetalingen op {amount} in totaal.',
    offerFurther: 'Bestelling {order} ({items}) hoort ook bij uw verzoek. Zal ik daar hetzelfde doen? Antwoord „ja” om door te gaan of „nee” om het te laten.',
  },
};

export function renderChange(language: ReplyLanguage, name: ChangeTemplate, values: Record<string, string> = {}): string {
  return fillTemplate(CHANGE_TEMPLATES[language][name], values);
}
