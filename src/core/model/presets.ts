/**
 * The servers people run Qwen3-Coder on, with the base URL and model id each one
 * expects, and named profiles (`qcoder.profiles`) that remember a choice. Data
 * only: the quick pick that offers them lives in src/vscode/presets.ts.
 */
import { isRecord } from './toolArguments';

export interface ProviderPreset {
  readonly id: string;
  readonly label: string;
  /** One line for the quick pick. */
  readonly detail: string;
  readonly baseUrl: string;
  readonly model: string;
  /** Hosted services need a key; local servers do not. */
  readonly needsKey: boolean;
}

export const PROVIDER_PRESETS: readonly ProviderPreset[] = [
  {
    id: 'dashscope-intl',
    label: 'DashScope (international)',
    detail: 'Alibaba Cloud Model Studio, Singapore: qwen3-coder-plus',
    baseUrl: 'https://dashscope-intl.aliyuncs.com/compatible-mode/v1',
    model: 'qwen3-coder-plus',
    needsKey: true,
  },
  {
    id: 'dashscope-cn',
    label: 'DashScope (China)',
    detail: 'Alibaba Cloud Bailian, Beijing: qwen3-coder-plus',
    baseUrl: 'https://dashscope.aliyuncs.com/compatible-mode/v1',
    model: 'qwen3-coder-plus',
    needsKey: true,
  },
  {
    id: 'openrouter',
    label: 'OpenRouter',
    detail: 'qwen/qwen3-coder through OpenRouter',
    baseUrl: 'https://openrouter.ai/api/v1',
    model: 'qwen/qwen3-coder',
    needsKey: true,
  },
  {
    id: 'vllm',
    label: 'vLLM (local)',
    detail: 'vllm serve … --tool-call-parser qwen3_coder, port 8000',
    baseUrl: 'http://localhost:8000/v1',
    model: 'Qwen/Qwen3-Coder-30B-A3B-Instruct',
    needsKey: false,
  },
  {
    id: 'sglang',
    label: 'SGLang (local)',
    detail: 'sglang.launch_server … --tool-call-parser qwen3_coder, port 30000',
    baseUrl: 'http://localhost:30000/v1',
    model: 'Qwen/Qwen3-Coder-30B-A3B-Instruct',
    needsKey: false,
  },
  {
    id: 'ollama',
    label: 'Ollama',
    detail: 'ollama pull qwen3-coder:30b, port 11434',
    baseUrl: 'http://localhost:11434/v1',
    model: 'qwen3-coder:30b',
    needsKey: false,
  },
  {
    id: 'lmstudio',
    label: 'LM Studio',
    detail: 'Developer tab → Start server, port 1234',
    baseUrl: 'http://localhost:1234/v1',
    model: 'qwen/qwen3-coder-30b',
    needsKey: false,
  },
  {
    id: 'llamacpp',
    label: 'llama.cpp server',
    detail: 'llama-server --jinja -m qwen3-coder-….gguf, port 8080',
    baseUrl: 'http://localhost:8080/v1',
    model: 'qwen3-coder',
    needsKey: false,
  },
  {
    id: 'openai',
    label: 'OpenAI',
    detail: 'api.openai.com: gpt-4.1',
    baseUrl: 'https://api.openai.com/v1',
    model: 'gpt-4.1',
    needsKey: true,
  },
  {
    id: 'custom',
    label: 'Custom…',
    detail: 'Any OpenAI-compatible server: type its base URL and model',
    baseUrl: '',
    model: '',
    needsKey: false,
  },
];

export function findPreset(id: string | undefined): ProviderPreset | undefined {
  return PROVIDER_PRESETS.find((preset) => preset.id === id);
}

/** A named server + model, as stored in the `qcoder.profiles` setting. */
export interface Profile {
  readonly name: string;
  readonly baseUrl: string;
  readonly model: string;
  /** The preset it was made from, if any. */
  readonly preset?: string;
}

/** Reads the setting leniently: entries without a name, URL or model are skipped, duplicates keep the first. */
export function parseProfiles(value: unknown): Profile[] {
  if (!Array.isArray(value)) return [];
  const profiles: Profile[] = [];
  for (const item of value) {
    if (!isRecord(item)) continue;
    const name = typeof item.name === 'string' ? item.name.trim() : '';
    const baseUrl = typeof item.baseUrl === 'string' ? item.baseUrl.trim().replace(/\/+$/, '') : '';
    const model = typeof item.model === 'string' ? item.model.trim() : '';
    if (!name || !baseUrl || !model || profiles.some((p) => p.name === name)) continue;
    const preset = typeof item.preset === 'string' && item.preset ? item.preset : undefined;
    profiles.push(preset ? { name, baseUrl, model, preset } : { name, baseUrl, model });
  }
  return profiles;
}

/** Adds or replaces (by name) a profile, keeping the order. */
export function upsertProfile(profiles: readonly Profile[], profile: Profile): Profile[] {
  const index = profiles.findIndex((p) => p.name === profile.name);
  if (index < 0) return [...profiles, profile];
  const next = [...profiles];
  next[index] = profile;
  return next;
}

/** The SecretStorage key under which a profile's API key is kept. */
export function profileSecretKey(profileName: string): string {
  return `qcoder.apiKey.profile.${profileName}`;
}
