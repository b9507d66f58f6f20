/**
 * Credential files as real tools write them, each holding a canary value, and source files
 * holding tokens with a real shape. Canaries are made at run time (nothing here looks like a
 * secret to a scanner) and are unique, so a leak names its file.
 */
import { randomBytes } from 'node:crypto';

export interface Planted {
  readonly path: string;
  readonly canary: string;
  readonly content: string;
  /** Secret by its name or place (so even its name must not be listed). */
  readonly byName: boolean;
}

const hex = (bytes: number) => randomBytes(bytes).toString('hex');
const upper = (length: number) => hex(length).toUpperCase().slice(0, length);
const alnum = (length: number) =>
  Array.from(
    randomBytes(length),
    (byte) => 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789'[byte % 62],
  ).join('');
const pem = (label: string, canary: string) => {
  const kind = label ? `${label} PRIVATE KEY` : 'PRIVATE KEY';
  return `-----BEGIN ${kind}-----\nMIIEow${canary}IBAAKCAQEA\n${alnum(64)}\n-----END ${kind}-----\n`;
};

/** [path, content with the canary, secret by name]. */
type Maker = (canary: string) => [string, string, boolean];

const BY_NAME: Maker[] = [
  (c) => ['.env', `API_KEY=${c}\n`, true],
  (c) => ['.env.local', `DATABASE_URL=postgres://u:${c}@db/x\n`, true],
  (c) => ['config/.env.production', `SECRET=${c}\n`, true],
  (c) => ['deploy/prod.env', `TOKEN=${c}\n`, true],
  (c) => ['.envrc', `export AWS_SECRET=${c}\n`, true],
  (c) => ['.netrc', `machine api.example.com login me password ${c}\n`, true],
  (c) => ['.git-credentials', `https://me:${c}@github.com\n`, true],
  (c) => ['.docker/config.json', `{"auths":{"registry.example":{"auth":"${c}"}}}\n`, true],
  (c) => ['.kube/config', `users:\n- name: admin\n  user:\n    token: ${c}\n`, true],
  (c) => ['ops/kubeconfig', `users:\n- user:\n    token: ${c}\n`, true],
  (c) => ['ops/staging.kubeconfig', `users:\n- user:\n    token: ${c}\n`, true],
  (c) => ['.vault-token', `${c}\n`, true],
  (c) => ['.aws/credentials', `[default]\naws_secret_access_key = ${c}\n`, true],
  (c) => ['.config/gcloud/application_default_credentials.json', `{"refresh_token":"${c}"}\n`, true],
  (c) => ['keys/service-account-prod.json', `{"private_key_id":"${c}"}\n`, true],
  (c) => ['.azure/msal_token_cache.json', `{"AccessToken":{"x":{"secret":"${c}"}}}\n`, true],
  (c) => ['.config/gh/hosts.yml', `github.com:\n  oauth_token: ${c}\n  user: me\n`, true],
  (c) => ['infra/terraform.tfvars', `db_password = "${c}"\n`, true],
  (c) => ['infra/prod.auto.tfvars', `api_key = "${c}"\n`, true],
  (c) => ['infra/vars.tfvars.json', `{"token":"${c}"}\n`, true],
  (c) => ['infra/terraform.tfstate', `{"resources":[{"attributes":{"password":"${c}"}}]}\n`, true],
  (c) => ['.terraformrc', `credentials "app.terraform.io" {\n  token = "${c}"\n}\n`, true],
  (c) => ['id_rsa', pem('RSA', c), true],
  (c) => ['.ssh/id_ed25519', pem('OPENSSH', c), true],
  (c) => ['certs/server.key', pem('EC', c), true],
  (c) => ['keys/deploy.ppk', `PuTTY-User-Key-File-3: ssh-rsa\nPrivate-Lines: 1\n${c}\nPrivate-MAC: abc\n`, true],
  (c) => ['.pgpass', `db.example:5432:app:me:${c}\n`, true],
  (c) => ['.my.cnf', `[client]\npassword=${c}\n`, true],
  (c) => ['.s3cfg', `[default]\nsecret_key = ${c}\n`, true],
  (c) => ['rclone.conf', `[remote]\ntype = s3\nsecret_access_key = ${c}\n`, true],
  (c) => ['.htpasswd', `admin:$apr1$${c}\n`, true],
  (c) => ['config/secrets.yml', `production:\n  secret_key_base: ${c}\n`, true],
  (c) => ['credentials.json', `{"installed":{"client_secret":"${c}"}}\n`, true],
  (c) => ['.cargo/credentials.toml', `[registry]\ntoken = "${c}"\n`, true],
  (c) => ['.gem/credentials', `---\n:rubygems_api_key: ${c}\n`, true],
  (c) => ['.sentryclirc', `[auth]\ntoken=${c}\n`, true],
  (c) => ['keys/release.jks', `keystore ${c}\n`, true],
  (c) => ['keys/client.p12', `pkcs12 ${c}\n`, true],
];

const BY_CONTENT: Maker[] = [
  (c) => ['.npmrc', `registry=https://registry.npmjs.org/\n//registry.npmjs.org/:_authToken=${c}\n`, false],
  (c) => ['packages/a/.npmrc', `//npm.example/:_password=${c}\n`, false],
  (c) => ['.yarnrc.yml', `npmRegistryServer: "https://npm.example"\nnpmAuthToken: ${c}\n`, false],
  (c) => ['.yarnrc', `"//registry.example/:_authToken" ${c}\n`, false],
  (c) => ['.pypirc', `[pypi]\nusername = __token__\npassword = ${c}\n`, false],
  (c) => ['pip.conf', `[global]\nindex-url = https://me:${c}@pypi.example/simple\n`, false],
  (c) => [
    '.m2/settings.xml',
    `<settings><servers><server><password>${c}</password></server></servers></settings>\n`,
    false,
  ],
  (c) => ['config/database.yml', `production:\n  adapter: postgresql\n  password: ${c}\n`, false],
  (c) => ['wp-config.php', `<?php\ndefine('DB_PASSWORD', '${c}');\n`, false],
  (c) => ['gradle.properties', `org.gradle.jvmargs=-Xmx2g\nsigningPassword=${c}\n`, false],
  (c) => [
    'keys/legacy.pub2',
    `---- BEGIN SSH2 ENCRYPTED PRIVATE KEY ----\nComment: "me"\n${c}\n---- END SSH2 ENCRYPTED PRIVATE KEY ----\n`,
    false,
  ],
  (c) => ['docs/setup.md', `# Setup\n\n${pem('RSA', c)}`, false],
  (c) => ['test/fixtures.json', JSON.stringify({ key: pem('', c) }), false],
];

/** Source files with tokens of a recognisable shape: the token itself is the canary. */
const SHAPED: [string, () => string, (token: string) => string][] = [
  ['src/aws.ts', () => `AKIA${upper(16)}`, (t) => `export const keyId = '${t}';\n`],
  ['src/github.ts', () => `ghp_${alnum(36)}`, (t) => `const token = "${t}";\n`],
  ['scripts/release.sh', () => `github_pat_${alnum(22)}_${alnum(59)}`, (t) => `export GH_TOKEN=${t}\n`],
  ['src/slack.py', () => `xoxb-${alnum(12)}-${alnum(24)}`, (t) => `SLACK = "${t}"\n`],
  ['src/maps.js', () => `AIza${alnum(35)}`, (t) => `const key = '${t}';\n`],
  ['src/pay.rb', () => `sk_live_${alnum(24)}`, (t) => `Stripe.api_key = "${t}"\n`],
  ['src/llm.ts', () => `sk-proj-${alnum(20)}7${alnum(20)}`, (t) => `const apiKey = "${t}";\n`],
  ['src/hub.py', () => `hf_${alnum(34)}`, (t) => `HF_TOKEN = "${t}"\n`],
  ['src/gitlab.ts', () => `glpat-${alnum(20)}`, (t) => `const t = "${t}";\n`],
  ['src/publish.js', () => `npm_${alnum(36)}`, (t) => `process.env.NPM_TOKEN ||= '${t}';\n`],
  ['src/vault.go', () => `hvs.${alnum(90)}`, (t) => `const token = "${t}"\n`],
  ['src/upload.toml', () => `pypi-${alnum(60)}`, (t) => `password = "${t}"\n`],
];

export function plantedFiles(): Planted[] {
  const planted: Planted[] = [];
  for (const [i, make] of [...BY_NAME, ...BY_CONTENT].entries()) {
    const canary = `canary${i}x${hex(10)}`;
    const [path, content, byName] = make(canary);
    planted.push({ path, canary, content, byName });
  }
  for (const [path, token, wrap] of SHAPED) {
    const canary = token();
    planted.push({ path, canary, content: wrap(canary), byName: false });
  }
  return planted;
}

/** Files matched only by the user's `qcoder.secrets.extraPatterns`. */
export const EXTRA_PATTERNS = ['*.secret', 'private-config/**', '/ACME-[0-9a-f]{20}/'];

export function userPlanted(): Planted[] {
  const acme = `ACME-${hex(10)}`;
  const one = `canaryuser${hex(10)}`;
  const two = `canaryuser${hex(10)}`;
  return [
    { path: 'deploy/company.secret', canary: one, content: `${one}\n`, byName: true },
    { path: 'private-config/app.ini', canary: two, content: `key=${two}\n`, byName: true },
    { path: 'src/acme.ts', canary: acme, content: `export const licence = '${acme}';\n`, byName: false },
  ];
}
