import { fillTemplate, type ReplyLanguage } from '@cs/contracts';

export type TemplateName =
  | 'handoffAsked'
  | 'handoffUnsure'
  | 'handoffUpset'
  | 'handoffLanguage'
  | 'handoffRefused'
  | 'responseTime'
  | 'afterHours'
  | 'greeting'
  | 'thanks'
  | 'goodbye'
  | 'clarify'
  | 'actionAskOrder'
  | 'actionAskIdentity'
  | 'actionNotFound'
  | 'orderOpen'
  | 'orderShipped'
  | 'orderDelivered'
  | 'orderCancelled'
  | 'orderTracking'
  | 'cancelConfirm'
  | 'cancelDone'
  | 'cancelPending'
  | 'cancelNotPossible'
  | 'actionKept'
  | 'actionNotDone'
  | 'actionUnknown'
  | 'identityFailed'
  | 'actionLookupFailed'
  | 'cancelAwaitsApproval'
  | 'cancelRejected'
  | 'codeSent'
  | 'codeWrong'
  | 'codeMessage'
  | 'codeSubject'
  | 'requestDone'
  | 'requestPending'
  | 'requestFailed'
  | 'requestUnknown'
  | 'requestRejected'
  | 'handoffAction'
  | 'handoffFile'
  | 'csatAsk'
  | 'csatHowToAnswer'
  | 'csatThanks';

/**
 * Every sentence the agent writes itself rather than takes from an article. `{name}` placeholders:
 * `expectedResponseTime` (the tenant's, else `responseTime`; `afterHours` with `day`/`time` when the shop is closed), `shop`, `first`/`second` (article
 * titles). A language or a sentence missing here does not compile. The link label is in
 * libs/contracts (LINK_LABELS), as the SMS connector recognises it too.
 */
export const TEMPLATES: Record<ReplyLanguage, Record<TemplateName, string>> = {
  en: {
    handoffAsked: "Of course. I've passed your conversation to our team, and a person will reply here {expectedResponseTime}.",
    handoffUnsure:
      "I'm not sure I can answer that correctly, so I've passed your question to our team. A person will reply here {expectedResponseTime}.",
    handoffUpset: "I'm sorry about this. I've passed your conversation to our team, and a person will reply here {expectedResponseTime}.",
    handoffLanguage:
      "Sorry, I can't answer in your language yet, so I've passed your message to our team. A person will reply here {expectedResponseTime}.",
    handoffRefused: "I can't help with that request, so I've passed your message to our team. A person will reply here {expectedResponseTime}.",
    responseTime: 'as soon as possible',
    afterHours: 'when we open again on {day} at {time}',
    greeting: "Hello! I'm the {shop} assistant. Ask me anything about orders, delivery, returns or payments.",
    thanks: "You're welcome! Is there anything else I can help you with?",
    goodbye: 'Thanks for getting in touch. Have a great day!',
    clarify: 'Do you mean "{first}" or "{second}"?',
    // Actions on the shop (pipeline/act): sentences around a backend's reply, never the reply itself.
    actionAskOrder: 'Could you send me your order number?',
    actionAskIdentity: 'To find your order, please send me your order number and the email address you ordered with (or the shipping zip code).',
    actionNotFound: "I couldn't find an order matching those details. Please check the order number and the email address or zip code.",
    orderOpen: 'Order {order} has not shipped yet.',
    orderShipped: 'Order {order} has shipped.',
    orderDelivered: 'Order {order} has been delivered.',
    orderCancelled: 'Order {order} has been cancelled.',
    orderTracking: 'Tracking number: {tracking}.',
    cancelConfirm: "Do you want me to cancel order {order} ({items})? This cannot be undone. Reply \"yes\" to cancel it or \"no\" to keep it.",
    cancelDone: 'Done: order {order} has been cancelled.',
    cancelPending: "I've asked the shop to cancel order {order}. It is still being processed, so it is not cancelled yet.",
    cancelNotPossible: 'Order {order} has already shipped, so it can no longer be cancelled.',
    actionKept: "All right, I haven't changed anything on order {order}.",
    actionNotDone: "I couldn't cancel order {order}, so nothing has been changed.",
    actionUnknown: "I can't confirm yet whether order {order} was cancelled.",
    identityFailed: "I couldn't verify that this order is yours.",
    actionLookupFailed: "I couldn't look up order {order} right now.",
    cancelAwaitsApproval: "I've asked our team to approve cancelling order {order}; it is not cancelled yet.",
    cancelRejected: "Our team did not approve cancelling order {order}, so nothing has been changed.",
    codeSent: "To make sure it's you, I've sent a one-time code to {destination}. Please type the code here.",
    codeWrong: "That code isn't right. Please check it and type it again.",
    codeMessage: 'Your verification code is {code}. It expires in {minutes} minutes. If you did not ask for it, ignore this message.',
    codeSubject: 'Your verification code',
    requestDone: 'Done: your request for order {order} has been carried out.',
    requestPending: 'Your request for order {order} has been passed to the shop and is still being processed.',
    requestFailed: "Your request for order {order} couldn't be carried out, so nothing has been changed.",
    requestUnknown: "I can't confirm yet whether your request for order {order} was carried out.",
    requestRejected: 'Our team did not approve your request for order {order}, so nothing has been changed.',
    handoffAction: "I've passed your request to our team, and a person will reply here {expectedResponseTime}.",
    handoffFile: 'Thank you, I received your file ({files}). A person from our team will look at it and reply here {expectedResponseTime}.',
    // The satisfaction survey after a resolved conversation (email, SMS, WhatsApp, Slack).
    csatAsk: 'How would you rate the help you got?',
    csatHowToAnswer: 'Reply with a number from 1 (poor) to 5 (excellent).',
    csatThanks: 'Thank you for your rating!',
  },
  de: {
    handoffAsked: 'Gern. Ich habe Ihr Anliegen an unser Team weitergegeben, und jemand aus dem Team antwortet Ihnen hier {expectedResponseTime}.',
    handoffUnsure:
      'Ich bin nicht sicher, ob ich das richtig beantworten kann, deshalb habe ich Ihre Frage an unser Team weitergegeben. Jemand aus dem Team antwortet Ihnen hier {expectedResponseTime}.',
    handoffUpset: 'Das tut mir leid. Ich habe Ihr Anliegen an unser Team weitergegeben, und jemand aus dem Team antwortet Ihnen hier {expectedResponseTime}.',
    handoffLanguage:
      'Leider kann ich Fragen auf Deutsch noch nicht selbst beantworten, deshalb habe ich Ihre Nachricht an unser Team weitergegeben. Jemand aus dem Team antwortet Ihnen hier {expectedResponseTime}.',
    handoffRefused:
      'Bei dieser Anfrage kann ich nicht helfen, deshalb habe ich Ihre Nachricht an unser Team weitergegeben. Jemand aus dem Team antwortet Ihnen hier {expectedResponseTime}.',
    responseTime: 'so bald wie möglich',
    afterHours: 'sobald wir wieder geöffnet haben, am {day} um {time}',
    greeting: 'Hallo! Ich bin der Assistent von {shop}. Fragen Sie mich gern alles zu Bestellungen, Lieferung, Rücksendungen oder Zahlungen.',
    thanks: 'Gern geschehen! Kann ich Ihnen sonst noch helfen?',
    goodbye: 'Danke für Ihre Nachricht. Einen schönen Tag noch!',
    clarify: 'Meinen Sie „{first}“ oder „{second}“?',
    // Actions on the shop (pipeline/act): sentences around a backend's reply, never the reply itself.
    actionAskOrder: 'Könnten Sie mir Ihre Bestellnummer schicken?',
    actionAskIdentity: 'Damit ich Ihre Bestellung finde, schicken Sie mir bitte Ihre Bestellnummer und die E-Mail-Adresse, mit der Sie bestellt haben (oder die Postleitzahl der Lieferadresse).',
    actionNotFound: 'Ich konnte keine Bestellung mit diesen Angaben finden. Bitte prüfen Sie die Bestellnummer und die E-Mail-Adresse oder Postleitzahl.',
    orderOpen: 'Bestellung {order} wurde noch nicht versandt.',
    orderShipped: 'Bestellung {order} wurde versandt.',
    orderDelivered: 'Bestellung {order} wurde zugestellt.',
    orderCancelled: 'Bestellung {order} wurde storniert.',
    orderTracking: 'Sendungsnummer: {tracking}.',
    cancelConfirm: 'Soll ich Bestellung {order} ({items}) stornieren? Das lässt sich nicht rückgängig machen. Antworten Sie „ja“ zum Stornieren oder „nein“, um sie zu behalten.',
    cancelDone: 'Erledigt: Bestellung {order} wurde storniert.',
    cancelPending: 'Ich habe den Shop gebeten, Bestellung {order} zu stornieren. Das wird noch bearbeitet, die Bestellung ist also noch nicht storniert.',
    cancelNotPossible: 'Bestellung {order} wurde bereits versandt und kann daher nicht mehr storniert werden.',
    actionKept: 'In Ordnung, ich habe an Bestellung {order} nichts geändert.',
    actionNotDone: 'Ich konnte Bestellung {order} nicht stornieren, es wurde also nichts geändert.',
    actionUnknown: 'Ich kann noch nicht bestätigen, ob Bestellung {order} storniert wurde.',
    identityFailed: 'Ich konnte nicht bestätigen, dass diese Bestellung Ihre ist.',
    actionLookupFailed: 'Ich konnte Bestellung {order} gerade nicht abrufen.',
    cancelAwaitsApproval: 'Ich habe unser Team gebeten, die Stornierung von Bestellung {order} freizugeben; sie ist noch nicht storniert.',
    cancelRejected: 'Unser Team hat die Stornierung von Bestellung {order} nicht freigegeben, daher wurde nichts geändert.',
    codeSent: 'Um sicherzugehen, dass Sie es sind, habe ich einen Einmalcode an {destination} geschickt. Bitte geben Sie den Code hier ein.',
    codeWrong: 'Dieser Code stimmt nicht. Bitte prüfen Sie ihn und geben Sie ihn erneut ein.',
    codeMessage: 'Ihr Bestätigungscode lautet {code}. Er ist {minutes} Minuten gültig. Wenn Sie ihn nicht angefordert haben, ignorieren Sie diese Nachricht.',
    codeSubject: 'Ihr Bestätigungscode',
    requestDone: 'Erledigt: Ihre Anfrage zu Bestellung {order} wurde ausgeführt.',
    requestPending: 'Ihre Anfrage zu Bestellung {order} wurde an den Shop übergeben und wird noch bearbeitet.',
    requestFailed: 'Ihre Anfrage zu Bestellung {order} konnte nicht ausgeführt werden, daher wurde nichts geändert.',
    requestUnknown: 'Ich kann noch nicht bestätigen, ob Ihre Anfrage zu Bestellung {order} ausgeführt wurde.',
    requestRejected: 'Unser Team hat Ihre Anfrage zu Bestellung {order} nicht freigegeben, daher wurde nichts geändert.',
    handoffAction: 'Ich habe Ihr Anliegen an unser Team weitergegeben, und jemand aus dem Team antwortet Ihnen hier {expectedResponseTime}.',
    handoffFile: 'Danke, ich habe Ihre Datei erhalten ({files}). Jemand aus unserem Team sieht sie sich an und antwortet Ihnen hier {expectedResponseTime}.',
    // The satisfaction survey after a resolved conversation (email, SMS, WhatsApp, Slack).
    csatAsk: 'Wie zufrieden waren Sie mit unserer Hilfe?',
    csatHowToAnswer: 'Antworten Sie mit einer Zahl von 1 (schlecht) bis 5 (sehr gut).',
    csatThanks: 'Vielen Dank für Ihre Bewertung!',
  },
  fr: {
    handoffAsked: "Bien sûr. J'ai transmis votre conversation à notre équipe, et quelqu'un vous répondra ici {expectedResponseTime}.",
    handoffUnsure:
      "Je ne suis pas sûr de pouvoir répondre correctement, j'ai donc transmis votre question à notre équipe. Quelqu'un vous répondra ici {expectedResponseTime}.",
    handoffUpset: "Je suis désolé pour ce désagrément. J'ai transmis votre conversation à notre équipe, et quelqu'un vous répondra ici {expectedResponseTime}.",
    handoffLanguage:
      "Désolé, je ne peux pas encore répondre moi-même aux questions en français, j'ai donc transmis votre message à notre équipe. Quelqu'un vous répondra ici {expectedResponseTime}.",
    handoffRefused:
      "Je ne peux pas donner suite à cette demande, j'ai donc transmis votre message à notre équipe. Quelqu'un vous répondra ici {expectedResponseTime}.",
    responseTime: 'dès que possible',
    afterHours: 'dès notre réouverture, le {day} à {time}',
    greeting: "Bonjour ! Je suis l'assistant de {shop}. Posez-moi vos questions sur les commandes, la livraison, les retours ou les paiements.",
    thanks: 'Avec plaisir ! Puis-je vous aider pour autre chose ?',
    goodbye: 'Merci de nous avoir contactés. Bonne journée !',
    clarify: 'Voulez-vous parler de « {first} » ou de « {second} » ?',
    // Actions on the shop (pipeline/act): sentences around a backend's reply, never the reply itself.
    actionAskOrder: "Pourriez-vous m'envoyer votre numéro de commande ?",
    actionAskIdentity: "Pour retrouver votre commande, envoyez-moi votre numéro de commande et l'adresse e-mail utilisée pour la commande (ou le code postal de livraison).",
    actionNotFound: "Je n'ai trouvé aucune commande correspondant à ces informations. Vérifiez le numéro de commande et l'adresse e-mail ou le code postal.",
    orderOpen: "La commande {order} n'a pas encore été expédiée.",
    orderShipped: 'La commande {order} a été expédiée.',
    orderDelivered: 'La commande {order} a été livrée.',
    orderCancelled: 'La commande {order} a été annulée.',
    orderTracking: 'Numéro de suivi : {tracking}.',
    cancelConfirm: "Voulez-vous que j'annule la commande {order} ({items}) ? C'est irréversible. Répondez « oui » pour l'annuler ou « non » pour la garder.",
    cancelDone: "C'est fait : la commande {order} a été annulée.",
    cancelPending: "J'ai demandé à la boutique d'annuler la commande {order}. La demande est en cours de traitement, la commande n'est donc pas encore annulée.",
    cancelNotPossible: 'La commande {order} a déjà été expédiée et ne peut donc plus être annulée.',
    actionKept: "Très bien, je n'ai rien modifié sur la commande {order}.",
    actionNotDone: "Je n'ai pas pu annuler la commande {order}, rien n'a donc été modifié.",
    actionUnknown: 'Je ne peux pas encore confirmer si la commande {order} a été annulée.',
    identityFailed: "Je n'ai pas pu vérifier que cette commande est la vôtre.",
    actionLookupFailed: "Je n'ai pas pu consulter la commande {order} pour le moment.",
    cancelAwaitsApproval: "J'ai demandé à notre équipe d'approuver l'annulation de la commande {order} ; elle n'est pas encore annulée.",
    cancelRejected: "Notre équipe n'a pas approuvé l'annulation de la commande {order}, donc rien n'a été modifié.",
    codeSent: "Pour vérifier qu'il s'agit bien de vous, j'ai envoyé un code à usage unique à {destination}. Veuillez saisir le code ici.",
    codeWrong: "Ce code n'est pas correct. Veuillez le vérifier et le saisir à nouveau.",
    codeMessage: "Votre code de vérification est {code}. Il expire dans {minutes} minutes. Si vous ne l'avez pas demandé, ignorez ce message.",
    codeSubject: 'Votre code de vérification',
    requestDone: 'C’est fait : votre demande concernant la commande {order} a été effectuée.',
    requestPending: 'Votre demande concernant la commande {order} a été transmise à la boutique et est encore en cours de traitement.',
    requestFailed: "Votre demande concernant la commande {order} n'a pas pu être effectuée, donc rien n'a été modifié.",
    requestUnknown: "Je ne peux pas encore confirmer si votre demande concernant la commande {order} a été effectuée.",
    requestRejected: "Notre équipe n'a pas approuvé votre demande concernant la commande {order}, donc rien n'a été modifié.",
    handoffAction: "J'ai transmis votre demande à notre équipe, et quelqu'un vous répondra ici {expectedResponseTime}.",
    handoffFile: "Merci, j'ai bien reçu votre fichier ({files}). Quelqu'un de notre équipe va le regarder et vous répondra ici {expectedResponseTime}.",
    // The satisfaction survey after a resolved conversation (email, SMS, WhatsApp, Slack).
    csatAsk: "Comment évaluez-vous l'aide que vous avez reçue ?",
    csatHowToAnswer: 'Répondez par un chiffre de 1 (mauvaise) à 5 (excellente).',
    csatThanks: 'Merci pour votre évaluation !',
  },
  es: {
    handoffAsked: 'Por supuesto. He pasado su conversación a nuestro equipo y una persona le responderá aquí {expectedResponseTime}.',
    handoffUnsure:
      'No estoy seguro de poder responder a eso correctamente, así que he pasado su pregunta a nuestro equipo. Una persona le responderá aquí {expectedResponseTime}.',
    handoffUpset: 'Lamento mucho lo ocurrido. He pasado su conversación a nuestro equipo y una persona le responderá aquí {expectedResponseTime}.',
    handoffLanguage:
      'Lo siento, todavía no puedo responder yo mismo a preguntas en español, así que he pasado su mensaje a nuestro equipo. Una persona le responderá aquí {expectedResponseTime}.',
    handoffRefused:
      'No puedo ayudar con esa solicitud, así que he pasado su mensaje a nuestro equipo. Una persona le responderá aquí {expectedResponseTime}.',
    responseTime: 'lo antes posible',
    afterHours: 'cuando volvamos a abrir, el {day} a las {time}',
    greeting: '¡Hola! Soy el asistente de {shop}. Pregúnteme lo que quiera sobre pedidos, envíos, devoluciones o pagos.',
    thanks: '¡De nada! ¿Hay algo más en lo que pueda ayudarle?',
    goodbye: 'Gracias por escribirnos. ¡Que tenga un buen día!',
    clarify: '¿Se refiere a «{first}» o a «{second}»?',
    // Actions on the shop (pipeline/act): sentences around a backend's reply, never the reply itself.
    actionAskOrder: '¿Podría enviarme su número de pedido?',
    actionAskIdentity: 'Para encontrar su pedido, envíeme su número de pedido y el correo electrónico con el que lo hizo (o el código postal de envío).',
    actionNotFound: 'No he encontrado ningún pedido con esos datos. Compruebe el número de pedido y el correo electrónico o el código postal.',
    orderOpen: 'El pedido {order} todavía no se ha enviado.',
    orderShipped: 'El pedido {order} ya se ha enviado.',
    orderDelivered: 'El pedido {order} ya se ha entregado.',
    orderCancelled: 'El pedido {order} se ha cancelado.',
    orderTracking: 'Número de seguimiento: {tracking}.',
    cancelConfirm: '¿Quiere que cancele el pedido {order} ({items})? No se puede deshacer. Responda «sí» para cancelarlo o «no» para mantenerlo.',
    cancelDone: 'Hecho: el pedido {order} se ha cancelado.',
    cancelPending: 'He pedido a la tienda que cancele el pedido {order}. Todavía se está procesando, así que aún no está cancelado.',
    cancelNotPossible: 'El pedido {order} ya se ha enviado, así que ya no se puede cancelar.',
    actionKept: 'De acuerdo, no he cambiado nada en el pedido {order}.',
    actionNotDone: 'No he podido cancelar el pedido {order}, así que no se ha cambiado nada.',
    actionUnknown: 'Todavía no puedo confirmar si el pedido {order} se ha cancelado.',
    identityFailed: 'No he podido verificar que este pedido sea suyo.',
    actionLookupFailed: 'No he podido consultar el pedido {order} en este momento.',
    cancelAwaitsApproval: 'He pedido a nuestro equipo que apruebe la cancelación del pedido {order}; todavía no está cancelado.',
    cancelRejected: 'Nuestro equipo no aprobó la cancelación del pedido {order}, así que no se ha cambiado nada.',
    codeSent: 'Para comprobar que es usted, he enviado un código de un solo uso a {destination}. Escriba el código aquí, por favor.',
    codeWrong: 'Ese código no es correcto. Compruébelo y escríbalo de nuevo, por favor.',
    codeMessage: 'Su código de verificación es {code}. Caduca en {minutes} minutos. Si no lo ha pedido, ignore este mensaje.',
    codeSubject: 'Su código de verificación',
    requestDone: 'Hecho: su solicitud sobre el pedido {order} se ha realizado.',
    requestPending: 'Su solicitud sobre el pedido {order} se ha enviado a la tienda y todavía se está procesando.',
    requestFailed: 'Su solicitud sobre el pedido {order} no se pudo realizar, así que no se ha cambiado nada.',
    requestUnknown: 'Todavía no puedo confirmar si su solicitud sobre el pedido {order} se ha realizado.',
    requestRejected: 'Nuestro equipo no aprobó su solicitud sobre el pedido {order}, así que no se ha cambiado nada.',
    handoffAction: 'He pasado su solicitud a nuestro equipo y una persona le responderá aquí {expectedResponseTime}.',
    handoffFile: 'Gracias, he recibido su archivo ({files}). Una persona de nuestro equipo lo revisará y le responderá aquí {expectedResponseTime}.',
    // The satisfaction survey after a resolved conversation (email, SMS, WhatsApp, Slack).
    csatAsk: '¿Cómo valora la ayuda que ha recibido?',
    csatHowToAnswer: 'Responda con un número del 1 (mala) al 5 (excelente).',
    csatThanks: '¡Gracias por su valoración!',
  },
  it: {
    handoffAsked: 'Certo. Ho passato la sua conversazione al nostro team e una persona le risponderà qui {expectedResponseTime}.',
    handoffUnsure:
      'Non sono sicuro di poter rispondere correttamente, quindi ho passato la sua domanda al nostro team. Una persona le risponderà qui {expectedResponseTime}.',
    handoffUpset: 'Mi dispiace molto. Ho passato la sua conversazione al nostro team e una persona le risponderà qui {expectedResponseTime}.',
    handoffLanguage:
      'Mi dispiace, non posso ancora rispondere da solo a domande in italiano, quindi ho passato il suo messaggio al nostro team. Una persona le risponderà qui {expectedResponseTime}.',
    handoffRefused:
      'Non posso aiutarla con questa richiesta, quindi ho passato il suo messaggio al nostro team. Una persona le risponderà qui {expectedResponseTime}.',
    responseTime: 'il prima possibile',
    afterHours: 'quando riapriremo, {day} alle {time}',
    greeting: "Buongiorno! Sono l'assistente di {shop}. Mi chieda pure qualsiasi cosa su ordini, spedizioni, resi o pagamenti.",
    thanks: "Prego! Posso aiutarla in qualcos'altro?",
    goodbye: 'Grazie per averci contattato. Buona giornata!',
    clarify: 'Intende «{first}» o «{second}»?',
    // Actions on the shop (pipeline/act): sentences around a backend's reply, never the reply itself.
    actionAskOrder: 'Potrebbe inviarmi il numero del suo ordine?',
    actionAskIdentity: "Per trovare il suo ordine, mi invii il numero d'ordine e l'indirizzo email usato per l'ordine (oppure il CAP di spedizione).",
    actionNotFound: "Non ho trovato nessun ordine con questi dati. Controlli il numero d'ordine e l'indirizzo email o il CAP.",
    orderOpen: "L'ordine {order} non è ancora stato spedito.",
    orderShipped: "L'ordine {order} è stato spedito.",
    orderDelivered: "L'ordine {order} è stato consegnato.",
    orderCancelled: "L'ordine {order} è stato annullato.",
    orderTracking: 'Numero di tracciamento: {tracking}.',
    cancelConfirm: "Vuole che annulli l'ordine {order} ({items})? L'operazione non si può annullare. Risponda «sì» per annullarlo o «no» per tenerlo.",
    cancelDone: "Fatto: l'ordine {order} è stato annullato.",
    cancelPending: "Ho chiesto al negozio di annullare l'ordine {order}. La richiesta è ancora in elaborazione, quindi l'ordine non è ancora annullato.",
    cancelNotPossible: "L'ordine {order} è già stato spedito, quindi non può più essere annullato.",
    actionKept: "D'accordo, non ho modificato nulla nell'ordine {order}.",
    actionNotDone: "Non sono riuscito ad annullare l'ordine {order}, quindi non è stato modificato nulla.",
    actionUnknown: "Non posso ancora confermare se l'ordine {order} è stato annullato.",
    identityFailed: 'Non sono riuscito a verificare che questo ordine sia suo.',
    actionLookupFailed: "Non sono riuscito a consultare l'ordine {order} in questo momento.",
    cancelAwaitsApproval: "Ho chiesto al nostro team di approvare l'annullamento dell'ordine {order}; non è ancora annullato.",
    cancelRejected: "Il nostro team non ha approvato l'annullamento dell'ordine {order}, quindi non è stato modificato nulla.",
    codeSent: 'Per verificare che sia lei, ho inviato un codice monouso a {destination}. Scriva qui il codice, per favore.',
    codeWrong: 'Questo codice non è corretto. Lo controlli e lo scriva di nuovo, per favore.',
    codeMessage: 'Il suo codice di verifica è {code}. Scade tra {minutes} minuti. Se non lo ha richiesto, ignori questo messaggio.',
    codeSubject: 'Il suo codice di verifica',
    requestDone: "Fatto: la sua richiesta per l'ordine {order} è stata eseguita.",
    requestPending: "La sua richiesta per l'ordine {order} è stata inoltrata al negozio ed è ancora in lavorazione.",
    requestFailed: "La sua richiesta per l'ordine {order} non è stata eseguita, quindi non è stato modificato nulla.",
    requestUnknown: "Non posso ancora confermare se la sua richiesta per l'ordine {order} è stata eseguita.",
    requestRejected: "Il nostro team non ha approvato la sua richiesta per l'ordine {order}, quindi non è stato modificato nulla.",
    handoffAction: 'Ho passato la sua richiesta al nostro team e una persona le risponderà qui {expectedResponseTime}.',
    handoffFile: 'Grazie, ho ricevuto il suo file ({files}). Una persona del nostro team lo esaminerà e le risponderà qui {expectedResponseTime}.',
    // The satisfaction survey after a resolved conversation (email, SMS, WhatsApp, Slack).
    csatAsk: "Come valuta l'aiuto che ha ricevuto?",
    csatHowToAnswer: 'Risponda con un numero da 1 (scarso) a 5 (eccellente).',
    csatThanks: 'Grazie per la sua valutazione!',
  },
  // European Portuguese (the shops are in Europe); a Brazilian reader understands it as written.
  pt: {
    handoffAsked: 'Claro. Encaminhei a sua conversa para a nossa equipa, e uma pessoa vai responder-lhe aqui {expectedResponseTime}.',
    handoffUnsure:
      'Não sei se consigo responder corretamente a isso, por isso encaminhei a sua pergunta para a nossa equipa. Uma pessoa vai responder-lhe aqui {expectedResponseTime}.',
    handoffUpset: 'Lamento muito o sucedido. Encaminhei a sua conversa para a nossa equipa, e uma pessoa vai responder-lhe aqui {expectedResponseTime}.',
    handoffLanguage:
      'Desculpe, ainda não consigo responder sozinho a perguntas em português, por isso encaminhei a sua mensagem para a nossa equipa. Uma pessoa vai responder-lhe aqui {expectedResponseTime}.',
    handoffRefused:
      'Não posso ajudar com esse pedido, por isso encaminhei a sua mensagem para a nossa equipa. Uma pessoa vai responder-lhe aqui {expectedResponseTime}.',
    responseTime: 'assim que possível',
    afterHours: 'quando reabrirmos ({day}, {time})',
    greeting: 'Olá! Sou o assistente de {shop}. Pergunte-me o que quiser sobre encomendas, entregas, devoluções ou pagamentos.',
    thanks: 'De nada! Posso ajudar com mais alguma coisa?',
    goodbye: 'Obrigado pelo contacto. Tenha um ótimo dia!',
    clarify: 'Quer dizer "{first}" ou "{second}"?',
    // Actions on the shop (pipeline/act): sentences around a backend's reply, never the reply itself.
    actionAskOrder: 'Pode enviar-me o número da sua encomenda?',
    actionAskIdentity: 'Para encontrar a sua encomenda, envie-me o número da encomenda e o email com que a fez (ou o código postal de entrega).',
    actionNotFound: 'Não encontrei nenhuma encomenda com esses dados. Verifique o número da encomenda e o email ou o código postal.',
    orderOpen: 'A encomenda {order} ainda não foi enviada.',
    orderShipped: 'A encomenda {order} já foi enviada.',
    orderDelivered: 'A encomenda {order} já foi entregue.',
    orderCancelled: 'A encomenda {order} foi cancelada.',
    orderTracking: 'Número de seguimento: {tracking}.',
    cancelConfirm: "Quer que cancele a encomenda {order} ({items})? Não é possível desfazer. Responda \"sim\" para a cancelar ou \"não\" para a manter.",
    cancelDone: 'Feito: a encomenda {order} foi cancelada.',
    cancelPending: 'Pedi à loja para cancelar a encomenda {order}. O pedido ainda está a ser processado, por isso a encomenda ainda não está cancelada.',
    cancelNotPossible: 'A encomenda {order} já foi enviada, por isso já não pode ser cancelada.',
    actionKept: 'Muito bem, não alterei nada na encomenda {order}.',
    actionNotDone: 'Não consegui cancelar a encomenda {order}, por isso nada foi alterado.',
    actionUnknown: 'Ainda não consigo confirmar se a encomenda {order} foi cancelada.',
    identityFailed: 'Não consegui confirmar que esta encomenda é sua.',
    actionLookupFailed: 'Não consegui consultar a encomenda {order} neste momento.',
    cancelAwaitsApproval: 'Pedi à nossa equipa que aprove o cancelamento da encomenda {order}; ainda não está cancelada.',
    cancelRejected: 'A nossa equipa não aprovou o cancelamento da encomenda {order}, por isso nada foi alterado.',
    codeSent: 'Para confirmar que é você, enviei um código de utilização única para {destination}. Escreva o código aqui, por favor.',
    codeWrong: 'Esse código não está correto. Verifique-o e escreva-o novamente, por favor.',
    codeMessage: 'O seu código de verificação é {code}. Expira em {minutes} minutos. Se não o pediu, ignore esta mensagem.',
    codeSubject: 'O seu código de verificação',
    requestDone: 'Feito: o seu pedido relativo à encomenda {order} foi executado.',
    requestPending: 'O seu pedido relativo à encomenda {order} foi enviado à loja e ainda está a ser processado.',
    requestFailed: 'O seu pedido relativo à encomenda {order} não pôde ser executado, por isso nada foi alterado.',
    requestUnknown: 'Ainda não posso confirmar se o seu pedido relativo à encomenda {order} foi executado.',
    requestRejected: 'A nossa equipa não aprovou o seu pedido relativo à encomenda {order}, por isso nada foi alterado.',
    handoffAction: 'Encaminhei o seu pedido para a nossa equipa, e uma pessoa vai responder-lhe aqui {expectedResponseTime}.',
    handoffFile: 'Obrigado, recebi o seu ficheiro ({files}). Uma pessoa da nossa equipa vai analisá-lo e responder-lhe aqui {expectedResponseTime}.',
    // The satisfaction survey after a resolved conversation (email, SMS, WhatsApp, Slack).
    csatAsk: 'Como avalia a ajuda que recebeu?',
    csatHowToAnswer: 'Responda com um número de 1 (fraca) a 5 (excelente).',
    csatThanks: 'Obrigado pela sua avaliação!',
  },
  nl: {
    handoffAsked: 'Natuurlijk. Ik heb uw gesprek doorgegeven aan ons team, en een medewerker reageert hier {expectedResponseTime}.',
    handoffUnsure:
      'Ik weet niet zeker of ik dit juist kan beantwoorden, dus ik heb uw vraag doorgegeven aan ons team. Een medewerker reageert hier {expectedResponseTime}.',
    handoffUpset: 'Het spijt me dat dit is gebeurd. Ik heb uw gesprek doorgegeven aan ons team, en een medewerker reageert hier {expectedResponseTime}.',
    handoffLanguage:
      'Sorry, ik kan vragen in het Nederlands nog niet zelf beantwoorden, dus ik heb uw bericht doorgegeven aan ons team. Een medewerker reageert hier {expectedResponseTime}.',
    handoffRefused:
      'Met dit verzoek kan ik niet helpen, dus ik heb uw bericht doorgegeven aan ons team. Een medewerker reageert hier {expectedResponseTime}.',
    responseTime: 'zo snel mogelijk',
    afterHours: 'zodra we weer open zijn, op {day} om {time}',
    greeting: 'Hallo! Ik ben de assistent van {shop}. Stel me gerust een vraag over bestellingen, bezorging, retouren of betalingen.',
    thanks: 'Graag gedaan! Kan ik u nog ergens anders mee helpen?',
    goodbye: 'Bedankt voor uw bericht. Nog een fijne dag!',
    clarify: 'Bedoelt u "{first}" of "{second}"?',
    // Actions on the shop (pipeline/act): sentences around a backend's reply, never the reply itself.
    actionAskOrder: 'Kunt u mij uw bestelnummer sturen?',
    actionAskIdentity: 'Om uw bestelling te vinden, stuur mij uw bestelnummer en het e-mailadres waarmee u hebt besteld (of de postcode van het afleveradres).',
    actionNotFound: 'Ik heb geen bestelling met deze gegevens gevonden. Controleer het bestelnummer en het e-mailadres of de postcode.',
    orderOpen: 'Bestelling {order} is nog niet verzonden.',
    orderShipped: 'Bestelling {order} is verzonden.',
    orderDelivered: 'Bestelling {order} is bezorgd.',
    orderCancelled: 'Bestelling {order} is geannuleerd.',
    orderTracking: 'Trackingnummer: {tracking}.',
    cancelConfirm: "Wilt u dat ik bestelling {order} ({items}) annuleer? Dit kan niet ongedaan worden gemaakt. Antwoord \"ja\" om te annuleren of \"nee\" om de bestelling te houden.",
    cancelDone: 'Klaar: bestelling {order} is geannuleerd.',
    cancelPending: 'Ik heb de winkel gevraagd bestelling {order} te annuleren. Dat wordt nog verwerkt, dus de bestelling is nog niet geannuleerd.',
    cancelNotPossible: 'Bestelling {order} is al verzonden en kan daarom niet meer worden geannuleerd.',
    actionKept: 'Goed, ik heb niets aan bestelling {order} veranderd.',
    actionNotDone: 'Ik kon bestelling {order} niet annuleren, dus er is niets veranderd.',
    actionUnknown: 'Ik kan nog niet bevestigen of bestelling {order} is geannuleerd.',
    identityFailed: 'Ik kon niet bevestigen dat deze bestelling van u is.',
    actionLookupFailed: 'Ik kon bestelling {order} op dit moment niet opvragen.',
    cancelAwaitsApproval: 'Ik heb ons team gevraagd de annulering van bestelling {order} goed te keuren; de bestelling is nog niet geannuleerd.',
    cancelRejected: 'Ons team heeft de annulering van bestelling {order} niet goedgekeurd, dus er is niets gewijzigd.',
    codeSent: 'Om zeker te weten dat u het bent, heb ik een eenmalige code naar {destination} gestuurd. Typ de code hier.',
    codeWrong: 'Die code klopt niet. Controleer hem en typ hem opnieuw.',
    codeMessage: 'Uw verificatiecode is {code}. Hij verloopt over {minutes} minuten. Hebt u hem niet aangevraagd, negeer dan dit bericht.',
    codeSubject: 'Uw verificatiecode',
    requestDone: 'Klaar: uw verzoek voor bestelling {order} is uitgevoerd.',
    requestPending: 'Uw verzoek voor bestelling {order} is aan de winkel doorgegeven en wordt nog verwerkt.',
    requestFailed: 'Uw verzoek voor bestelling {order} kon niet worden uitgevoerd, dus er is niets gewijzigd.',
    requestUnknown: 'Ik kan nog niet bevestigen of uw verzoek voor bestelling {order} is uitgevoerd.',
    requestRejected: 'Ons team heeft uw verzoek voor bestelling {order} niet goedgekeurd, dus er is niets gewijzigd.',
    handoffAction: 'Ik heb uw verzoek doorgegeven aan ons team, en een medewerker reageert hier {expectedResponseTime}.',
    handoffFile: 'Dank u, ik heb uw bestand ontvangen ({files}). Een medewerker van ons team bekijkt het en reageert hier {expectedResponseTime}.',
    // The satisfaction survey after a resolved conversation (email, SMS, WhatsApp, Slack).
    csatAsk: 'Hoe beoordeelt u de hulp die u kreeg?',
    csatHowToAnswer: 'Antwoord met een cijfer van 1 (slecht) tot 5 (uitstekend).',
    csatThanks: 'Bedankt voor uw beoordeling!',
  },
};

export function render(language: ReplyLanguage, name: TemplateName, values: Record<string, string> = {}): string {
  return fillTemplate(TEMPLATES[language][name], values);
}
