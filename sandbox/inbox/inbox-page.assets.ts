/** The inbox page's style sheet, inlined so that the page makes no other request. */
export const INBOX_STYLE = `
:root {
  color-scheme: light dark;
  --bg: #f5f6f8; --card: #fff; --text: #1d2330; --muted: #5f6b7a; --line: #e0e4ea;
  --accent: #2f5fd0; --code-bg: #fff1b8; --code-text: #4a3b00; --danger: #b42318;
  --mono: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace;
}
@media (prefers-color-scheme: dark) {
  :root {
    --bg: #12151b; --card: #1b2029; --text: #e6e9ef; --muted: #98a2b3; --line: #2c3340;
    --accent: #7aa2ff; --code-bg: #4a3b00; --code-text: #ffe58a; --danger: #ff8a80;
  }
}
* { box-sizing: border-box; }
body {
  margin: 0; background: var(--bg); color: var(--text);
  font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif;
}
.page { max-width: 920px; margin: 0 auto; padding: 24px 16px 48px; }
.top { display: flex; gap: 16px; align-items: flex-start; justify-content: space-between; flex-wrap: wrap; }
h1 { margin: 0; font-size: 22px; }
.sub { margin: 4px 0 0; color: var(--muted); }
.actions { display: flex; gap: 12px; align-items: center; }
.live { font-size: 13px; color: var(--muted); display: inline-flex; align-items: center; gap: 6px; }
.live::before { content: ""; width: 8px; height: 8px; border-radius: 50%; background: var(--muted); }
.live[data-state="live"]::before { background: #12b76a; }
.live[data-state="offline"]::before { background: var(--danger); }
button, input, select { font: inherit; color: inherit; }
button {
  border: 1px solid var(--line); background: var(--card); border-radius: 6px;
  padding: 5px 12px; cursor: pointer;
}
button:hover { border-color: var(--accent); }
button.danger { color: var(--danger); }
.filter {
  display: flex; gap: 12px; align-items: end; flex-wrap: wrap; margin: 20px 0 12px;
  padding: 12px; background: var(--card); border: 1px solid var(--line); border-radius: 8px;
}
.filter label { display: flex; flex-direction: column; font-size: 12px; color: var(--muted); gap: 2px; }
.filter input, .filter select {
  min-width: 200px; padding: 5px 8px; border: 1px solid var(--line); border-radius: 6px;
  background: var(--bg);
}
.count { margin-left: auto; color: var(--muted); font-size: 13px; }
.empty { text-align: center; color: var(--muted); padding: 40px 0; }
.messages { list-style: none; margin: 0; padding: 0; display: grid; gap: 10px; }
.message { background: var(--card); border: 1px solid var(--line); border-radius: 8px; padding: 12px 14px; }
.message[hidden] { display: none; }
.meta { display: flex; gap: 8px; align-items: center; font-size: 12px; color: var(--muted); }
.meta time { margin-left: auto; }
.provider { font-weight: 600; padding: 1px 8px; border-radius: 999px; color: #fff; background: var(--accent); }
.provider-AccessUrl { background: #6941c6; }
.provider-GatewayApi { background: #1570ef; }
.provider-Smstools { background: #0e9384; }
.provider-TeliaSmsGateway { background: #c11574; }
.environment { border: 1px solid var(--line); border-radius: 999px; padding: 0 8px; }
.route { margin-top: 6px; }
.route .label { color: var(--muted); font-size: 13px; }
.text { margin: 6px 0; white-space: pre-wrap; overflow-wrap: anywhere; font-size: 16px; }
mark.code {
  background: var(--code-bg); color: var(--code-text); font-family: var(--mono);
  font-weight: 700; padding: 0 4px; border-radius: 4px; letter-spacing: 0.05em;
}
.codes { display: flex; gap: 8px; flex-wrap: wrap; margin-bottom: 6px; }
.copy { font-family: var(--mono); font-size: 13px; }
.facts { display: flex; gap: 14px; font-size: 12px; color: var(--muted); }
.delivery { font-weight: 600; }
.delivery-delivered { color: #1a7f37; }
.delivery-failed { color: #cf222e; }
.raw { margin-top: 8px; font-size: 13px; }
.raw summary { cursor: pointer; color: var(--accent); }
.raw pre {
  margin: 6px 0 0; padding: 10px; background: var(--bg); border: 1px solid var(--line);
  border-radius: 6px; overflow: auto; font-family: var(--mono); font-size: 12px; white-space: pre-wrap;
  overflow-wrap: anywhere;
}
`;

/**
 * The inbox page's script: filtering, copying codes, clearing, and live updates through
 * Server-Sent Events. Plain browser JavaScript with no build step; new messages arrive as HTML the
 * server has already escaped.
 */
export const INBOX_SCRIPT = `
(function () {
  'use strict';
  var MAX_MESSAGES = 1000;
  var list = document.getElementById('messages');
  var phone = document.getElementById('filter-phone');
  var provider = document.getElementById('filter-provider');
  var count = document.getElementById('count');
  var empty = document.getElementById('empty');
  var live = document.getElementById('live');

  function digits(value) { return value.replace(/\\D/g, ''); }

  function applyFilterTo(card) {
    var wanted = digits(phone.value);
    card.hidden = !((!wanted || card.dataset.phone.indexOf(wanted) !== -1) &&
      (!provider.value || card.dataset.provider === provider.value));
  }

  function refresh() {
    var total = list.children.length;
    var shown = list.querySelectorAll('.message:not([hidden])').length;
    count.textContent = (shown === total ? '' : shown + ' of ') + total +
      (total === 1 ? ' message' : ' messages');
    empty.hidden = shown > 0;
    empty.textContent = total === 0 ? 'No messages yet.' : 'No messages match the filter.';
  }

  function localizeTimes(root) {
    root.querySelectorAll('time[datetime]').forEach(function (time) {
      var date = new Date(time.dateTime);
      time.textContent = date.toLocaleTimeString();
      time.title = date.toLocaleString();
    });
  }

  function filterAll() {
    Array.prototype.forEach.call(list.children, applyFilterTo);
    refresh();
    var params = new URLSearchParams();
    if (digits(phone.value)) params.set('phone', digits(phone.value));
    if (provider.value) params.set('provider', provider.value);
    var query = params.toString();
    history.replaceState(null, '', location.pathname + (query ? '?' + query : ''));
  }

  function flash(button, label) {
    var original = button.dataset.label || (button.dataset.label = button.textContent);
    button.textContent = label;
    setTimeout(function () { button.textContent = original; }, 1500);
  }

  document.getElementById('filter').addEventListener('submit', function (event) {
    event.preventDefault();
    filterAll();
  });
  phone.addEventListener('input', filterAll);
  provider.addEventListener('change', filterAll);

  list.addEventListener('click', function (event) {
    var button = event.target.closest('button.copy');
    if (!button) return;
    var copied = navigator.clipboard
      ? navigator.clipboard.writeText(button.dataset.code)
      : Promise.reject(new Error('no clipboard'));
    copied.then(
      function () { flash(button, 'Copied'); },
      function () { flash(button, 'Copy failed'); }
    );
  });

  document.getElementById('clear').addEventListener('click', function () {
    fetch('/api/messages', { method: 'DELETE' }).then(function (response) {
      if (!response.ok) throw new Error('HTTP ' + response.status);
      list.replaceChildren();
      refresh();
    }).catch(function () {
      live.textContent = 'Clearing failed';
    });
  });

  var source = new EventSource('/api/messages/stream?after=' + encodeURIComponent(list.dataset.after));
  source.addEventListener('open', function () {
    live.dataset.state = 'live';
    live.textContent = 'Live';
  });
  source.addEventListener('error', function () {
    live.dataset.state = 'offline';
    live.textContent = 'Reconnecting…';
  });
  source.addEventListener('message', function (event) {
    var template = document.createElement('template');
    template.innerHTML = JSON.parse(event.data).html;
    var card = template.content.firstElementChild;
    applyFilterTo(card);
    localizeTimes(card);
    // A delivery report changes a message the list already shows: it is replaced where it is.
    var shown = Array.prototype.find.call(list.children, function (item) {
      return item.dataset.id === card.dataset.id && item.dataset.provider === card.dataset.provider;
    });
    if (shown) {
      shown.replaceWith(card);
      refresh();
      return;
    }
    list.prepend(card);
    while (list.children.length > MAX_MESSAGES) list.lastElementChild.remove();
    refresh();
  });
  source.addEventListener('clear', function () {
    list.replaceChildren();
    refresh();
  });

  localizeTimes(document);
  refresh();
})();
`;
