/**
 * Every secret rule QCoder knows, in one place. A file that matches one is never read,
 * listed, searched, packed or changed, whatever the ignore files say, even when the user
 * names it; its name is not shown either.
 *
 * - By name (`SECRET_NAMES`, tested against the file name) and by place (`SECRET_PATHS`,
 *   tested against the folder-relative path): env files, keys and keystores, cloud, CLI
 *   and registry credential stores, Terraform variables and state, kubeconfigs, vault tokens.
 * - By content in configuration formats that mix settings and credentials
 *   (`CREDENTIAL_CONFIGS`): a `.npmrc` is fine until it holds `_authToken`.
 * - By content anywhere (`SECRET_SHAPES`): private-key blocks (PEM, OpenSSH, SSH2, PuTTY)
 *   and tokens with a recognisable shape (AWS key ids, GitHub, GitLab, npm, Slack, …).
 *   The same shapes scrub request bodies (`redactSecrets`) as a last line of defence.
 * - The user's own patterns (`qcoder.secrets.extraPatterns`, see `compileSecretPatterns`).
 */
import { Minimatch } from 'minimatch';

/** File names that hold secrets (case-insensitive, whole name). */
const SECRET_NAMES: readonly RegExp[] = [
  /^\.env(rc)?$/, // dotenv, direnv
  /^\.env\.(?!(example|sample|template|dist|defaults?)$).+$/, // .env.local, .env.production, …
  /^.+\.env$/, // prod.env, secrets.env
  /\.(pem|key|p12|pfx|p8|jks|keystore|ppk|kdbx|keytab|gpg|asc|ovpn)$/,
  /\.(tfstate|tfstate\.backup|tfvars|tfvars\.json)$/, // Terraform state and variables
  /^id_(rsa|dsa|ecdsa|ed25519)/, // SSH keys
  /^\.(netrc|pgpass|git-credentials|htpasswd|dockercfg|dockerconfigjson|secrets|vault-token|my\.cnf)$/,
  /^(_netrc|my\.cnf|\.s3cfg|\.boto|rclone\.conf|\.terraformrc|terraform\.rc|credentials\.tfrc\.json)$/,
  /^\.sentryclirc$/,
  /^credentials(\.(json|ya?ml|xml|toml|ini|csv|db))?$/,
  /^(access_tokens|application_default_credentials|accessTokens|msal_token_cache)\.(json|db)$/,
  /^secrets?\.(json|ya?ml|toml|env|ini)$/,
  /^client_secrets?.*\.json$/,
  /^service[-_]?account.*\.json$/,
  /^(kubeconfig|.+\.kubeconfig|kubeconfig\.ya?ml)$/,
  /^(secring|private-keys-v1)\b/,
];
const SECRET_NAME = new RegExp(SECRET_NAMES.map((pattern) => pattern.source).join('|'), 'i');

/** Places that hold secrets, matched against the folder-relative path (case-insensitive). */
const SECRET_PATH =
  // eslint-disable-next-line max-len -- a regex literal, read as one pattern
  /(^|\/)(\.docker\/config\.json|gh\/hosts\.ya?ml|\.config\/hub|\.cargo\/credentials(\.toml)?|\.gem\/credentials|\.composer\/auth\.json)$|(^|\/)\.(ssh|aws|gnupg|azure|gcloud|password-store|kube)(\/|$)/i;

/**
 * Configuration formats that hold credentials next to harmless settings: denied when a
 * credential line is present (registry tokens, `password =` / `password:` lines, …).
 */
const CREDENTIAL_CONFIGS: ReadonlySet<string> = new Set([
  '.npmrc',
  '.yarnrc',
  '.yarnrc.yml',
  '.pypirc',
  '.gemrc',
  'pip.conf',
  'pip.ini',
  '.condarc',
  'settings.xml',
  'settings-security.xml',
  'gradle.properties',
  'database.yml',
  'wp-config.php',
  'application.properties',
  'application.yml',
  'config.json',
  'auth.json',
]);
const CREDENTIAL_LINE =
  // eslint-disable-next-line max-len -- one alternation of credential shapes
  /(_authToken|_auth\b|_password\s*=|npmAuthToken|npmAuthIdent|(?:password|passwd|\bpass)["']?\s*[=:]\s*["']?(?![\s"']|\$\{|%\(|$)|\btoken\s*[=:]\s*\S{8,}|<password>|DB_PASSWORD['"]\s*,\s*['"][^'"]|"auths"\s*:|"http-basic"|"github-oauth"|:\/\/[^/\s:@'"]+:[^/\s@'"]+@)/i;

/** A token shape: found anywhere, it denies the file and is scrubbed from request bodies. */
export interface SecretShape {
  readonly kind: string;
  /** Global, so `redactSecrets` can replace every occurrence. */
  readonly pattern: RegExp;
}

const shape = (kind: string, pattern: RegExp): SecretShape => ({ kind, pattern: new RegExp(pattern.source, 'g') });

/**
 * A token standing on its own: not inside a longer word, also when it follows a JSON escape
 * (`\nAKIA…` in a request body, where `\b` sees no boundary between `n` and `A`).
 */
const token = (kind: string, body: RegExp): SecretShape =>
  shape(kind, new RegExp(`(?:(?<![A-Za-z0-9_])|(?<=\\\\[nrtbf]))(?:${body.source})(?![A-Za-z0-9_])`));

export const SECRET_SHAPES: readonly SecretShape[] = [
  // The key body (base64, PEM headers, JSON escapes) up to and with the END line.
  shape(
    'private key',
    // eslint-disable-next-line max-len -- a regex literal, read as one pattern
    /-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?-----(?:[A-Za-z0-9+/=\s\\:,.]|-(?!----))*(?:-----END (?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?-----)?/,
  ),
  shape(
    'SSH2 private key',
    // eslint-disable-next-line max-len -- a regex literal, read as one pattern
    /---- BEGIN SSH2 ENCRYPTED PRIVATE KEY ----(?:[^-]|-(?!--- END)){0,16384}(?:---- END SSH2 ENCRYPTED PRIVATE KEY ----)?/,
  ),
  shape('PuTTY private key', /PuTTY-User-Key-File-\d+:(?:[^P]|P(?!rivate-MAC)){0,16384}(?:Private-MAC: *[0-9a-f]*)?/),
  token('AWS access key id', /(?:AKIA|ASIA|AGPA|AIDA|AROA|ANPA|ANVA|AIPA)(?![A-Z0-9]*EXAMPLE)[A-Z0-9]{16}/),
  token('GitHub token', /gh[pousr]_[A-Za-z0-9]{36,255}|github_pat_[A-Za-z0-9_]{22,255}/),
  token('GitLab token', /glpat-[A-Za-z0-9_-]{20,}/),
  token('npm token', /npm_[A-Za-z0-9]{36}/),
  token('Slack token', /xox[abposr]-[A-Za-z0-9-]{10,}/),
  token('Google API key', /AIza[0-9A-Za-z_-]{35}/),
  token('Stripe key', /[rs]k_live_[0-9A-Za-z]{16,}/),
  token('OpenAI or Anthropic key', /sk-(?:proj-|ant-[a-z0-9]+-)?(?=[A-Za-z_-]*[0-9])[A-Za-z0-9_-]{32,}/),
  token('Hugging Face token', /hf_[A-Za-z0-9]{30,}/),
  token('Vault token', /hv[sb]\.[A-Za-z0-9_-]{24,}/),
  token('PyPI token', /pypi-[A-Za-z0-9_-]{50,}/),
];

export interface SecretPatterns {
  /** Globs for paths (`.gitignore` style: no slash → any file of that name). */
  readonly paths: readonly RegExp[];
  /** Content shapes. */
  readonly content: readonly SecretShape[];
  /** Patterns that could not be understood, with why (for the user). */
  readonly errors: readonly string[];
}

export const NO_EXTRA_PATTERNS: SecretPatterns = { paths: [], content: [], errors: [] };

/**
 * The user's `qcoder.secrets.extraPatterns`: a `/regex/flags` entry is a content shape,
 * anything else a path glob (`*.secret`, `config/keys/**`).
 */
export function compileSecretPatterns(patterns: readonly string[]): SecretPatterns {
  const paths: RegExp[] = [];
  const content: SecretShape[] = [];
  const errors: string[] = [];
  for (const raw of patterns) {
    const entry = raw.trim();
    if (!entry) continue;
    const regex = /^\/(.+)\/([dgimsuy]*)$/s.exec(entry);
    if (regex) {
      try {
        content.push({ kind: 'user pattern', pattern: new RegExp(regex[1], `${regex[2].replace('g', '')}g`) });
      } catch (error) {
        errors.push(`${entry}: ${error instanceof Error ? error.message : String(error)}`);
      }
      continue;
    }
    const glob = entry.includes('/') ? entry.replace(/^\//, '') : `**/${entry}`;
    const compiled = new Minimatch(glob, { dot: true, nocase: true }).makeRe();
    if (compiled) paths.push(compiled);
    else errors.push(`${entry}: not a valid glob`);
  }
  return { paths, content, errors };
}

/** Why this folder-relative POSIX path holds secrets by its name or place, or undefined. */
export function secretByName(path: string, extra: SecretPatterns = NO_EXTRA_PATTERNS): string | undefined {
  const name = path.slice(path.lastIndexOf('/') + 1);
  if (SECRET_NAME.test(name) || SECRET_PATH.test(path)) return `${name} may hold secrets`;
  if (extra.paths.some((pattern) => pattern.test(path))) return `${name} matches qcoder.secrets.extraPatterns`;
  return undefined;
}

/** Why this text (of the file at `path`) holds a secret, or undefined. */
export function secretByContent(
  path: string,
  text: string,
  extra: SecretPatterns = NO_EXTRA_PATTERNS,
): string | undefined {
  const name = path.slice(path.lastIndexOf('/') + 1).toLowerCase();
  if (CREDENTIAL_CONFIGS.has(name) && CREDENTIAL_LINE.test(text)) return `${name} holds a credential`;
  const found = firstShape(text, extra);
  return found ? `it holds a ${found.kind}` : undefined;
}

function firstShape(text: string, extra: SecretPatterns): SecretShape | undefined {
  for (const secret of [...SECRET_SHAPES, ...extra.content]) {
    secret.pattern.lastIndex = 0;
    const hit = secret.pattern.test(text);
    secret.pattern.lastIndex = 0;
    if (hit) return secret;
  }
  return undefined;
}

export const REDACTED = '[REDACTED SECRET]';

/** Replaces every known secret shape in `text` with a placeholder; says what it found. */
export function redactSecrets(
  text: string,
  extra: SecretPatterns = NO_EXTRA_PATTERNS,
): { text: string; found: { kind: string }[] } {
  const found: { kind: string }[] = [];
  let result = text;
  for (const secret of [...SECRET_SHAPES, ...extra.content]) {
    result = result.replace(secret.pattern, () => {
      found.push({ kind: secret.kind });
      return REDACTED;
    });
  }
  return { text: result, found };
}
