/**
 * Which chat surface a message from the host belongs to, when several show different sessions
 * (the sidebar and editor tabs): a message that names a session goes to the surfaces showing
 * it, one that names a chat message to the surface whose session holds it, and the rest
 * (the connection, the mode, trust) to every surface.
 */
import type { HostMessage } from '../protocol';

export type SurfaceRoute = { readonly session: string } | { readonly message: string } | { readonly everywhere: true };

export function surfaceRoute(message: HostMessage): SurfaceRoute {
  switch (message.type) {
    case 'session':
    case 'todos':
      return { session: message.sessionId };
    case 'review':
      return { message: message.review.messageId };
    case 'delta':
    case 'toolCall':
    case 'notice':
    case 'messageDone':
    case 'reasoning':
      return { message: message.messageId };
    case 'messageAdded':
      return { message: message.message.id };
    default:
      return { everywhere: true };
  }
}

/**
 * The surfaces `message` goes to; none when it belongs to a session no surface shows (it is sent again when one does).
 */
export function routeTo<S>(
  message: HostMessage,
  surfaces: Iterable<S>,
  shows: (surface: S, route: { session: string } | { message: string }) => boolean,
): S[] {
  const route = surfaceRoute(message);
  return [...surfaces].filter((surface) => 'everywhere' in route || shows(surface, route));
}
