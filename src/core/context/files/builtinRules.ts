/**
 * What QCoder never reads on its own, whatever the ignore files say: secrets (never
 * at all; the rules are in `secretRules.ts`), and dependencies, build output, lock files
 * and binaries (noise).
 */
import { NO_EXTRA_PATTERNS, type SecretPatterns, secretByContent, secretByName } from './secretRules';

export type DenyRule =
  | 'outside-workspace'
  | 'secret'
  | 'qcoderignore'
  | 'binary'
  | 'too-large'
  | 'gitignore'
  | 'files-exclude'
  | 'dependencies'
  | 'build-output'
  | 'lock-file'
  | 'generated'
  | 'missing'
  /** The check itself failed (a dangling link, a loop, a stat error): denied, never guessed. */
  | 'unverifiable';

/**
 * Rules an explicit request (the user naming the file) cannot lift. The others keep
 * noise out of automatic context but give way when the user asks for the file.
 */
export const HARD_RULES: ReadonlySet<DenyRule> = new Set([
  'outside-workspace',
  'secret',
  'qcoderignore',
  'binary',
  'too-large',
  'missing',
  'unverifiable',
]);

export const DEPENDENCY_DIRS: ReadonlySet<string> = new Set([
  'node_modules',
  'bower_components',
  'jspm_packages',
  '.yarn',
  '.pnpm-store',
  'vendor',
  'Pods',
  '.venv',
  'venv',
  'site-packages',
  '.tox',
  '.gradle',
  '.m2',
  '.dart_tool',
  '.terraform',
]);

export const BUILD_DIRS: ReadonlySet<string> = new Set([
  '.git',
  '.hg',
  '.svn',
  'dist',
  'out',
  'build',
  'target',
  '.next',
  '.nuxt',
  '.svelte-kit',
  '.angular',
  '.expo',
  '.turbo',
  '.parcel-cache',
  '.cache',
  'coverage',
  '.nyc_output',
  '__pycache__',
  '.pytest_cache',
  '.mypy_cache',
  '.ruff_cache',
  'DerivedData',
  '.vscode-test',
  '.idea',
  'obj',
]);

const LOCK_FILES: ReadonlySet<string> = new Set([
  'package-lock.json',
  'npm-shrinkwrap.json',
  'pnpm-lock.yaml',
  'bun.lockb',
  'bun.lock',
  'go.sum',
  'packages.lock.json',
  'gradle.lockfile',
  'Package.resolved',
  'mix.lock',
  'pubspec.lock',
  'Podfile.lock',
  'uv.lock',
]);

const GENERATED = /\.(min\.js|min\.css|map|tsbuildinfo)$/i;

const BINARY_EXTENSIONS: ReadonlySet<string> = new Set(
  (
    'png jpg jpeg gif bmp ico icns webp avif tif tiff psd heic svgz mp3 mp4 m4a wav ogg ' +
    'oga flac aac mov avi mkv webm ' +
    'zip tar gz tgz bz2 xz 7z rar zst lz4 jar war ear apk ipa exe dll so dylib a o obj ' +
    'lib class pyc pyo pyd wasm node ' +
    'pdf doc docx xls xlsx ppt pptx odt ods woff woff2 ttf otf eot sqlite sqlite3 db mdb bin dat iso dmg img deb rpm ' +
    'msi npy npz pt pth onnx safetensors ckpt h5 hdf5 pkl pickle parquet arrow feather tfrecord gguf ggml'
  ).split(' '),
);

export interface PathDenial {
  readonly rule: DenyRule;
  readonly reason: string;
}

/** Path-only built-in rules for a folder-relative POSIX path: secrets first, then noise. */
export function builtinDenial(path: string, extra: SecretPatterns = NO_EXTRA_PATTERNS): PathDenial | undefined {
  const secret = secretByName(path, extra);
  if (secret) return { rule: 'secret', reason: secret };
  const name = path.slice(path.lastIndexOf('/') + 1);
  for (let start = 0, end = path.indexOf('/'); end >= 0; start = end + 1, end = path.indexOf('/', start)) {
    const dir = path.slice(start, end);
    if (DEPENDENCY_DIRS.has(dir)) return { rule: 'dependencies', reason: `inside ${dir}/ (dependencies)` };
    if (BUILD_DIRS.has(dir)) return { rule: 'build-output', reason: `inside ${dir}/ (build output or tool data)` };
  }
  if (LOCK_FILES.has(name) || name.endsWith('.lock')) return { rule: 'lock-file', reason: `${name} is a lock file` };
  if (GENERATED.test(name)) return { rule: 'generated', reason: `${name} is generated` };
  const dot = name.lastIndexOf('.');
  if (dot > 0 && BINARY_EXTENSIONS.has(name.slice(dot + 1).toLowerCase()))
    return { rule: 'binary', reason: `${name} is a binary file type` };
  return undefined;
}

/** Built-in folder rules, for pruning a walk early. */
export function builtinDirDenial(name: string): PathDenial | undefined {
  if (DEPENDENCY_DIRS.has(name)) return { rule: 'dependencies', reason: `${name}/ holds dependencies` };
  if (BUILD_DIRS.has(name)) return { rule: 'build-output', reason: `${name}/ is build output or tool data` };
  return undefined;
}

/** Binaries by sniffing: a NUL byte in the first 8 KB, whatever the extension says. */
export function isBinaryContent(bytes: Uint8Array): boolean {
  return bytes.subarray(0, 8192).includes(0);
}

/** Content rules on decoded text: credentials in config files, private keys and tokens anywhere. */
export function textDenial(
  path: string,
  text: string,
  extra: SecretPatterns = NO_EXTRA_PATTERNS,
): PathDenial | undefined {
  const secret = secretByContent(path, text, extra);
  return secret ? { rule: 'secret', reason: secret } : undefined;
}
