/**
 * Where requests go and with which model: settings first, then the environment
 * variables Qwen Code users already have (`OPENAI_BASE_URL`, `OPENAI_MODEL`,
 * `OPENAI_API_KEY`), then DashScope's compatible-mode defaults.
 */

export const DEFAULT_BASE_URL = 'https://dashscope-intl.aliyuncs.com/compatible-mode/v1';
export const DEFAULT_MODEL = 'qwen3-coder-plus';

export interface EndpointSettings {
  readonly baseUrl?: string;
  readonly model?: string;
}

export type Source = 'setting' | 'environment' | 'default';

export interface Endpoint {
  readonly baseUrl: string;
  readonly model: string;
  readonly baseUrlSource: Source;
  readonly modelSource: Source;
}

type Env = Readonly<Record<string, string | undefined>>;

const clean = (value: string | undefined): string | undefined => {
  const trimmed = value?.trim();
  return trimmed ? trimmed : undefined;
};

export function resolveEndpoint(settings: EndpointSettings, env: Env): Endpoint {
  const settingUrl = clean(settings.baseUrl);
  const envUrl = clean(env.OPENAI_BASE_URL);
  const settingModel = clean(settings.model);
  const envModel = clean(env.OPENAI_MODEL);
  return {
    baseUrl: stripTrailingSlash(settingUrl ?? envUrl ?? DEFAULT_BASE_URL),
    baseUrlSource: settingUrl ? 'setting' : envUrl ? 'environment' : 'default',
    model: settingModel ?? envModel ?? DEFAULT_MODEL,
    modelSource: settingModel ? 'setting' : envModel ? 'environment' : 'default',
  };
}

function stripTrailingSlash(url: string): string {
  return url.replace(/\/+$/, '');
}

/** A server on this machine (Ollama, LM Studio, vLLM on localhost) needs no key. */
export function isLoopback(baseUrl: string): boolean {
  try {
    const host = new URL(baseUrl).hostname.replace(/^\[|\]$/g, '');
    return host === 'localhost' || host === '::1' || /^127\.\d+\.\d+\.\d+$/.test(host);
  } catch {
    return false;
  }
}

/** Checks that a base URL can be used at all; returns a message for the user, or undefined. */
export function validateBaseUrl(baseUrl: string): string | undefined {
  let url: URL;
  try {
    url = new URL(baseUrl);
  } catch {
    return `"${baseUrl}" is not a URL. Set qcoder.baseUrl to something like ${DEFAULT_BASE_URL}.`;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    return `The base URL must start with http:// or https:// (got ${url.protocol}).`;
  }
  return undefined;
}

/** The host part of a base URL, for messages (never the path, which may carry a token). */
export function describeHost(baseUrl: string): string {
  try {
    return new URL(baseUrl).host;
  } catch {
    return baseUrl;
  }
}
