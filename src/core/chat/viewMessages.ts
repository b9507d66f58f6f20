/**
 * The view's messages to a chat engine, each to what it asks for: the engine's own actions
 * (send, stop, retry, sessions), the message actions (edit, regenerate, branches), the agent's
 * mode, the context and slash look-ups, and the host's commands for what the core cannot do.
 */
import { ACT_MESSAGE } from '../agent/modes';
import type { WebviewMessage } from '../protocol';
import type { ChatEngineDeps } from './chatEngineDeps';
import type { ExtraContext } from './contextProvider';
import type { MessageActions } from './messageActions';

/** What the view's messages reach on the engine. */
export interface ViewMessageTarget {
  readonly actions: MessageActions;
  publishAll(): Promise<void>;
  send(text: string, extra?: ExtraContext, images?: readonly string[]): Promise<void>;
  stop(): void;
  newChat(): Promise<void>;
  switchSession(id: string): Promise<void>;
  retry(): Promise<void>;
}

export async function routeViewMessage(
  message: WebviewMessage,
  engine: ViewMessageTarget,
  deps: Pick<ChatEngineDeps, 'post' | 'runCommand' | 'setMode' | 'context' | 'tools' | 'slash'>,
): Promise<void> {
  switch (message.type) {
    case 'ready':
      return engine.publishAll();
    case 'send':
      return engine.send(message.text, undefined, message.images);
    case 'editMessage':
    case 'regenerate':
    case 'switchBranch':
    case 'codeAction':
      return engine.actions.handle(message);
    case 'stop':
      return engine.stop();
    case 'newChat':
      return engine.newChat();
    case 'switchSession':
      return engine.switchSession(message.sessionId);
    case 'retry':
      return engine.retry();
    case 'setApiKey':
      return deps.runCommand('setApiKey');
    case 'openSettings':
      return deps.runCommand('openSettings');
    case 'setMode':
      await deps.setMode?.(message.mode);
      return;
    case 'act':
      // The plan above is carried out with every edit reviewed and every command asked.
      await deps.setMode?.('ask');
      return engine.send(ACT_MESSAGE);
    case 'rendered':
      return; // the host's view layer reports these (tests listen)
    case 'contextAction': {
      const ledger = deps.context?.act(message.action, message.key);
      if (ledger) deps.post({ type: 'ledger', ledger });
      return;
    }
    case 'promptAnswer':
      deps.tools?.answer(message.callId, { choice: message.choice, text: message.text });
      return;
    case 'slashQuery': {
      const items = (await deps.slash?.list().catch(() => [])) ?? [];
      deps.post({ type: 'slashResults', requestId: message.requestId, items });
      return;
    }
    case 'trustAction':
      return deps.runCommand(message.action === 'manage' ? 'manageTrust' : 'loadInstructions');
    case 'mentionQuery': {
      const items = (await deps.context?.complete(message.kind, message.prefix).catch(() => [])) ?? [];
      deps.post({ type: 'mentionResults', requestId: message.requestId, items });
      return;
    }
  }
}
