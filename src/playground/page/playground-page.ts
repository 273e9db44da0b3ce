// The browser side of the playground: draws each snapshot the server streams, sends what the person types or
// clicks. It never renders message content itself: render-blocks.ts does, the same code the unit tests check.
import {
  escapeHtml,
  findButton,
  type Json,
  type RenderNames,
  renderMessageBody,
} from '../render/render-blocks.js';
import type { Snapshot } from '../snapshot.js';
import type { PlaygroundMessage } from '../workspace.js';

const ADMIN = 'U0ALICE';
const MEMBER = 'U0BOB';
const OPS = 'C0OPS';

const byId = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;
const list = byId<HTMLUListElement>('messages');
const asMember = byId<HTMLInputElement>('as-member');
const composer = byId<HTMLFormElement>('composer');
const input = byId<HTMLInputElement>('composer-input');

let snapshot: Snapshot | undefined;
let open = OPS;

const viewer = () => (asMember.checked ? MEMBER : ADMIN);

function names(current: Snapshot): RenderNames {
  const users = Object.fromEntries(Object.entries(current.users).map(([id, user]) => [id, user.name]));
  const channels = Object.fromEntries(
    current.conversations.filter((c) => c.kind === 'channel').map((c) => [c.id, c.name]),
  );
  return { users: { ...users, [current.bot.id]: current.bot.name }, channels, usergroups: {} };
}

// The conversations in the viewer's sidebar: the channels, and their own DMs only.
const conversationsOf = (current: Snapshot) =>
  current.conversations.filter((c) => c.kind === 'channel' || c.member === viewer());

const time = (ts: string) =>
  new Date(Number(ts) * 1000).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });

function messageHtml(message: PlaygroundMessage, current: Snapshot, replies: PlaygroundMessage[]): string {
  const author =
    message.author === 'bot'
      ? current.bot.name
      : message.author === 'playground'
        ? 'Playground'
        : (current.users[message.author]?.name ?? message.author);
  const kind = message.author === 'bot' ? '' : message.author === 'playground' ? ' playground' : ' user';
  const body =
    message.author === 'playground'
      ? `<div class="refusal">${escapeHtml(message.content.text)}</div>`
      : renderMessageBody(message.content, names(current));
  const thread =
    replies.length === 0
      ? ''
      : `<ul class="thread" aria-label="Thread replies">${replies.map((r) => messageHtml(r, current, [])).join('')}</ul>`;
  return `<li data-message-id="${escapeHtml(message.id)}">
    <div class="avatar${kind}" aria-hidden="true">${escapeHtml(author.charAt(0).toUpperCase())}</div>
    <div>
      <div class="meta"><strong>${escapeHtml(author)}</strong>${message.author === 'bot' ? '<span class="app-tag">APP</span>' : ''}
        <time>${time(message.ts)}</time>
        ${message.ephemeralFor === undefined ? '' : '<span class="ephemeral">Only visible to you</span>'}
        ${message.edited === true ? '<span class="edited">(edited)</span>' : ''}</div>
      ${body}${thread}
    </div></li>`;
}

function draw(): void {
  const current = snapshot;
  if (current === undefined) return;
  byId('banner').innerHTML = current.live
    ? '<div class="live-banner" role="alert">Live QFlowHub: the bot uses real QFLOW_* credentials, so changes here are real.</div>'
    : '<div class="sandbox-banner">Sandbox: the bot manages a simulated QFlowHub domain; nothing real changes.</div>';
  const shown = conversationsOf(current);
  // Switching to the other user leaves a DM that is not theirs.
  if (!shown.some((c) => c.id === open)) open = OPS;
  const navButton = (c: Snapshot['conversations'][number]) =>
    `<button type="button" data-conversation="${escapeHtml(c.id)}" aria-current="${c.id === open}">${c.kind === 'channel' ? '# ' : ''}${escapeHtml(c.name)}</button>`;
  byId('channels').innerHTML = shown
    .filter((c) => c.kind === 'channel')
    .map(navButton)
    .join('');
  byId('dms').innerHTML = shown
    .filter((c) => c.kind === 'dm')
    .map(navButton)
    .join('');
  const conversation = shown.find((c) => c.id === open);
  const title =
    conversation === undefined || conversation.kind === 'channel'
      ? `#${conversation?.name ?? 'ops'}`
      : conversation.name;
  byId('conversation-name').textContent = title;
  // The composer says where a message goes, as Slack's does: "Message #ops", "Message Qflow Domain Bot".
  input.setAttribute('aria-label', `Message ${title}`);
  input.placeholder =
    open === OPS ? `Message ${title} — try /domain start mail.example.com` : `Message ${title}`;
  document.title = `${title} · ${current.bot.name} playground`;
  byId('viewer').textContent = `you are ${current.users[viewer()]?.name ?? viewer()}`;
  const visible = current.messages.filter(
    (m) => m.channel === open && (m.ephemeralFor === undefined || m.ephemeralFor === viewer()),
  );
  const atBottom = list.scrollTop + list.clientHeight >= list.scrollHeight - 40;
  list.innerHTML = visible
    .filter((m) => m.threadTs === undefined)
    .map((m) =>
      messageHtml(
        m,
        current,
        visible.filter((r) => r.threadTs === m.ts),
      ),
    )
    .join('');
  if (atBottom) list.scrollTop = list.scrollHeight;
}

async function send(path: string, body: Record<string, unknown>): Promise<void> {
  await fetch(path, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ ...body, userId: viewer() }),
  });
}

const plain = (value: unknown) => String((value as Json | undefined)?.text ?? '');

/** Slack's confirm dialog for a button; resolves true when the person confirms. */
function confirmDialog(confirm: Json): Promise<boolean> {
  const dialog = document.createElement('dialog');
  dialog.setAttribute('aria-labelledby', 'confirm-title');
  const danger = confirm.style === 'danger' ? 'bk-danger' : 'bk-primary';
  dialog.innerHTML = `<h2 id="confirm-title">${escapeHtml(plain(confirm.title))}</h2>
    <p>${escapeHtml(plain(confirm.text))}</p>
    <div class="choices"><button type="button" class="bk-button" value="deny">${escapeHtml(plain(confirm.deny) || 'Cancel')}</button>
    <button type="button" class="bk-button ${danger}" value="confirm">${escapeHtml(plain(confirm.confirm) || 'Yes')}</button></div>`;
  document.body.append(dialog);
  return new Promise((resolve) => {
    dialog.addEventListener('click', (event) => {
      const choice = (event.target as HTMLElement).closest('button')?.value;
      if (choice !== undefined) dialog.close(choice);
    });
    dialog.addEventListener('close', () => {
      resolve(dialog.returnValue === 'confirm');
      dialog.remove();
    });
    dialog.showModal();
  });
}

list.addEventListener('click', (event) => {
  const button = (event.target as HTMLElement).closest<HTMLButtonElement>('button[data-ref]');
  const messageId = button?.closest('li[data-message-id]')?.getAttribute('data-message-id');
  const message = snapshot?.messages.find((m) => m.id === messageId);
  if (button === null || button === undefined || message === undefined) return;
  const ref = button.dataset.ref ?? '';
  const confirm = findButton(message.content, ref)?.button.confirm as Json | undefined;
  void (async () => {
    if (confirm !== undefined && !(await confirmDialog(confirm))) return;
    button.disabled = true;
    await send('/ui/action', { messageId: message.id, ref });
  })();
});

// A pick in a menu (the people picker, Copy as…) is posted as Slack posts it.
list.addEventListener('change', (event) => {
  const select = (event.target as HTMLElement).closest<HTMLSelectElement>('select[data-ref]');
  const messageId = select?.closest('li[data-message-id]')?.getAttribute('data-message-id');
  if (select === null || select === undefined || messageId == null || select.value === '') return;
  void send('/ui/action', { messageId, ref: select.dataset.ref ?? '', picked: select.value });
});

composer.addEventListener('submit', (event) => {
  event.preventDefault();
  const text = input.value;
  input.value = '';
  void send('/ui/command', { text, channel: open });
});

byId('channels').parentElement?.addEventListener('click', (event) => {
  const id = (event.target as HTMLElement)
    .closest('button[data-conversation]')
    ?.getAttribute('data-conversation');
  if (id === null || id === undefined) return;
  open = id;
  draw();
});
asMember.addEventListener('change', draw);

new EventSource('/ui/events').addEventListener('message', (event: MessageEvent<string>) => {
  snapshot = JSON.parse(event.data) as Snapshot;
  draw();
});
