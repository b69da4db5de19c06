import { fillTemplate, type ReplyLanguage } from '@cs/contracts';

export type TemplateName =
  | 'handoffAsked'
  | 'handoffUnsure'
  | 'handoffUpset'
  | 'handoffLanguage'
  | 'handoffRefused'
  | 'responseTime'
  | 'greeting'
  | 'thanks'
  | 'goodbye'
  | 'clarify';

/**
 * Every sentence the agent writes itself rather than takes from an article. `{name}` placeholders:
 * `expectedResponseTime` (the tenant's, else `responseTime`), `shop`, `first`/`second` (article
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
    greeting: "Hello! I'm the {shop} assistant. Ask me anything about orders, delivery, returns or payments.",
    thanks: "You're welcome! Is there anything else I can help you with?",
    goodbye: 'Thanks for getting in touch. Have a great day!',
    clarify: 'Do you mean "{first}" or "{second}"?',
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
    greeting: 'Hallo! Ich bin der Assistent von {shop}. Fragen Sie mich gern alles zu Bestellungen, Lieferung, Rücksendungen oder Zahlungen.',
    thanks: 'Gern geschehen! Kann ich Ihnen sonst noch helfen?',
    goodbye: 'Danke für Ihre Nachricht. Einen schönen Tag noch!',
    clarify: 'Meinen Sie „{first}“ oder „{second}“?',
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
    greeting: "Bonjour ! Je suis l'assistant de {shop}. Posez-moi vos questions sur les commandes, la livraison, les retours ou les paiements.",
    thanks: 'Avec plaisir ! Puis-je vous aider pour autre chose ?',
    goodbye: 'Merci de nous avoir contactés. Bonne journée !',
    clarify: 'Voulez-vous parler de « {first} » ou de « {second} » ?',
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
    greeting: '¡Hola! Soy el asistente de {shop}. Pregúnteme lo que quiera sobre pedidos, envíos, devoluciones o pagos.',
    thanks: '¡De nada! ¿Hay algo más en lo que pueda ayudarle?',
    goodbye: 'Gracias por escribirnos. ¡Que tenga un buen día!',
    clarify: '¿Se refiere a «{first}» o a «{second}»?',
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
    greeting: "Buongiorno! Sono l'assistente di {shop}. Mi chieda pure qualsiasi cosa su ordini, spedizioni, resi o pagamenti.",
    thanks: "Prego! Posso aiutarla in qualcos'altro?",
    goodbye: 'Grazie per averci contattato. Buona giornata!',
    clarify: 'Intende «{first}» o «{second}»?',
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
    greeting: 'Olá! Sou o assistente de {shop}. Pergunte-me o que quiser sobre encomendas, entregas, devoluções ou pagamentos.',
    thanks: 'De nada! Posso ajudar com mais alguma coisa?',
    goodbye: 'Obrigado pelo contacto. Tenha um ótimo dia!',
    clarify: 'Quer dizer "{first}" ou "{second}"?',
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
    greeting: 'Hallo! Ik ben de assistent van {shop}. Stel me gerust een vraag over bestellingen, bezorging, retouren of betalingen.',
    thanks: 'Graag gedaan! Kan ik u nog ergens anders mee helpen?',
    goodbye: 'Bedankt voor uw bericht. Nog een fijne dag!',
    clarify: 'Bedoelt u "{first}" of "{second}"?',
  },
};

export function render(language: ReplyLanguage, name: TemplateName, values: Record<string, string> = {}): string {
  return fillTemplate(TEMPLATES[language][name], values);
}
