/**
 * Choosing where QCoder talks to: a quick pick of the common servers (DashScope,
 * OpenRouter, vLLM, SGLang, Ollama, LM Studio, llama.cpp, OpenAI, custom) that fills
 * the base URL and model, saved as a named profile in `qcoder.profiles`, each with
 * its own key, bound to the profile's endpoint. The active profile is the one source of
 * truth for base URL and model (`settings.ts`): activating it writes nothing else.
 * Both commands also take their answers as an argument, for scripts and tests.
 */
import * as vscode from 'vscode';
import { isLoopback, validateBaseUrl } from '../core/model/endpoint';
import { PROVIDER_PRESETS, type Profile, type ProviderPreset, findPreset, upsertProfile } from '../core/model/presets';
import { DisposableStore } from '../core/util/lifecycle';
import type { ApiKeys } from './apiKeys';
import { readProfiles } from './settings';

export interface ChooseProviderArgs {
  readonly preset: string;
  readonly baseUrl?: string;
  readonly model?: string;
  /** The profile's name; defaults to the preset's label. */
  readonly name?: string;
  readonly apiKey?: string;
}

export interface SwitchProfileArgs {
  readonly name: string;
}

const config = () => vscode.workspace.getConfiguration('qcoder');
const globalValue = <T>(key: string): T | undefined => config().inspect<T>(key)?.globalValue;

export function register(keys: ApiKeys): vscode.Disposable {
  const store = new DisposableStore();
  store.add(
    vscode.commands.registerCommand('qcoder.chooseProvider', (args?: ChooseProviderArgs) => chooseProvider(keys, args)),
  );
  store.add(
    vscode.commands.registerCommand('qcoder.switchProfile', (args?: SwitchProfileArgs) => switchProfile(keys, args)),
  );
  return new vscode.Disposable(() => store.dispose());
}

async function chooseProvider(keys: ApiKeys, args?: ChooseProviderArgs): Promise<Profile | undefined> {
  const preset = args ? findPreset(args.preset) : await pickPreset();
  if (!preset) {
    if (args) void vscode.window.showErrorMessage(`QCoder: no provider preset "${args.preset}".`);
    return undefined;
  }
  const answers = args ? fromArgs(preset, args) : await ask(preset);
  if (!answers) return undefined;
  const problem = validateBaseUrl(answers.baseUrl);
  if (problem) {
    void vscode.window.showErrorMessage(`QCoder: ${problem}`);
    return undefined;
  }
  const profile: Profile = {
    name: answers.name,
    baseUrl: answers.baseUrl.replace(/\/+$/, ''),
    model: answers.model,
    preset: preset.id,
  };
  await config().update('profiles', upsertProfile(readProfiles(), profile), vscode.ConfigurationTarget.Global);
  await activate(profile);
  if (args?.apiKey) {
    await keys.set(args.apiKey, profile.name, profile.baseUrl);
  } else if (!args && !isLoopback(profile.baseUrl) && !(await keys.has(profile.name))) {
    await keys.prompt(profile.name);
  }
  void vscode.window.showInformationMessage(
    `QCoder: using ${profile.model} at ${profile.baseUrl} (profile "${profile.name}").`,
  );
  return profile;
}

function fromArgs(
  preset: ProviderPreset,
  args: ChooseProviderArgs,
): { baseUrl: string; model: string; name: string } | undefined {
  const baseUrl = (args.baseUrl ?? preset.baseUrl).trim();
  const model = (args.model ?? preset.model).trim();
  const name = (args.name ?? preset.label).trim();
  return baseUrl && model && name ? { baseUrl, model, name } : undefined;
}

async function pickPreset(): Promise<ProviderPreset | undefined> {
  const items = PROVIDER_PRESETS.map((preset) => ({
    label: preset.label,
    description: preset.baseUrl,
    detail: preset.detail,
    preset,
  }));
  const picked = await vscode.window.showQuickPick(items, {
    title: 'QCoder: where does the model run?',
    matchOnDescription: true,
    matchOnDetail: true,
  });
  return picked?.preset;
}

/** Base URL (local servers and custom only: their ports vary), model, profile name. */
async function ask(preset: ProviderPreset): Promise<{ baseUrl: string; model: string; name: string } | undefined> {
  let baseUrl = preset.baseUrl;
  if (!preset.needsKey) {
    const typed = await vscode.window.showInputBox({
      title: `QCoder: ${preset.label} base URL`,
      value: baseUrl || 'http://localhost:8000/v1',
      prompt: 'The URL that ends in /v1 (chat completions are posted to <base URL>/chat/completions).',
      ignoreFocusOut: true,
      validateInput: (value) => validateBaseUrl(value.trim()),
    });
    if (typed === undefined) return undefined;
    baseUrl = typed.trim();
  }
  const model = await vscode.window.showInputBox({
    title: `QCoder: ${preset.label} model`,
    value: preset.model,
    prompt: 'The model id as the server knows it.',
    ignoreFocusOut: true,
    validateInput: (value) => (value.trim() ? undefined : 'Enter the model id.'),
  });
  if (model === undefined) return undefined;
  const name = await vscode.window.showInputBox({
    title: 'QCoder: profile name',
    value: preset.id === 'custom' ? safeHost(baseUrl) : preset.label,
    prompt: 'A name for this server + model, to switch back to it later. An existing profile of this name is replaced.',
    ignoreFocusOut: true,
    validateInput: (value) => (value.trim() ? undefined : 'Enter a name.'),
  });
  if (name === undefined) return undefined;
  return { baseUrl, model: model.trim(), name: name.trim() };
}

async function switchProfile(keys: ApiKeys, args?: SwitchProfileArgs): Promise<Profile | undefined> {
  const profiles = readProfiles();
  if (args) {
    const profile = profiles.find((p) => p.name === args.name);
    if (!profile) {
      void vscode.window.showErrorMessage(`QCoder: no profile named "${args.name}" in qcoder.profiles.`);
      return undefined;
    }
    await activate(profile);
    return profile;
  }
  const active = globalValue<string>('activeProfile');
  const items: Array<vscode.QuickPickItem & { profile?: Profile }> = profiles.map((profile) => ({
    label: profile.name === active ? `$(check) ${profile.name}` : profile.name,
    description: profile.model,
    detail: profile.baseUrl,
    profile,
  }));
  items.push({ label: '$(add) New profile…', detail: 'Choose a provider and model' });
  const picked = await vscode.window.showQuickPick(items, { title: 'QCoder: switch profile' });
  if (!picked) return undefined;
  if (!picked.profile) return chooseProvider(keys);
  await activate(picked.profile);
  if (!isLoopback(picked.profile.baseUrl) && !(await keys.has(picked.profile.name)))
    await keys.prompt(picked.profile.name);
  return picked.profile;
}

async function activate(profile: Profile): Promise<void> {
  await config().update('activeProfile', profile.name, vscode.ConfigurationTarget.Global);
}

function safeHost(baseUrl: string): string {
  try {
    return new URL(baseUrl).host;
  } catch {
    return 'Custom';
  }
}
