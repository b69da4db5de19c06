/*
 * Support chat widget. Embed with:
 *   <script src="https://support.example.com/widget.js" data-key="<widget key>" async></script>
 * Optional attributes: data-title, data-open="true" (panel open on first visit).
 *
 * Plain browser JavaScript, no build step, no dependencies. It never inserts untrusted text as
 * HTML: every message is built from text nodes and elements whose URLs are checked.
 *
 * Delivery guarantees: outgoing messages stay in an outbox (localStorage) until the server acks
 * them and are resent with the same clientId after a reconnect (the server drops duplicates);
 * acked ones stay a few minutes more, so a reload before the history has them still shows them;
 * incoming messages are keyed by id (time-ordered) and a reconnect resumes after the last one seen.
 *
 * Under the newest answer from the knowledge base it asks "Did this answer your question?": yes
 * resolves the conversation and asks for a 1-5 rating, no offers a person. The server keeps one
 * answer per bot message, so a repeated click changes nothing.
 *
 * Files: a picture or a PDF is sent with the paperclip, by dropping it on the chat or by pasting it
 * into the message box; it uploads with a progress bar (POST webchat/files), and one over the
 * limit or of another type is refused here with the reason before anything is sent.
 */
(function () {
  'use strict';

  var script = document.currentScript;
  if (!script) {
    var candidates = document.querySelectorAll('script[src*="widget.js"][data-key]');
    script = candidates[candidates.length - 1];
  }
  if (!script) return;
  var widgetKey = script.getAttribute('data-key');
  if (!widgetKey) return;
  window.__csWidgets = window.__csWidgets || {};
  if (window.__csWidgets[widgetKey]) return;
  window.__csWidgets[widgetKey] = true;

  var base = new URL(script.src, location.href);
  // Served from a path prefix behind a proxy (https://example.com/support/widget.js), the socket is too.
  var prefix = base.pathname.replace(/widget\.js$/, '');
  var wsUrl = (base.protocol === 'https:' ? 'wss://' : 'ws://') + base.host + prefix + 'ws/chat';
  var title = script.getAttribute('data-title') || 'Chat with us';
  var FINAL_CLOSE_CODES = { 4400: true, 4401: true };
  var TYPING_TIMEOUT_MS = 30000;
  var PING_EVERY_MS = 25000;
  var PONG_WITHIN_MS = 10000;
  var MAX_TEXT = 4000;
  // Written in by the gateway from UPLOAD_MAX_BYTES when it serves this file.
  var MAX_FILE_BYTES = /*UPLOAD_MAX_BYTES*/10485760;
  var FILE_TYPES = ['image/png', 'image/jpeg', 'image/gif', 'image/webp', 'application/pdf'];
  var uploadUrl = base.protocol + '//' + base.host + prefix + 'webchat/files';

  // ---- storage (may be unavailable: private mode, blocked cookies) ----
  var memory = {};
  function load(name, fallback) {
    var key = 'cs-chat:' + widgetKey + ':' + name;
    try {
      var raw = window.localStorage.getItem(key);
      return raw === null ? fallback : JSON.parse(raw);
    } catch (e) {
      return key in memory ? memory[key] : fallback;
    }
  }
  function save(name, value) {
    var key = 'cs-chat:' + widgetKey + ':' + name;
    memory[key] = value;
    try {
      window.localStorage.setItem(key, JSON.stringify(value));
    } catch (e) {
      /* memory only */
    }
  }
  function randomId() {
    if (window.crypto && typeof window.crypto.randomUUID === 'function') return window.crypto.randomUUID();
    var bytes = new Uint8Array(16);
    window.crypto.getRandomValues(bytes);
    return Array.prototype.map.call(bytes, function (b) { return ('0' + b.toString(16)).slice(-2); }).join('');
  }

  var sessionId = load('session', null);
  if (typeof sessionId !== 'string' || !/^[A-Za-z0-9_-]{8,100}$/.test(sessionId)) {
    sessionId = randomId();
    save('session', sessionId);
  }
  /** [{ clientId, text, ts, ackedAt? }]: sent by this visitor and not yet seen in the history. */
  var ACKED_KEPT_MS = 5 * 60 * 1000;
  var outbox = load('outbox', []);
  if (!Array.isArray(outbox)) outbox = [];
  outbox = outbox.filter(function (m) {
    return m && typeof m.clientId === 'string' && typeof m.text === 'string' && (!m.ackedAt || Date.now() - m.ackedAt < ACKED_KEPT_MS);
  });

  // ---- DOM ----
  var css =
    '.cs-w{position:fixed;right:20px;bottom:20px;z-index:2147483000;font:14px/1.4 system-ui,-apple-system,Segoe UI,Roboto,sans-serif;color:#1f2328}' +
    '.cs-w *{box-sizing:border-box}' +
    '.cs-launcher{display:flex;align-items:center;justify-content:center;width:56px;height:56px;border-radius:50%;border:0;background:#2563eb;color:#fff;cursor:pointer;box-shadow:0 4px 14px rgba(0,0,0,.25)}' +
    '.cs-panel{position:absolute;right:0;bottom:70px;width:340px;max-width:calc(100vw - 40px);height:460px;max-height:calc(100vh - 110px);display:flex;flex-direction:column;background:#fff;border-radius:12px;box-shadow:0 8px 30px rgba(0,0,0,.25);overflow:hidden}' +
    '.cs-panel[hidden]{display:none}' +
    '.cs-head{display:flex;align-items:center;justify-content:space-between;padding:12px 14px;background:#2563eb;color:#fff;font-weight:600}' +
    '.cs-close{background:none;border:0;color:#fff;font-size:20px;cursor:pointer}' +
    '.cs-log{flex:1;overflow-y:auto;padding:12px;display:flex;flex-direction:column;gap:8px;background:#f6f8fa}' +
    '.cs-msg{max-width:85%;padding:8px 10px;border-radius:10px;white-space:pre-wrap;word-wrap:break-word;background:#fff;border:1px solid #e5e7eb;align-self:flex-start}' +
    '.cs-msg[data-author=contact]{align-self:flex-end;background:#2563eb;color:#fff;border-color:#2563eb}' +
    '.cs-msg[data-author=contact] a{color:#fff}' +
    '.cs-msg[data-author=system]{align-self:center;background:#fff8c5;border-color:#eac54f;font-size:13px}' +
    '.cs-msg[data-pending]{opacity:.7}' +
    '.cs-msg[data-failed]{border:1px dashed #cf222e}' +
    '.cs-msg a{color:#0969da}' +
    '.cs-sources{margin:6px 0 0;padding:0 0 0 16px;font-size:13px}' +
    '.cs-note{font-size:11px;opacity:.8;margin-top:2px}' +
    '.cs-draft{opacity:.7}' +
    '.cs-typing{padding:4px 14px;font-size:12px;color:#57606a;background:#f6f8fa}' +
    '.cs-typing[hidden],.cs-status[hidden]{display:none}' +
    '.cs-status{padding:4px 14px;font-size:12px;color:#9a6700;background:#fff8c5}' +
    '.cs-form{display:flex;gap:6px;padding:10px;border-top:1px solid #e5e7eb;background:#fff}' +
    '.cs-input{flex:1;resize:none;border:1px solid #d0d7de;border-radius:8px;padding:8px;font:inherit;height:40px}' +
    '.cs-send{border:0;border-radius:8px;background:#2563eb;color:#fff;padding:0 14px;cursor:pointer;font:inherit}' +
    '.cs-feedback{display:flex;flex-wrap:wrap;align-items:center;gap:6px;margin-top:8px;padding-top:6px;border-top:1px solid #e5e7eb;font-size:13px;white-space:normal}' +
    '.cs-feedback button{border:1px solid #d0d7de;border-radius:6px;background:#fff;color:#1f2328;padding:2px 10px;cursor:pointer;font:inherit}' +
    '.cs-feedback button:focus-visible,.cs-send:focus-visible,.cs-launcher:focus-visible{outline:2px solid #1f2328;outline-offset:2px}' +
    '.cs-feedback button[disabled]{opacity:.6;cursor:default}' +
    '.cs-attach{border:1px solid #d0d7de;border-radius:8px;background:#fff;color:#1f2328;width:40px;cursor:pointer;font:inherit}' +
    '.cs-attach:focus-visible{outline:2px solid #1f2328;outline-offset:2px}' +
    '.cs-file-input{display:none}' +
    '.cs-panel[data-cs-dragging] .cs-log{outline:3px dashed #2563eb;outline-offset:-6px}' +
    '.cs-thumb{display:block;max-width:100%;max-height:160px;margin-top:6px;border-radius:6px}' +
    '.cs-progress{display:block;width:100%;margin-top:4px}';

  function el(tag, attrs, text) {
    var node = document.createElement(tag);
    if (attrs) for (var name in attrs) if (attrs[name] !== null && attrs[name] !== undefined) node.setAttribute(name, attrs[name]);
    if (text !== undefined) node.textContent = text;
    return node;
  }

  /** A speech-bubble icon drawn with SVG (emoji fonts are not everywhere). */
  function chatIcon() {
    var ns = 'http://www.w3.org/2000/svg';
    var svg = document.createElementNS(ns, 'svg');
    svg.setAttribute('viewBox', '0 0 24 24');
    svg.setAttribute('width', '26');
    svg.setAttribute('height', '26');
    svg.setAttribute('aria-hidden', 'true');
    var path = document.createElementNS(ns, 'path');
    path.setAttribute('fill', 'currentColor');
    path.setAttribute('d', 'M4 3h16a2 2 0 0 1 2 2v11a2 2 0 0 1-2 2H9l-5 4v-4a2 2 0 0 1-2-2V5a2 2 0 0 1 2-2zm3 6.5a1.5 1.5 0 1 0 0 3 1.5 1.5 0 0 0 0-3zm5 0a1.5 1.5 0 1 0 0 3 1.5 1.5 0 0 0 0-3zm5 0a1.5 1.5 0 1 0 0 3 1.5 1.5 0 0 0 0-3z');
    svg.appendChild(path);
    return svg;
  }

  var style = el('style', null, css);
  var root = el('div', { class: 'cs-w', 'data-cs-widget': '' });
  var launcher = el('button', { class: 'cs-launcher', type: 'button', 'data-cs-launcher': '', 'aria-label': 'Open chat' });
  launcher.appendChild(chatIcon());
  var panel = el('div', { class: 'cs-panel', 'data-cs-panel': '', role: 'dialog', 'aria-label': title });
  var head = el('div', { class: 'cs-head' });
  head.appendChild(el('span', null, title));
  var closeButton = el('button', { class: 'cs-close', type: 'button', 'aria-label': 'Close chat' }, '\u00D7');
  head.appendChild(closeButton);
  var log = el('div', { class: 'cs-log', 'data-cs-log': '', role: 'log', 'aria-live': 'polite' });
  var typing = el('div', { class: 'cs-typing', 'data-cs-typing': '', hidden: '' }, 'Typing\u2026');
  var status = el('div', { class: 'cs-status', 'data-cs-status': '', hidden: '' });
  var form = el('form', { class: 'cs-form' });
  var input = el('textarea', { class: 'cs-input', 'data-cs-input': '', rows: '1', maxlength: String(MAX_TEXT), placeholder: 'Type your message\u2026', 'aria-label': 'Message' });
  var send = el('button', { class: 'cs-send', type: 'submit', 'data-cs-send': '' }, 'Send');
  var attach = el('button', { class: 'cs-attach', type: 'button', 'data-cs-attach': '', 'aria-label': 'Attach a picture or a PDF', title: 'Attach a picture or a PDF' }, '\uD83D\uDCCE');
  var fileInput = el('input', { class: 'cs-file-input', type: 'file', 'data-cs-file': '', accept: FILE_TYPES.join(','), tabindex: '-1', 'aria-hidden': 'true' });
  form.appendChild(attach);
  form.appendChild(fileInput);
  form.appendChild(input);
  form.appendChild(send);
  panel.appendChild(head);
  panel.appendChild(log);
  panel.appendChild(typing);
  panel.appendChild(status);
  panel.appendChild(form);
  root.appendChild(panel);
  root.appendChild(launcher);

  function setOpen(open) {
    if (open) panel.removeAttribute('hidden');
    else panel.setAttribute('hidden', '');
    launcher.setAttribute('aria-expanded', open ? 'true' : 'false');
    try {
      window.sessionStorage.setItem('cs-chat:' + widgetKey + ':open', open ? '1' : '0');
    } catch (e) {
      /* ignore */
    }
    if (open) {
      scrollDown();
      input.focus();
    }
  }
  function initiallyOpen() {
    try {
      var stored = window.sessionStorage.getItem('cs-chat:' + widgetKey + ':open');
      if (stored !== null) return stored === '1';
    } catch (e) {
      /* ignore */
    }
    return script.getAttribute('data-open') === 'true';
  }
  launcher.addEventListener('click', function () { setOpen(panel.hasAttribute('hidden')); });
  closeButton.addEventListener('click', function () { setOpen(false); });

  // ---- rendering (text nodes only; URLs must be http(s)) ----
  function safeUrl(raw) {
    if (typeof raw !== 'string' || !raw) return null;
    try {
      var url = new URL(raw, base);
      return url.protocol === 'http:' || url.protocol === 'https:' ? url.href : null;
    } catch (e) {
      return null;
    }
  }
  function link(url, label) {
    var a = el('a', { href: url, target: '_blank', rel: 'noopener noreferrer' }, label);
    return a;
  }
  var LINK_RE = /\[([^\]\n]{1,200})\]\(((?:https?:\/\/|\/)[^\s)]+)\)|(https?:\/\/[^\s<>"']*[^\s<>"'.,;:!?)\]])/g;
  function appendRichText(parent, text) {
    var last = 0;
    var match;
    LINK_RE.lastIndex = 0;
    while ((match = LINK_RE.exec(text))) {
      if (match.index > last) parent.appendChild(document.createTextNode(text.slice(last, match.index)));
      var url = safeUrl(match[2] || match[3]);
      if (url) parent.appendChild(link(url, match[1] || match[3]));
      else parent.appendChild(document.createTextNode(match[0]));
      last = match.index + match[0].length;
    }
    if (last < text.length) parent.appendChild(document.createTextNode(text.slice(last)));
  }
  function textOf(message) {
    if (typeof message.text === 'string' && message.text) return message.text;
    return (message.parts || [])
      .filter(function (p) { return p && p.type === 'text' && typeof p.text === 'string'; })
      .map(function (p) { return p.text; })
      .join('\n');
  }
  function renderBody(node, message) {
    appendRichText(node, textOf(message));
    var parts = message.parts || [];
    var sources = el('ul', { class: 'cs-sources' });
    // A source already linked in the text is not listed twice.
    var seen = {};
    Array.prototype.forEach.call(node.querySelectorAll('a'), function (a) { seen[a.href] = true; });
    parts.forEach(function (p) {
      if (!p) return;
      var url = null;
      var label = null;
      if (p.type === 'source') { url = safeUrl(p.url); label = typeof p.title === 'string' ? p.title : url; }
      else if (p.type === 'file' || p.type === 'image') { url = safeUrl(p.url); label = p.name || url; }
      if (!url || seen[url]) return;
      seen[url] = true;
      var item = el('li');
      var a = link(url, label);
      a.setAttribute('data-cs-source', '');
      item.appendChild(a);
      sources.appendChild(item);
    });
    if (sources.childNodes.length) node.appendChild(sources);
    parts.forEach(function (p) {
      var url = p && p.type === 'image' ? safeUrl(p.url) : null;
      if (!url) return;
      var a = link(url, '');
      a.appendChild(el('img', { class: 'cs-thumb', src: url, alt: p.name || 'picture', 'data-cs-thumb': '' }));
      node.appendChild(a);
    });
    parts.forEach(function (p) {
      if (p && p.type === 'actions' && Array.isArray(p.actions)) {
        node.appendChild(el('div', { class: 'cs-note' }, p.actions.map(function (a) { return a.label; }).join(' \u00B7 ')));
      }
    });
  }

  var byId = {};
  var messagesById = {};
  var localByClientId = {};
  var lastSeenId = null;

  function scrollDown() {
    log.scrollTop = log.scrollHeight;
  }

  /**
   * Where a stored message goes: before the first stored message with a larger id, before any
   * bubble still waiting to reach the server, and before a sent bubble that was acked when this
   * message had already been seen (so a reply always lands under its question).
   */
  function insertionPoint(id) {
    var children = log.children;
    for (var i = 0; i < children.length; i++) {
      var c = children[i];
      var cid = c.getAttribute('data-id');
      if (cid) { if (cid > id) return c; continue; }
      if (c.hasAttribute('data-pending')) return c;
      var after = c.getAttribute('data-acked-after');
      if (after !== null && id <= after) return c;
    }
    return null;
  }

  // A streamed answer as it is written. Only a draft: the answer is checked once complete, and the
  // stored reply (or an honest hand-off instead) replaces every draft when it arrives.
  var drafts = {};
  function showDraft(frame) {
    if (typeof frame.replyToMessageId !== 'string' || typeof frame.delta !== 'string') return;
    var draft = drafts[frame.replyToMessageId];
    if (!draft) {
      draft = { node: el('div', { class: 'cs-msg cs-draft', 'data-cs-draft': '', 'data-author': 'bot' }), parts: [] };
      drafts[frame.replyToMessageId] = draft;
      log.appendChild(draft.node);
    }
    draft.parts[frame.index] = frame.delta;
    draft.node.textContent = draft.parts.join('');
    setTyping(false);
    scrollDown();
  }
  function clearDrafts() {
    for (var key in drafts) {
      if (drafts[key].node.parentNode) drafts[key].node.parentNode.removeChild(drafts[key].node);
    }
    drafts = {};
  }

  function showMessage(message) {
    if (!message || typeof message.id !== 'string' || byId[message.id]) return;
    if (message.authorKind !== 'contact') clearDrafts();
    if (message.clientId && localByClientId[message.clientId]) {
      var local = localByClientId[message.clientId];
      if (local.parentNode) local.parentNode.removeChild(local);
      delete localByClientId[message.clientId];
      dropFromOutbox(message.clientId);
    }
    if (message.clientId) dropFromOutbox(message.clientId);
    if (message.clientId && message.clientId.indexOf(FEEDBACK_PREFIX) === 0) answered[message.clientId.slice(FEEDBACK_PREFIX.length)] = true;
    var author = ['contact', 'bot', 'person', 'system'].indexOf(message.authorKind) >= 0 ? message.authorKind : 'system';
    var node = el('div', { class: 'cs-msg', 'data-cs-message': '', 'data-author': author, 'data-id': message.id });
    renderBody(node, message);
    log.insertBefore(node, insertionPoint(message.id));
    byId[message.id] = node;
    messagesById[message.id] = message;
    if (lastSeenId === null || message.id > lastSeenId) lastSeenId = message.id;
    if (author !== 'contact') setTyping(false);
    refreshFeedback();
    scrollDown();
  }

  // ---- "did this answer your question?" and the rating ----
  // The server acks a click under this clientId (feedback-<message id>), or refuses it.
  var FEEDBACK_PREFIX = 'feedback-';
  var RATING_LABELS = ['very dissatisfied', 'dissatisfied', 'neutral', 'satisfied', 'very satisfied'];
  /** Bot messages the customer has already answered about (seen in the history, or clicked here). */
  var answered = {};
  /** { messageId, conversationId, node }: the question under the newest answer, while it is open. */
  var feedback = null;
  var pendingRating = null;

  function isKnowledgeAnswer(message) {
    return message.authorKind === 'bot' && (message.parts || []).some(function (p) { return p && p.type === 'source'; });
  }
  /** Only the newest message, when it is an answer from the knowledge base, asks; any later message ends it. */
  function refreshFeedback() {
    if (feedback && feedback.messageId !== lastSeenId) removeFeedback();
    var message = lastSeenId && messagesById[lastSeenId];
    if (feedback || !message || answered[message.id] || !isKnowledgeAnswer(message)) return;
    feedback = { messageId: message.id, conversationId: message.conversationId, node: el('div', { class: 'cs-feedback', 'data-cs-feedback': '', role: 'group', 'aria-label': 'Did this answer your question?' }) };
    byId[message.id].appendChild(feedback.node);
    askHelpful();
  }
  function removeFeedback() {
    if (feedback && feedback.node.parentNode) feedback.node.parentNode.removeChild(feedback.node);
    feedback = null;
    pendingRating = null;
  }
  function fill(children) {
    var node = feedback.node;
    while (node.firstChild) node.removeChild(node.firstChild);
    children.forEach(function (c) { node.appendChild(c); });
  }
  function button(label, attrs, onClick) {
    var b = el('button', attrs, label);
    b.setAttribute('type', 'button');
    b.addEventListener('click', onClick);
    return b;
  }
  function askHelpful(note) {
    var yes = button('Yes', { 'data-cs-feedback-yes': '' }, function () { sendHelpful(true); });
    var no = button('No', { 'data-cs-feedback-no': '' }, function () { sendHelpful(false); });
    fill([el('span', null, 'Did this answer your question?'), yes, no].concat(note ? [el('span', { class: 'cs-note', role: 'status' }, note)] : []));
  }
  function sendHelpful(helpful) {
    feedback.helpful = helpful;
    Array.prototype.forEach.call(feedback.node.querySelectorAll('button'), function (b) { b.disabled = true; });
    if (!sendFrame({ type: 'feedback', messageId: feedback.messageId, helpful: helpful })) askHelpful('Not sent, you are offline. Try again.');
  }
  function feedbackAcked() {
    answered[feedback.messageId] = true;
    if (feedback.helpful) askRating();
    else {
      fill([
        el('span', { role: 'status' }, 'Sorry about that.'),
        button('Talk to a person', { 'data-cs-talk-to-person': '' }, function () { submitText('Talk to a person'); }),
      ]);
    }
    focusFirstButton();
  }
  function askRating(note) {
    var label = el('span', { id: 'cs-rate-' + feedback.messageId }, 'Glad it helped! How would you rate this chat?');
    var buttons = [1, 2, 3, 4, 5].map(function (n) {
      return button(String(n), { 'data-cs-rating': String(n), 'aria-label': n + ' of 5, ' + RATING_LABELS[n - 1] }, function () { sendRating(n); });
    });
    fill([label].concat(buttons, note ? [el('span', { class: 'cs-note', role: 'status' }, note)] : []));
  }
  function sendRating(rating) {
    pendingRating = rating;
    Array.prototype.forEach.call(feedback.node.querySelectorAll('button'), function (b) { b.disabled = true; });
    if (!sendFrame({ type: 'rating', conversationId: feedback.conversationId, rating: rating })) {
      pendingRating = null;
      askRating('Not sent, you are offline. Try again.');
    }
  }
  function focusFirstButton() {
    var first = feedback && feedback.node.querySelector('button');
    if (first) first.focus();
  }

  /** The UUIDv7 prefix of an instant: stored messages created before it sort before it. */
  function idAt(ms) {
    var hex = ('000000000000' + Math.max(0, Math.floor(ms)).toString(16)).slice(-12);
    return hex.slice(0, 8) + '-' + hex.slice(8);
  }

  function showLocal(item) {
    var node = el('div', { class: 'cs-msg', 'data-cs-message': '', 'data-author': 'contact', 'data-client-id': item.clientId });
    if (item.ackedAt) node.setAttribute('data-acked-after', idAt(item.ackedAt - 1000));
    else node.setAttribute('data-pending', '');
    appendRichText(node, item.text);
    log.appendChild(node);
    localByClientId[item.clientId] = node;
    scrollDown();
  }

  var typingTimer = null;
  function setTyping(on) {
    clearTimeout(typingTimer);
    if (on) {
      typing.removeAttribute('hidden');
      typingTimer = setTimeout(function () { setTyping(false); }, TYPING_TIMEOUT_MS);
      scrollDown();
    } else {
      typing.setAttribute('hidden', '');
    }
  }
  function setStatus(text) {
    if (text) { status.textContent = text; status.removeAttribute('hidden'); }
    else { status.textContent = ''; status.setAttribute('hidden', ''); }
  }

  function markAcked(clientId) {
    outbox.forEach(function (m) { if (m.clientId === clientId && !m.ackedAt) m.ackedAt = Date.now(); });
    save('outbox', outbox);
  }
  function dropFromOutbox(clientId) {
    var before = outbox.length;
    outbox = outbox.filter(function (m) { return m.clientId !== clientId; });
    if (outbox.length !== before) save('outbox', outbox);
  }

  // ---- connection ----
  var ws = null;
  var attempt = 0;
  var reconnectTimer = null;
  var pingTimer = null;
  var pongTimer = null;
  var stopped = false;

  function sendFrame(frame) {
    if (ws && ws.readyState === WebSocket.OPEN) { ws.send(JSON.stringify(frame)); return true; }
    return false;
  }
  function flushOutbox() {
    outbox.forEach(function (m) { if (!m.ackedAt) sendFrame({ type: 'message', clientId: m.clientId, text: m.text }); });
  }

  function connect() {
    if (stopped) return;
    clearTimeout(reconnectTimer);
    var url = wsUrl + '?key=' + encodeURIComponent(widgetKey) + '&session=' + encodeURIComponent(sessionId);
    var socket;
    try {
      socket = new WebSocket(url);
    } catch (e) {
      scheduleReconnect();
      return;
    }
    ws = socket;
    socket.onopen = function () {
      attempt = 0;
      setStatus(null);
      sendFrame({ type: 'resume', after: lastSeenId });
      flushOutbox();
      startPing();
    };
    socket.onmessage = function (event) {
      clearTimeout(pongTimer);
      var frame;
      try { frame = JSON.parse(event.data); } catch (e) { return; }
      handleFrame(frame);
    };
    socket.onclose = function (event) {
      if (ws === socket) ws = null;
      stopPing();
      if (FINAL_CLOSE_CODES[event.code]) {
        stopped = true;
        setStatus('The chat is not available on this page.');
        return;
      }
      scheduleReconnect();
    };
    socket.onerror = function () { /* onclose follows */ };
  }

  function scheduleReconnect() {
    if (stopped) return;
    clearTimeout(reconnectTimer);
    var delay = Math.min(10000, 500 * Math.pow(2, attempt));
    delay = delay / 2 + Math.random() * (delay / 2);
    attempt++;
    if (attempt > 1) setStatus('Reconnecting\u2026');
    reconnectTimer = setTimeout(connect, delay);
  }

  function startPing() {
    stopPing();
    pingTimer = setInterval(function () {
      if (!sendFrame({ type: 'ping' })) return;
      clearTimeout(pongTimer);
      // A silent connection (laptop lid, lost Wi-Fi) is closed here so the reconnect starts.
      pongTimer = setTimeout(function () { if (ws) ws.close(); }, PONG_WITHIN_MS);
    }, PING_EVERY_MS);
  }
  function stopPing() {
    clearInterval(pingTimer);
    clearTimeout(pongTimer);
  }

  var retryTimer = null;
  function handleFrame(frame) {
    if (!frame || typeof frame.type !== 'string') return;
    if (frame.type === 'message') showMessage(frame.message);
    else if (frame.type === 'typing') setTyping(true);
    else if (frame.type === 'delta') showDraft(frame);
    else if (frame.type === 'rated') {
      pendingRating = null;
      if (feedback) fill([el('span', { role: 'status' }, 'Thank you for your rating.')]);
    } else if (frame.type === 'ack' && isFeedbackFrame(frame)) {
      feedbackAcked();
    } else if (frame.type === 'error' && isFeedbackFrame(frame)) {
      // Offline or busy: ask again; refused (not an answer of this chat): nothing to ask.
      if (frame.code === 'UNAVAILABLE' || frame.code === 'INTERNAL') askHelpful('Not sent. Try again.');
      else removeFeedback();
    } else if (frame.type === 'error' && !frame.clientId && pendingRating !== null && feedback) {
      pendingRating = null;
      askRating('Your rating was not saved. Try again.');
    } else if (frame.type === 'ack') {
      markAcked(frame.clientId);
      var local = localByClientId[frame.clientId];
      if (local) {
        local.removeAttribute('data-pending');
        local.setAttribute('data-acked-after', lastSeenId || '');
      }
      setTyping(true);
    } else if (frame.type === 'error') {
      if (!frame.clientId) return;
      var node = localByClientId[frame.clientId];
      if (frame.code === 'UNAVAILABLE' || frame.code === 'INTERNAL') {
        // Still in the outbox: try again shortly, with the same clientId.
        clearTimeout(retryTimer);
        retryTimer = setTimeout(flushOutbox, 3000);
        return;
      }
      dropFromOutbox(frame.clientId);
      if (node) {
        node.removeAttribute('data-pending');
        node.setAttribute('data-failed', '');
        node.appendChild(el('div', { class: 'cs-note' }, 'Not sent: ' + (frame.message || 'rejected')));
      }
    }
  }

  function isFeedbackFrame(frame) {
    return !!feedback && frame.clientId === FEEDBACK_PREFIX + feedback.messageId;
  }

  /** A message from this visitor: kept in the outbox until acked, resent after a reconnect. */
  function submitText(text) {
    // Writing on is an answer of its own: the question under the last answer no longer applies.
    removeFeedback();
    if (text.length > MAX_TEXT) text = text.slice(0, MAX_TEXT);
    var item = { clientId: randomId(), text: text, ts: Date.now() };
    outbox.push(item);
    save('outbox', outbox);
    showLocal(item);
    sendFrame({ type: 'message', clientId: item.clientId, text: item.text });
  }

  // ---- files: paperclip, drop, paste ----
  function formatBytes(n) {
    return n >= 1024 * 1024 ? Math.round(n / 104857.6) / 10 + ' MB' : Math.max(1, Math.round(n / 1024)) + ' KB';
  }
  /** A bubble that says why a file was not sent, before any byte left the page. */
  function refuseFile(file, reason) {
    var node = el('div', { class: 'cs-msg', 'data-cs-message': '', 'data-author': 'contact', 'data-failed': '' }, file.name || 'file');
    node.appendChild(el('div', { class: 'cs-note', role: 'alert', 'data-cs-file-error': '' }, 'Not sent: ' + reason));
    log.appendChild(node);
    scrollDown();
  }
  function sendFile(file) {
    if (!file) return;
    if (FILE_TYPES.indexOf(file.type) < 0) {
      refuseFile(file, 'only pictures (PNG, JPEG, GIF, WebP) and PDF files can be sent.');
      return;
    }
    if (file.size > MAX_FILE_BYTES) {
      refuseFile(file, 'this file is ' + formatBytes(file.size) + '; files can be at most ' + formatBytes(MAX_FILE_BYTES) + '.');
      return;
    }
    removeFeedback();
    var clientId = randomId();
    var node = el('div', { class: 'cs-msg', 'data-cs-message': '', 'data-author': 'contact', 'data-client-id': clientId, 'data-pending': '', 'data-cs-upload': '' }, file.name || 'file');
    var bar = el('progress', { class: 'cs-progress', max: '100', value: '0', 'data-cs-progress': '', 'aria-label': 'Uploading ' + (file.name || 'file') });
    var note = el('div', { class: 'cs-note', role: 'status' }, 'Uploading\u2026 0%');
    if (file.type.indexOf('image/') === 0 && window.URL && URL.createObjectURL) {
      // The customer's own picture, from memory: nothing fetched, nothing inserted as HTML.
      node.appendChild(el('img', { class: 'cs-thumb', src: URL.createObjectURL(file), alt: file.name || 'picture', 'data-cs-thumb': '' }));
    }
    node.appendChild(bar);
    node.appendChild(note);
    log.appendChild(node);
    localByClientId[clientId] = node;
    scrollDown();
    var body = new FormData();
    body.append('file', file, file.name || 'file');
    var xhr = new XMLHttpRequest();
    xhr.open('POST', uploadUrl + '?key=' + encodeURIComponent(widgetKey) + '&session=' + encodeURIComponent(sessionId) + '&clientId=' + encodeURIComponent(clientId));
    xhr.upload.onprogress = function (event) {
      if (!event.lengthComputable) return;
      var percent = Math.round((event.loaded / event.total) * 100);
      bar.value = percent;
      note.textContent = 'Uploading\u2026 ' + percent + '%';
    };
    xhr.onload = function () {
      if (bar.parentNode) bar.parentNode.removeChild(bar);
      node.removeAttribute('data-pending');
      if (xhr.status === 201) {
        node.setAttribute('data-acked-after', lastSeenId || '');
        note.textContent = 'Sent';
        setTyping(true);
        return;
      }
      var message = 'the file was not accepted.';
      try { message = JSON.parse(xhr.responseText).error.message.replace(/^file: /, '') || message; } catch (e) { /* keep the default */ }
      node.setAttribute('data-failed', '');
      note.setAttribute('data-cs-file-error', '');
      note.textContent = 'Not sent: ' + message;
    };
    xhr.onerror = function () {
      if (bar.parentNode) bar.parentNode.removeChild(bar);
      node.removeAttribute('data-pending');
      node.setAttribute('data-failed', '');
      note.setAttribute('data-cs-file-error', '');
      note.textContent = 'Not sent: the connection failed. Try again.';
    };
    xhr.send(body);
  }
  attach.addEventListener('click', function () { fileInput.click(); });
  fileInput.addEventListener('change', function () {
    Array.prototype.forEach.call(fileInput.files || [], sendFile);
    fileInput.value = '';
  });
  input.addEventListener('paste', function (event) {
    var files = event.clipboardData && event.clipboardData.files;
    if (!files || !files.length) return;
    event.preventDefault();
    Array.prototype.forEach.call(files, sendFile);
  });
  function hasFiles(event) {
    return !!event.dataTransfer && Array.prototype.indexOf.call(event.dataTransfer.types || [], 'Files') >= 0;
  }
  panel.addEventListener('dragover', function (event) {
    if (!hasFiles(event)) return;
    event.preventDefault();
    panel.setAttribute('data-cs-dragging', '');
  });
  panel.addEventListener('dragleave', function (event) {
    if (event.target === panel || !panel.contains(event.relatedTarget)) panel.removeAttribute('data-cs-dragging');
  });
  panel.addEventListener('drop', function (event) {
    panel.removeAttribute('data-cs-dragging');
    if (!hasFiles(event)) return;
    event.preventDefault();
    Array.prototype.forEach.call(event.dataTransfer.files, sendFile);
  });

  form.addEventListener('submit', function (event) {
    event.preventDefault();
    var text = input.value.trim();
    if (!text) return;
    input.value = '';
    submitText(text);
  });
  input.addEventListener('keydown', function (event) {
    if (event.key === 'Enter' && !event.shiftKey) {
      event.preventDefault();
      if (typeof form.requestSubmit === 'function') form.requestSubmit();
      else send.click();
    }
  });
  window.addEventListener('online', function () {
    if (!ws && !stopped) { attempt = 0; connect(); }
  });

  function start() {
    document.head.appendChild(style);
    document.body.appendChild(root);
    outbox.forEach(showLocal);
    setOpen(initiallyOpen());
    connect();
  }
  if (document.body) start();
  else document.addEventListener('DOMContentLoaded', start);
})();
