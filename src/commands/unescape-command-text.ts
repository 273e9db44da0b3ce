const ENTITIES: Readonly<Record<string, string>> = { '&lt;': '<', '&gt;': '>', '&amp;': '&' };

// One escape: the target before `|`, the label after it (Slack writes the label as it was typed).
function unescapeOne(inner: string): string {
  const bar = inner.indexOf('|');
  const target = bar === -1 ? inner : inner.slice(0, bar);
  const label = bar === -1 ? undefined : inner.slice(bar + 1);
  // A person stays a mention, without a name that could hold spaces: `/domain handoff` reads the id.
  if (target.startsWith('@')) return `<${target}>`;
  if (target.startsWith('#')) return label === undefined ? target : `#${label}`;
  if (target.startsWith('!')) return label ?? `@${target.slice(1).split('^')[0] ?? ''}`;
  // A link: what was typed (`mail.example.com` for `<http://mail.example.com|mail.example.com>`).
  return label ?? target;
}

/**
 * The text of a slash command as it was typed, from Slack's escaped form (`should_escape: true` in the
 * manifest): links and channels back to the words typed, mentions kept as `<@U…>`, entities decoded.
 * Text that Slack did not escape comes back unchanged, unless it holds `<…>` or an entity.
 */
export function unescapeCommandText(text: string): string {
  return text
    .replace(/<([^<>]*)>/g, (_escape, inner: string) => unescapeOne(inner))
    .replace(/&(lt|gt|amp);/g, (entity) => ENTITIES[entity] ?? entity);
}
