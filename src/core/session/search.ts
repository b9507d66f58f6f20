/** The history list's search: a session matches when its title or any message contains every word of the query. */
import type { ChatSession } from './types';

/** Lower-cased words of the query; an empty query matches everything. */
function words(query: string): string[] {
  return query.toLocaleLowerCase().split(/\s+/).filter(Boolean);
}

export function sessionMatches(session: Pick<ChatSession, 'title' | 'messages'>, query: string): boolean {
  const wanted = words(query);
  if (wanted.length === 0) return true;
  const haystack = [session.title, ...session.messages.map((message) => message.content)]
    .join('\n')
    .toLocaleLowerCase();
  return wanted.every((word) => haystack.includes(word));
}
