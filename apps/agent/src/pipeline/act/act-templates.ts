import { fillTemplate, type ReplyLanguage } from '@cs/contracts';

export type FlowTemplate =
  | 'askWhichOrder'
  | 'askReturnItems'
  | 'askExchangeItems'
  | 'askVariant'
  | 'askRefund'
  | 'askAddress'
  | 'returnConfirm'
  | 'exchangeConfirm'
  | 'addressConfirm'
  | 'returnDone'
  | 'exchangeDone'
  | 'addressDone'
  | 'notDelivered'
  | 'addressNotPossible'
  | 'noOrders'
  | 'changeNotDone'
  | 'changeUnknown'
  | 'changeAwaitsApproval'
  | 'refundOriginal'
  | 'refundStoreCredit'
  | 'notAvailable'
  | 'askCancelReason'
  | 'askWhichItem'
  | 'refundTotal'
  | 'payMore'
  | 'getBack'
  | 'cancelWholeOnly';

/**
 * The sentences of the return, exchange and address flows (the order-status and cancel ones are in
 * text/templates.ts). `{order}` an order number, `{items}` a list of lines, `{refund}` one of the
 * refund sentences, `{address}` an address on one line. A language or a sentence missing does not compile.
 */
export const FLOW_TEMPLATES: Record<ReplyLanguage, Record<FlowTemplate, string>> = {
  en: {
    askWhichOrder: 'Which order is it about? {orders}',
    askReturnItems: 'Which items of order {order} would you like to return? It has: {items}.',
    askExchangeItems: 'Which items of order {order} would you like to exchange, and for what? It has: {items}.',
    askVariant: 'What would you like instead of {item}? Available: {options}.',
    askRefund: 'Should the refund go to your original payment method or to store credit (a gift card)?',
    askAddress: 'What is the new shipping address for order {order}? Please send the street, city, zip code and country on one line.',
    returnConfirm: 'Do you want me to request a return of {items} from order {order}, refunded to {refund}? Reply "yes" to request it or "no" to keep everything as it is.',
    exchangeConfirm: 'Do you want me to exchange {items} on order {order}? Any price difference goes to or from {refund}. Reply "yes" to request it or "no" to keep everything as it is.',
    addressConfirm: 'Do you want me to change the shipping address of order {order} to {address}? Reply "yes" to change it or "no" to keep it.',
    returnDone: "Done: I've requested the return of {items} from order {order}. You'll receive an email explaining how to send them back.",
    exchangeDone: "Done: I've requested the exchange of {items} on order {order}. You'll receive an email explaining how to send the items back.",
    addressDone: 'Done: order {order} will be shipped to {address}.',
    notDelivered: "Order {order} hasn't been delivered yet, so it can't be returned or exchanged yet.",
    addressNotPossible: 'Order {order} has already shipped, so its shipping address can no longer be changed.',
    noOrders: "I couldn't find an order of yours for that. Could you send me the order number?",
    changeNotDone: "I couldn't make that change to order {order}, so nothing has been changed.",
    changeUnknown: "I can't confirm yet whether the change to order {order} was made.",
    changeAwaitsApproval: "I've asked our team to approve this change to order {order}; it is not done yet.",
    refundOriginal: 'your original payment method',
    refundStoreCredit: 'store credit (a gift card)',
    notAvailable: "I couldn't find {item} in the options you asked for. Available: {options}.",
    askCancelReason: 'You can also tell me why: no longer needed, or ordered by mistake.',
    askWhichItem: 'Which {item} do you mean: {choices}?',
    refundTotal: 'The refund comes to {amount}.',
    payMore: 'You pay {amount} more.',
    getBack: 'You get {amount} back.',
    cancelWholeOnly: 'I can only cancel a whole order, not single items.',
  },
  de: {
    askWhichOrder: 'Um welche Bestellung geht es? {orders}',
    askReturnItems: 'Welche Artikel aus Bestellung {order} möchten Sie zurückgeben? Sie enthält: {items}.',
    askExchangeItems: 'Welche Artikel aus Bestellung {order} möchten Sie umtauschen, und wogegen? Sie enthält: {items}.',
    askVariant: 'Was möchten Sie statt {item}? Verfügbar: {options}.',
    askRefund: 'Soll die Erstattung auf Ihre ursprüngliche Zahlungsart gehen oder als Guthaben (Geschenkkarte)?',
    askAddress: 'Wie lautet die neue Lieferadresse für Bestellung {order}? Bitte schicken Sie Straße, Ort, Postleitzahl und Land in einer Zeile.',
    returnConfirm: 'Soll ich eine Rückgabe von {items} aus Bestellung {order} anfordern, erstattet auf {refund}? Antworten Sie „ja“, um sie anzufordern, oder „nein“, um alles so zu lassen.',
    exchangeConfirm: 'Soll ich {items} aus Bestellung {order} umtauschen? Eine Preisdifferenz wird über {refund} verrechnet. Antworten Sie „ja“, um ihn anzufordern, oder „nein“, um alles so zu lassen.',
    addressConfirm: 'Soll ich die Lieferadresse von Bestellung {order} auf {address} ändern? Antworten Sie „ja“ zum Ändern oder „nein“, um sie zu behalten.',
    returnDone: 'Erledigt: Ich habe die Rückgabe von {items} aus Bestellung {order} angefordert. Sie erhalten eine E-Mail, wie Sie die Artikel zurücksenden.',
    exchangeDone: 'Erledigt: Ich habe den Umtausch von {items} aus Bestellung {order} angefordert. Sie erhalten eine E-Mail, wie Sie die Artikel zurücksenden.',
    addressDone: 'Erledigt: Bestellung {order} wird an {address} geliefert.',
    notDelivered: 'Bestellung {order} wurde noch nicht zugestellt und kann daher noch nicht zurückgegeben oder umgetauscht werden.',
    addressNotPossible: 'Bestellung {order} wurde bereits versandt, daher kann die Lieferadresse nicht mehr geändert werden.',
    noOrders: 'Ich konnte dazu keine Bestellung von Ihnen finden. Könnten Sie mir die Bestellnummer schicken?',
    changeNotDone: 'Ich konnte diese Änderung an Bestellung {order} nicht vornehmen, es wurde also nichts geändert.',
    changeUnknown: 'Ich kann noch nicht bestätigen, ob die Änderung an Bestellung {order} vorgenommen wurde.',
    changeAwaitsApproval: 'Ich habe unser Team gebeten, diese Änderung an Bestellung {order} freizugeben; sie ist noch nicht erledigt.',
    refundOriginal: 'Ihre ursprüngliche Zahlungsart',
    refundStoreCredit: 'Guthaben (Geschenkkarte)',
    notAvailable: 'Ich konnte {item} nicht in den gewünschten Optionen finden. Verfügbar: {options}.',
    askCancelReason: 'Sie können mir auch sagen, warum: nicht mehr benötigt oder versehentlich bestellt.',
    askWhichItem: 'Welchen Artikel „{item}“ meinen Sie: {choices}?',
    refundTotal: 'Die Erstattung beträgt {amount}.',
    payMore: 'Sie zahlen {amount} dazu.',
    getBack: 'Sie erhalten {amount} zurück.',
    cancelWholeOnly: 'Ich kann nur eine ganze Bestellung stornieren, keine einzelnen Artikel.',
  },
  fr: {
    askWhichOrder: 'De quelle commande s’agit-il ? {orders}',
    askReturnItems: 'Quels articles de la commande {order} souhaitez-vous retourner ? Elle contient : {items}.',
    askExchangeItems: 'Quels articles de la commande {order} souhaitez-vous échanger, et contre quoi ? Elle contient : {items}.',
    askVariant: 'Que souhaitez-vous à la place de {item} ? Disponible : {options}.',
    askRefund: 'Le remboursement doit-il aller sur votre moyen de paiement d’origine ou en avoir (carte cadeau) ?',
    askAddress: 'Quelle est la nouvelle adresse de livraison de la commande {order} ? Envoyez la rue, la ville, le code postal et le pays sur une ligne.',
    returnConfirm: 'Voulez-vous que je demande le retour de {items} de la commande {order}, remboursé sur {refund} ? Répondez « oui » pour le demander ou « non » pour ne rien changer.',
    exchangeConfirm: 'Voulez-vous que j’échange {items} de la commande {order} ? Une différence de prix passe par {refund}. Répondez « oui » pour le demander ou « non » pour ne rien changer.',
    addressConfirm: 'Voulez-vous que je remplace l’adresse de livraison de la commande {order} par {address} ? Répondez « oui » pour la changer ou « non » pour la garder.',
    returnDone: 'C’est fait : j’ai demandé le retour de {items} de la commande {order}. Vous recevrez un e-mail expliquant comment les renvoyer.',
    exchangeDone: 'C’est fait : j’ai demandé l’échange de {items} de la commande {order}. Vous recevrez un e-mail expliquant comment renvoyer les articles.',
    addressDone: 'C’est fait : la commande {order} sera livrée à {address}.',
    notDelivered: 'La commande {order} n’a pas encore été livrée, elle ne peut donc pas encore être retournée ni échangée.',
    addressNotPossible: 'La commande {order} a déjà été expédiée, son adresse de livraison ne peut donc plus être modifiée.',
    noOrders: 'Je n’ai trouvé aucune commande de votre part pour cela. Pourriez-vous m’envoyer le numéro de commande ?',
    changeNotDone: 'Je n’ai pas pu faire cette modification sur la commande {order}, rien n’a donc été changé.',
    changeUnknown: 'Je ne peux pas encore confirmer si la modification de la commande {order} a été faite.',
    changeAwaitsApproval: 'J’ai demandé à notre équipe d’approuver cette modification de la commande {order} ; elle n’est pas encore faite.',
    refundOriginal: 'votre moyen de paiement d’origine',
    refundStoreCredit: 'un avoir (carte cadeau)',
    notAvailable: 'Je n’ai pas trouvé {item} dans les options demandées. Disponible : {options}.',
    askCancelReason: 'Vous pouvez aussi me dire pourquoi : plus nécessaire, ou commandé par erreur.',
    askWhichItem: 'Quel article « {item} » voulez-vous dire : {choices} ?',
    refundTotal: 'Le remboursement s’élève à {amount}.',
    payMore: 'Vous payez {amount} de plus.',
    getBack: 'Vous récupérez {amount}.',
    cancelWholeOnly: 'Je ne peux annuler qu’une commande entière, pas des articles seuls.',
  },
  es: {
    askWhichOrder: '¿De qué pedido se trata? {orders}',
    askReturnItems: '¿Qué artículos del pedido {order} quiere devolver? Contiene: {items}.',
    askExchangeItems: '¿Qué artículos del pedido {order} quiere cambiar, y por cuáles? Contiene: {items}.',
    askVariant: '¿Qué le gustaría en lugar de {item}? Disponible: {options}.',
    askRefund: '¿El reembolso debe ir a su método de pago original o como saldo (tarjeta regalo)?',
    askAddress: '¿Cuál es la nueva dirección de envío del pedido {order}? Envíe la calle, la ciudad, el código postal y el país en una línea.',
    returnConfirm: '¿Quiere que solicite la devolución de {items} del pedido {order}, reembolsada a {refund}? Responda «sí» para solicitarla o «no» para dejarlo todo como está.',
    exchangeConfirm: '¿Quiere que cambie {items} del pedido {order}? La diferencia de precio se cobra o devuelve con {refund}. Responda «sí» para solicitarlo o «no» para dejarlo todo como está.',
    addressConfirm: '¿Quiere que cambie la dirección de envío del pedido {order} a {address}? Responda «sí» para cambiarla o «no» para mantenerla.',
    returnDone: 'Hecho: he solicitado la devolución de {items} del pedido {order}. Recibirá un correo explicando cómo enviarlos de vuelta.',
    exchangeDone: 'Hecho: he solicitado el cambio de {items} del pedido {order}. Recibirá un correo explicando cómo enviar los artículos de vuelta.',
    addressDone: 'Hecho: el pedido {order} se enviará a {address}.',
    notDelivered: 'El pedido {order} aún no se ha entregado, así que todavía no se puede devolver ni cambiar.',
    addressNotPossible: 'El pedido {order} ya se ha enviado, así que su dirección de envío ya no se puede cambiar.',
    noOrders: 'No he encontrado ningún pedido suyo para eso. ¿Podría enviarme el número de pedido?',
    changeNotDone: 'No he podido hacer ese cambio en el pedido {order}, así que no se ha modificado nada.',
    changeUnknown: 'Todavía no puedo confirmar si se hizo el cambio en el pedido {order}.',
    changeAwaitsApproval: 'He pedido a nuestro equipo que apruebe este cambio en el pedido {order}; todavía no está hecho.',
    refundOriginal: 'su método de pago original',
    refundStoreCredit: 'saldo (tarjeta regalo)',
    notAvailable: 'No he encontrado {item} con las opciones que pidió. Disponible: {options}.',
    askCancelReason: 'También puede decirme por qué: ya no lo necesita, o lo pidió por error.',
    askWhichItem: '¿Qué {item} quiere decir: {choices}?',
    refundTotal: 'El reembolso asciende a {amount}.',
    payMore: 'Paga {amount} más.',
    getBack: 'Recibe {amount} de vuelta.',
    cancelWholeOnly: 'Solo puedo cancelar un pedido completo, no artículos sueltos.',
  },
  it: {
    askWhichOrder: 'Di quale ordine si tratta? {orders}',
    askReturnItems: "Quali articoli dell'ordine {order} vuole restituire? Contiene: {items}.",
    askExchangeItems: "Quali articoli dell'ordine {order} vuole cambiare, e con cosa? Contiene: {items}.",
    askVariant: 'Cosa desidera al posto di {item}? Disponibile: {options}.',
    askRefund: 'Il rimborso deve andare sul metodo di pagamento originale o come credito (carta regalo)?',
    askAddress: "Qual è il nuovo indirizzo di spedizione dell'ordine {order}? Invii via, città, CAP e paese su una riga.",
    returnConfirm: "Vuole che richieda il reso di {items} dall'ordine {order}, rimborsato su {refund}? Risponda «sì» per richiederlo o «no» per lasciare tutto com'è.",
    exchangeConfirm: "Vuole che cambi {items} dell'ordine {order}? Un'eventuale differenza di prezzo passa da {refund}. Risponda «sì» per richiederlo o «no» per lasciare tutto com'è.",
    addressConfirm: "Vuole che cambi l'indirizzo di spedizione dell'ordine {order} in {address}? Risponda «sì» per cambiarlo o «no» per mantenerlo.",
    returnDone: "Fatto: ho richiesto il reso di {items} dall'ordine {order}. Riceverà un'e-mail che spiega come rispedirli.",
    exchangeDone: "Fatto: ho richiesto il cambio di {items} dell'ordine {order}. Riceverà un'e-mail che spiega come rispedire gli articoli.",
    addressDone: "Fatto: l'ordine {order} sarà spedito a {address}.",
    notDelivered: "L'ordine {order} non è ancora stato consegnato, quindi non può ancora essere reso o cambiato.",
    addressNotPossible: "L'ordine {order} è già stato spedito, quindi il suo indirizzo di spedizione non può più essere cambiato.",
    noOrders: "Non ho trovato un suo ordine per questo. Potrebbe inviarmi il numero dell'ordine?",
    changeNotDone: "Non sono riuscito a fare questa modifica all'ordine {order}, quindi non è stato cambiato nulla.",
    changeUnknown: "Non posso ancora confermare se la modifica all'ordine {order} è stata fatta.",
    changeAwaitsApproval: "Ho chiesto al nostro team di approvare questa modifica all'ordine {order}; non è ancora fatta.",
    refundOriginal: 'il metodo di pagamento originale',
    refundStoreCredit: 'credito (carta regalo)',
    notAvailable: 'Non ho trovato {item} con le opzioni richieste. Disponibile: {options}.',
    askCancelReason: 'Può anche dirmi il motivo: non serve più, oppure ordinato per errore.',
    askWhichItem: 'Quale {item} intende: {choices}?',
    refundTotal: 'Il rimborso è di {amount}.',
    payMore: 'Paga {amount} in più.',
    getBack: 'Riceve indietro {amount}.',
    cancelWholeOnly: 'Posso annullare solo un ordine intero, non singoli articoli.',
  },
  pt: {
    askWhichOrder: 'De qual pedido se trata? {orders}',
    askReturnItems: 'Quais itens do pedido {order} deseja devolver? Ele contém: {items}.',
    askExchangeItems: 'Quais itens do pedido {order} deseja trocar, e por quais? Ele contém: {items}.',
    askVariant: 'O que deseja no lugar de {item}? Disponível: {options}.',
    askRefund: 'O reembolso deve ir para o seu meio de pagamento original ou como crédito (cartão-presente)?',
    askAddress: 'Qual é o novo endereço de entrega do pedido {order}? Envie a rua, a cidade, o CEP e o país numa linha.',
    returnConfirm: 'Quer que eu solicite a devolução de {items} do pedido {order}, reembolsada para {refund}? Responda "sim" para solicitar ou "não" para deixar tudo como está.',
    exchangeConfirm: 'Quer que eu troque {items} do pedido {order}? Uma diferença de preço passa por {refund}. Responda "sim" para solicitar ou "não" para deixar tudo como está.',
    addressConfirm: 'Quer que eu mude o endereço de entrega do pedido {order} para {address}? Responda "sim" para mudar ou "não" para manter.',
    returnDone: 'Feito: solicitei a devolução de {items} do pedido {order}. Vai receber um e-mail explicando como enviá-los de volta.',
    exchangeDone: 'Feito: solicitei a troca de {items} do pedido {order}. Vai receber um e-mail explicando como enviar os itens de volta.',
    addressDone: 'Feito: o pedido {order} será entregue em {address}.',
    notDelivered: 'O pedido {order} ainda não foi entregue, por isso ainda não pode ser devolvido nem trocado.',
    addressNotPossible: 'O pedido {order} já foi enviado, por isso o endereço de entrega já não pode ser alterado.',
    noOrders: 'Não encontrei nenhum pedido seu para isso. Pode enviar-me o número do pedido?',
    changeNotDone: 'Não consegui fazer essa alteração no pedido {order}, por isso nada foi alterado.',
    changeUnknown: 'Ainda não consigo confirmar se a alteração no pedido {order} foi feita.',
    changeAwaitsApproval: 'Pedi à nossa equipa que aprove esta alteração no pedido {order}; ainda não está feita.',
    refundOriginal: 'o seu meio de pagamento original',
    refundStoreCredit: 'crédito (cartão-presente)',
    notAvailable: 'Não encontrei {item} nas opções pedidas. Disponível: {options}.',
    askCancelReason: 'Também pode dizer-me porquê: já não é necessário, ou encomendado por engano.',
    askWhichItem: 'Qual {item} quer dizer: {choices}?',
    refundTotal: 'O reembolso é de {amount}.',
    payMore: 'Paga mais {amount}.',
    getBack: 'Recebe {amount} de volta.',
    cancelWholeOnly: 'Só posso cancelar um pedido inteiro, não itens individuais.',
  },
  nl: {
    askWhichOrder: 'Over welke bestelling gaat het? {orders}',
    askReturnItems: 'Welke artikelen uit bestelling {order} wilt u retourneren? Erin zit: {items}.',
    askExchangeItems: 'Welke artikelen uit bestelling {order} wilt u ruilen, en waarvoor? Erin zit: {items}.',
    askVariant: 'Wat wilt u in plaats van {item}? Beschikbaar: {options}.',
    askRefund: 'Moet de terugbetaling naar uw oorspronkelijke betaalmethode of als tegoed (cadeaukaart)?',
    askAddress: 'Wat is het nieuwe bezorgadres voor bestelling {order}? Stuur straat, plaats, postcode en land op één regel.',
    returnConfirm: 'Zal ik een retour aanvragen van {items} uit bestelling {order}, terugbetaald naar {refund}? Antwoord "ja" om het aan te vragen of "nee" om alles te laten zoals het is.',
    exchangeConfirm: 'Zal ik {items} uit bestelling {order} ruilen? Een prijsverschil loopt via {refund}. Antwoord "ja" om het aan te vragen of "nee" om alles te laten zoals het is.',
    addressConfirm: 'Zal ik het bezorgadres van bestelling {order} wijzigen in {address}? Antwoord "ja" om het te wijzigen of "nee" om het te houden.',
    returnDone: 'Klaar: ik heb de retour van {items} uit bestelling {order} aangevraagd. U ontvangt een e-mail over hoe u ze terugstuurt.',
    exchangeDone: 'Klaar: ik heb de ruil van {items} uit bestelling {order} aangevraagd. U ontvangt een e-mail over hoe u de artikelen terugstuurt.',
    addressDone: 'Klaar: bestelling {order} wordt bezorgd op {address}.',
    notDelivered: 'Bestelling {order} is nog niet bezorgd en kan dus nog niet worden geretourneerd of geruild.',
    addressNotPossible: 'Bestelling {order} is al verzonden, dus het bezorgadres kan niet meer worden gewijzigd.',
    noOrders: 'Ik kon daarvoor geen bestelling van u vinden. Kunt u mij het bestelnummer sturen?',
    changeNotDone: 'Ik kon die wijziging aan bestelling {order} niet doen, er is dus niets veranderd.',
    changeUnknown: 'Ik kan nog niet bevestigen of de wijziging aan bestelling {order} is gedaan.',
    changeAwaitsApproval: 'Ik heb ons team gevraagd deze wijziging aan bestelling {order} goed te keuren; ze is nog niet gedaan.',
    refundOriginal: 'uw oorspronkelijke betaalmethode',
    refundStoreCredit: 'tegoed (cadeaukaart)',
    notAvailable: 'Ik kon {item} niet vinden in de gevraagde opties. Beschikbaar: {options}.',
    askCancelReason: 'U kunt ook zeggen waarom: niet meer nodig, of per vergissing besteld.',
    askWhichItem: 'Welk artikel „{item}” bedoelt u: {choices}?',
    refundTotal: 'De terugbetaling bedraagt {amount}.',
    payMore: 'U betaalt {amount} bij.',
    getBack: 'U krijgt {amount} terug.',
    cancelWholeOnly: 'Ik kan alleen een hele bestelling annuleren, geen losse artikelen.',
  },
};

export function renderFlow(language: ReplyLanguage, name: FlowTemplate, values: Record<string, string> = {}): string {
  return fillTemplate(FLOW_TEMPLATES[language][name], values);
}
