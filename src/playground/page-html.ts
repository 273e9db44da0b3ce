import { createHash } from 'node:crypto';

// The page loads only its own modules; slack-to-html is served from node_modules under /vendor.
const IMPORT_MAP = JSON.stringify({ imports: { 'slack-to-html': '/vendor/slack-to-html/index.mjs' } });

const STYLE = `
:root { font: 15px/1.46 -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; color: #1d1c1d; }
* { box-sizing: border-box; }
body { margin: 0; display: grid; grid-template-columns: 240px 1fr; height: 100vh; }
nav { background: #3f0e40; color: #e8dfe8; padding: 12px 0; overflow-y: auto; }
nav h1 { font-size: 17px; margin: 0 16px 12px; color: #fff; }
nav h2 { font-size: 13px; font-weight: 600; margin: 16px 16px 4px; color: #bcabbc; }
nav button { all: unset; display: block; width: 100%; padding: 3px 16px; cursor: pointer; box-sizing: border-box; }
nav button[aria-current="true"] { background: #1164a3; color: #fff; }
main { display: flex; flex-direction: column; min-width: 0; height: 100vh; }
header.channel { border-bottom: 1px solid #ddd; padding: 10px 20px; font-weight: 700; display: flex; gap: 12px; align-items: baseline; }
header.channel small { font-weight: 400; color: #616061; }
header.channel label { margin-left: auto; display: flex; gap: 6px; align-items: center; font-weight: 400; font-size: 13px; }
.live-banner { background: #e01e5a; color: #fff; padding: 8px 20px; font-weight: 700; }
.sandbox-banner { background: #fcf3d6; padding: 6px 20px; font-size: 13px; }
#messages { list-style: none; margin: 0; padding: 8px 0; overflow-y: auto; flex: 1; }
#messages > li, .thread > li { padding: 8px 20px; display: grid; grid-template-columns: 36px 1fr; gap: 8px; }
#messages > li:hover { background: #f8f8f8; }
.avatar { width: 36px; height: 36px; border-radius: 6px; background: #4a154b; color: #fff; display: grid; place-items: center; font-weight: 700; }
.avatar.user { background: #2eb67d; } .avatar.playground { background: #e01e5a; }
.meta { display: flex; gap: 8px; align-items: baseline; }
.meta strong { font-weight: 900; } .meta time, .meta .edited { color: #616061; font-size: 12px; }
.app-tag { background: #e8e8e8; color: #616061; font-size: 10px; font-weight: 700; padding: 0 3px; border-radius: 2px; }
.ephemeral { color: #616061; font-size: 12px; }
.ephemeral::before { content: "👁 "; }
.refusal { color: #e01e5a; white-space: pre-wrap; }
.thread { list-style: none; margin: 6px 0 0; padding: 0 0 0 12px; border-left: 3px solid #ddd; }
.bk-header { font-size: 18px; margin: 4px 0; }
.bk-section { margin: 4px 0; display: grid; grid-template-columns: 1fr auto; gap: 8px; }
.bk-text { white-space: pre-wrap; word-break: break-word; }
.bk-fields { grid-column: 1; display: grid; grid-template-columns: 1fr 1fr; gap: 8px 16px; white-space: pre-wrap; }
.bk-context { color: #616061; font-size: 13px; margin: 4px 0; white-space: pre-wrap; }
.bk-divider { border: 0; border-top: 1px solid #ddd; margin: 8px 0; }
.bk-actions { display: flex; flex-wrap: wrap; gap: 8px; margin: 8px 0; }
.bk-button { font: inherit; font-size: 13px; font-weight: 700; padding: 3px 12px; min-height: 28px; border: 1px solid #bbb; border-radius: 4px; background: #fff; cursor: pointer; }
.bk-button.bk-primary { background: #007a5a; color: #fff; border-color: #007a5a; }
.bk-button.bk-danger { background: #fff; color: #e01e5a; border-color: #e01e5a; }
.bk-select { font: inherit; font-size: 13px; min-height: 28px; border: 1px solid #bbb; border-radius: 4px; background: #fff; }
.bk-button:disabled { opacity: .5; cursor: progress; }
.bk-attachment { border-left: 4px solid #ddd; padding-left: 12px; margin: 6px 0; }
.bk-table { border-collapse: collapse; font-size: 13px; margin: 4px 0; }
.bk-table th, .bk-table td { border: 1px solid #ddd; padding: 4px 8px; text-align: left; vertical-align: top; word-break: break-all; }
.bk-table th { background: #f4f4f4; }
.bk-unsupported { border: 2px dashed #e01e5a; color: #e01e5a; padding: 6px 10px; margin: 4px 0; font-size: 13px; }
.slack_bold { font-weight: 700; } .slack_italics { font-style: italic; } .slack_strikethrough { text-decoration: line-through; }
.slack_code code { background: #f6f6f6; border: 1px solid #ddd; border-radius: 3px; padding: 0 3px; color: #e01e5a; font-size: 12px; }
div.slack_code { background: #f6f6f6; border: 1px solid #ddd; border-radius: 4px; padding: 8px; white-space: pre-wrap; }
div.slack_code code { border: 0; color: inherit; line-height: 1.5; }
/* Slack drops the line break right after the opening fence. */
div.slack_code code > br:first-child { display: none; }
.slack_block { border-left: 4px solid #ddd; padding-left: 8px; display: inline-block; }
.user-mention { background: #e8f5fa; color: #1264a3; border-radius: 3px; padding: 0 2px; }
form.composer { margin: 0 20px 20px; border: 1px solid #bbb; border-radius: 8px; display: flex; }
form.composer input { flex: 1; border: 0; padding: 12px; font: inherit; border-radius: 8px; }
form.composer button { font: inherit; margin: 6px; border: 0; border-radius: 4px; background: #007a5a; color: #fff; padding: 0 12px; }
dialog { border: 0; border-radius: 8px; padding: 24px; max-width: 480px; box-shadow: 0 10px 40px rgba(0,0,0,.3); }
dialog h2 { margin: 0 0 12px; font-size: 20px; }
dialog .bk-button.bk-danger { background: #e01e5a; color: #fff; }
dialog .choices { display: flex; justify-content: flex-end; gap: 8px; margin-top: 20px; }
`;

const sha256 = (text: string) => `'sha256-${createHash('sha256').update(text).digest('base64')}'`;

/** The Content-Security-Policy that keeps the page to its own origin: no CDN, no outside requests. */
export const PAGE_CSP = [
  "default-src 'none'",
  `script-src 'self' ${sha256(IMPORT_MAP)}`,
  `style-src ${sha256(STYLE)}`,
  "connect-src 'self'",
  "img-src 'self' data:",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

/** The playground's one page; the client module fills it in from the event stream. */
export const PAGE_HTML = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>#ops · Qflow Domain Bot playground</title>
<style>${STYLE}</style>
<script type="importmap">${IMPORT_MAP}</script>
<script type="module" src="/assets/page/playground-page.js"></script>
</head>
<body>
<nav aria-label="Conversations">
  <h1>Acme</h1>
  <h2>Channels</h2>
  <div id="channels"></div>
  <h2>Direct messages</h2>
  <div id="dms"></div>
</nav>
<main>
  <div id="banner"></div>
  <header class="channel"><span id="conversation-name">#ops</span><small id="viewer"></small>
    <label><input type="checkbox" id="as-member"> Act as a non-admin member (bob)</label></header>
  <ul id="messages" aria-label="Messages" aria-live="polite"></ul>
  <form class="composer" id="composer">
    <input id="composer-input" aria-label="Message #ops" placeholder="Message #ops — try /domain start mail.example.com" autocomplete="off">
    <button type="submit">Send</button>
  </form>
</main>
</body>
</html>
`;
