/** Page preview: the `preview_page` tool source, the Preview panel, and the command that shows it. */
import * as vscode from 'vscode';
import type { TokenCounter } from '../../core/context/tokens/tokenCounter';
import { acceptsImages, type VisionSetting } from '../../core/model/vision';
import type { AccessDecider } from '../workspace/accessService';
import { PreviewPanel } from './previewPanel';
import { VsCodePreviewFiles } from './previewFiles';
import { PreviewToolSource } from './previewToolSource';

export interface PreviewFeature extends vscode.Disposable {
  readonly source: PreviewToolSource;
  readonly panel: PreviewPanel;
}

export function registerPreview(deps: {
  readonly extensionUri: vscode.Uri;
  readonly access: AccessDecider;
  readonly counter: () => Promise<TokenCounter>;
  readonly model: () => string;
  readonly log: (line: string) => void;
}): PreviewFeature {
  let panel: PreviewPanel | undefined = undefined;
  const vision = () =>
    acceptsImages(deps.model(), vscode.workspace.getConfiguration('qcoder').get<VisionSetting>('model.vision', 'auto'));
  const source = new PreviewToolSource(
    new VsCodePreviewFiles(deps.access),
    { counter: deps.counter, vision, onShot: (shot) => panel?.show(shot) },
    deps.log,
  );
  panel = new PreviewPanel(deps.extensionUri, (host) => source.allowedHosts.add(host.toLowerCase()));
  const shown = panel;
  const command = vscode.commands.registerCommand('qcoder.showPreview', () => {
    if (!shown.reveal()) void vscode.window.showInformationMessage('No page has been previewed yet in this session.');
  });
  return {
    source,
    panel: shown,
    dispose: () => {
      command.dispose();
      shown.dispose();
      source.dispose();
    },
  };
}
