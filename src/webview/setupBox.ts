/**
 * The setup box shown while the chat cannot reach a model: Choose Provider… first, then the
 * model servers already answering on this machine (one click uses one), then Set API Key and
 * Open Settings. The host looks for local servers when the box appears.
 */
import type { ConnectionView, LocalServerView, WebviewMessage } from '../core/protocol';
import { button, el } from './dom';

const MODELS_SHOWN = 4;

export class SetupBox {
  private asked = false;

  constructor(
    private readonly box: HTMLElement,
    private readonly post: (message: WebviewMessage) => void,
  ) {
    const on = (id: string, message: WebviewMessage) =>
      box.querySelector(`#${id}`)?.addEventListener('click', () => post(message));
    on('setup-provider', { type: 'chooseProvider' });
    on('setup-key', { type: 'setApiKey' });
    on('setup-settings', { type: 'openSettings' });
  }

  show(connection: ConnectionView): void {
    this.box.hidden = connection.ready;
    const text = this.box.querySelector('#setup-text');
    if (text) text.textContent = connection.problem ?? '';
    if (!connection.ready && !this.asked) {
      this.asked = true;
      this.post({ type: 'findLocalServers' });
    }
    if (connection.ready) this.asked = false;
  }

  /** Shows the box (a message typed before setup). */
  reveal(): void {
    this.box.hidden = false;
  }

  servers(servers: readonly LocalServerView[]): void {
    const list = this.box.querySelector<HTMLElement>('#local-servers');
    if (!list) return;
    if (servers.length === 0) {
      list.replaceChildren();
      return;
    }
    const heading = el('p', 'local-heading', 'Model servers running on this computer:');
    const items = el('ul', 'local-list');
    items.setAttribute('aria-label', 'Model servers on this computer');
    for (const server of servers) {
      for (const model of server.models.slice(0, MODELS_SHOWN)) {
        const item = el('li', 'local-server');
        const name = el('span', 'local-name', `${server.label} · ${model}`);
        const use = button('Use', () =>
          this.post({ type: 'chooseProvider', preset: server.preset, baseUrl: server.baseUrl, model }),
        );
        use.setAttribute('aria-label', `Use ${model} on ${server.label}`);
        item.append(name, use);
        items.append(item);
      }
    }
    list.replaceChildren(heading, items);
  }
}
