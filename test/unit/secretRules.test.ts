import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  NO_EXTRA_PATTERNS,
  REDACTED,
  SECRET_SHAPES,
  compileSecretPatterns,
  redactSecrets,
  secretByContent,
  secretByName,
} from '../../src/core/context';

// Token-shaped values are built at run time so that no file here looks like a secret.
const rep = (text: string, times: number) => text.repeat(times);
const alnum = (length: number) => rep('aB3', Math.ceil(length / 3)).slice(0, length);
const TOKENS: Record<string, string> = {
  'AWS access key id': `AKIA${rep('Q7', 8)}`,
  'GitHub token': `ghp_${alnum(36)}`,
  'GitLab token': `glpat-${alnum(20)}`,
  'npm token': `npm_${alnum(36)}`,
  'Slack token': `xoxb-${alnum(10)}`,
  'Google API key': `AIza${alnum(35)}`,
  'Stripe key': `sk_live_${alnum(16)}`,
  'OpenAI or Anthropic key': `sk-proj-${alnum(32)}`,
  'Hugging Face token': `hf_${alnum(30)}`,
  'Vault token': `hvs.${alnum(24)}`,
  'PyPI token': `pypi-${alnum(50)}`,
};

describe('secret rules by name and place', () => {
  it('deny the credential files tools write', () => {
    for (const path of [
      '.env',
      '.envrc',
      'config/.ENV.local',
      '.env.production',
      'deploy/prod.env',
      'certs/server.pem',
      'tls.key',
      'a.p12',
      'a.pfx',
      'a.p8',
      'release.jks',
      'app.keystore',
      'putty.ppk',
      'vault.kdbx',
      'svc.keytab',
      'backup.gpg',
      'key.asc',
      'client.ovpn',
      'infra/terraform.tfstate',
      'terraform.tfstate.backup',
      'prod.tfvars',
      'vars.tfvars.json',
      'id_rsa',
      'id_dsa.pub',
      'id_ecdsa',
      'id_ed25519',
      '.netrc',
      '_netrc',
      '.pgpass',
      '.git-credentials',
      '.htpasswd',
      '.dockercfg',
      '.dockerconfigjson',
      '.secrets',
      '.vault-token',
      '.my.cnf',
      'my.cnf',
      '.s3cfg',
      '.boto',
      'rclone.conf',
      '.terraformrc',
      'terraform.rc',
      'credentials.tfrc.json',
      '.sentryclirc',
      'credentials',
      'credentials.json',
      'credentials.yaml',
      'credentials.yml',
      'credentials.xml',
      'credentials.toml',
      'credentials.ini',
      'credentials.csv',
      'credentials.db',
      'access_tokens.db',
      'application_default_credentials.json',
      'accessTokens.json',
      'msal_token_cache.json',
      'secret.json',
      'secrets.yaml',
      'secrets.toml',
      'secrets.env',
      'secrets.ini',
      'client_secret_123.json',
      'client_secrets.json',
      'service-account.json',
      'service_account_prod.json',
      'serviceaccount.json',
      'kubeconfig',
      'dev.kubeconfig',
      'kubeconfig.yaml',
      'secring.gpg',
      'private-keys-v1.d',
      '.docker/config.json',
      'x/.config/gh/hosts.yml',
      'gh/hosts.yaml',
      '.config/hub',
      '.cargo/credentials',
      '.cargo/credentials.toml',
      '.gem/credentials',
      '.composer/auth.json',
      '.ssh/config',
      'home/.aws/config',
      '.aws',
      '.gnupg/pubring.kbx',
      '.azure/x.json',
      '.gcloud/x',
      '.password-store/x.gpg',
      '.kube/config',
      '.kube',
      '.env.template.local',
      '.env.sample2',
      'secrets.yml',
      'kubeconfig.yml',
    ])
      assert.match(secretByName(path) ?? '', /may hold secrets$/, path);
  });

  it('leave ordinary files alone', () => {
    for (const path of [
      '.env.example',
      '.env.sample',
      '.env.template',
      '.env.dist',
      '.env.default',
      '.env.defaults',
      'src/env.ts',
      'environment.ts',
      'keyboard.ts',
      'key.ts',
      'keys.json',
      'docs/credentials.md',
      'id.ts',
      'my_id_rsa_notes.md',
      'identity.ts',
      'secretary.json',
      'secrets.md',
      'service.json',
      'client.json',
      'hub',
      'src/hub.ts',
      'gh/other.yml',
      'hosts.yml',
      'config.json',
      'aws/notes.md',
      'kube.ts',
      'x.kube',
      'tfvars.md',
      'terraform.tf',
      'a.pem.md',
      'netrc.md',
      'kubeconfig.md',
      'secringx',
      '.sshd/x',
      'x.envy',
      '.envy',
      'credentials.json.md',
      'notes.tfvars.md',
      '.netrc.md',
      'x.netrc',
      'rclone.conf.md',
      'x.boto',
      'x.sentryclirc',
      '.sentryclirc.md',
      'mycredentials',
      'mycredentials.json',
      'my_access_tokens.json',
      'access_tokens.json.md',
      'mysecrets.json',
      'secrets.json.md',
      'myclient_secret.json',
      'client_secret.json.md',
      'myservice-account.json',
      'service-account.json.md',
      'mykubeconfig',
      'mysecring',
      '.docker/config.json.md',
      'x.terraformrc',
    ])
      assert.equal(secretByName(path), undefined, path);
  });

  it("take the user's patterns: path globs and /regex/ content shapes", () => {
    const extra = compileSecretPatterns(['*.secret', 'config/keys/**', ' ', '/ACME-[0-9]{4}/i', '/(/', '/x/g']);
    assert.equal(extra.paths.length, 2);
    assert.equal(extra.content.length, 2);
    assert.equal(extra.errors.length, 1);
    assert.match(extra.errors[0], /^\/\(\/: .+/);
    assert.equal(extra.content[0].pattern.flags, 'gi');
    assert.equal(extra.content[1].pattern.flags, 'g');
    assert.equal(extra.content[0].kind, 'user pattern');
    assert.equal(secretByName('deep/a.secret', extra), 'a.secret matches qcoder.secrets.extraPatterns');
    assert.equal(secretByName('A.SECRET', extra), 'A.SECRET matches qcoder.secrets.extraPatterns');
    assert.ok(secretByName('config/keys/a/b.txt', extra));
    assert.equal(secretByName('other/config/keys/b.txt', extra), undefined);
    assert.equal(secretByName('a.secret.md', extra), undefined);
    assert.equal(secretByName('a.secret'), undefined);
    assert.equal(secretByContent('a.ts', 'licence acme-1234', extra), 'it holds a user pattern');
    assert.equal(secretByContent('a.ts', 'licence acme-12', extra), undefined);
    assert.deepEqual(redactSecrets('id ACME-1234 and ACME-9999', extra), {
      text: `id ${REDACTED} and ${REDACTED}`,
      found: [{ kind: 'user pattern' }, { kind: 'user pattern' }],
    });
    assert.deepEqual(compileSecretPatterns(['/a/']).paths, []);
    assert.deepEqual(NO_EXTRA_PATTERNS, { paths: [], content: [], errors: [] });
    const odd = compileSecretPatterns(['x/a/', '/a/b', '/config/keys/**']);
    assert.deepEqual([odd.paths.length, odd.content.length, odd.errors], [3, 0, []]);
    assert.ok(secretByName('config/keys/a.txt', odd));
    assert.ok(secretByName('.hidden/deep/a.secret', extra));
  });
});

describe('secret rules by content', () => {
  it('deny credential lines in the configuration formats that mix them with settings', () => {
    const cases: [string, string][] = [
      ['.npmrc', '//r.example/:_authToken=abc'],
      ['.npmrc', '_auth = dXNlcjpwYXNz'],
      ['.npmrc', '//r/:_password=eHh4'],
      ['.yarnrc.yml', 'npmAuthToken: abc'],
      ['.yarnrc.yml', 'npmAuthIdent: "me:pw"'],
      ['.yarnrc', '"//r/:_authToken" abc'],
      ['.pypirc', 'password = hunter22'],
      ['.pypirc', 'password:hunter22'],
      ['pip.conf', 'index-url = https://me:pw@pypi.example/simple'],
      ['pip.ini', 'passwd=x1'],
      ['.gemrc', ':pass: x1'],
      ['.condarc', 'token: abcdefgh12'],
      ['settings.xml', '<server><password>x</password></server>'],
      ['settings-security.xml', '<password>{x}</password>'],
      ['gradle.properties', 'signingPassword=abc'],
      ['database.yml', '  password: "abc"'],
      ['wp-config.php', "define('DB_PASSWORD', 'x');"],
      ['application.properties', 'spring.datasource.password=abc'],
      ['application.yml', "password: 'abc'"],
      ['config.json', '{"auths": {"r": {}}}'],
      ['auth.json', '{"http-basic": {}}'],
      ['auth.json', '{"github-oauth": {}}'],
      ['.NPMRC', '_authToken=abc'],
      ['config.json', '{"password": "x"}'],
      ['.condarc', 'token = abcdefgh12'],
      ['.condarc', 'token:abcdefgh12'],
      ['wp-config.php', 'define("DB_PASSWORD" , "x");'],
      ['config.json', '{"auths"  : {}}'],
    ];
    for (const [name, text] of cases)
      assert.equal(
        secretByContent(`sub/${name}`, text),
        `${name.toLowerCase()} holds a credential`,
        `${name}: ${text}`,
      );
  });

  it('leave those formats alone without a credential, and other files with such lines', () => {
    const cases: [string, string][] = [
      ['.npmrc', 'save-exact=true\nregistry=https://r.example/'],
      ['.pypirc', 'password ='],
      ['.pypirc', 'password = '],
      ['.pypirc', 'password = ${PYPI_PASSWORD}'],
      ['application.properties', 'spring.datasource.password=${DB_PASSWORD}'],
      ['application.properties', 'x.password=%(pw)s'],
      ['database.yml', 'password: "'],
      ['wp-config.php', "define('DB_PASSWORD', getenv('X'));"],
      ['wp-config.php', "define('DB_PASSWORD', '');"],
      ['.condarc', 'token: short'],
      ['pip.conf', 'index-url = https://pypi.example/simple'],
      ['config.json', '{"auth": 1}'],
      ['src/app.ts', 'const password = "hunter2";'],
      ['README.md', '_authToken=abc'],
    ];
    for (const [name, text] of cases) assert.equal(secretByContent(name, text), undefined, `${name}: ${text}`);
  });

  it('deny private keys in every format, anywhere', () => {
    for (const [text, kind] of [
      [`-----BEGIN ${'RSA'} PRIVATE KEY-----\nMIIE`, 'private key'],
      [`-----BEGIN ${'OPENSSH'} PRIVATE KEY-----`, 'private key'],
      [`-----BEGIN ${''}PRIVATE KEY-----`, 'private key'],
      [`-----BEGIN ENCRYPTED ${''}PRIVATE KEY-----`, 'private key'],
      [`-----BEGIN PGP ${'PRIVATE'} KEY BLOCK-----`, 'private key'],
      [`---- BEGIN SSH2 ENCRYPTED ${'PRIVATE'} KEY ----\nComment: "x"`, 'SSH2 private key'],
      ['PuTTY-User-Key-File-3: ssh-ed25519\nPrivate-Lines: 1', 'PuTTY private key'],
    ])
      assert.equal(secretByContent('notes.txt', text), `it holds a ${kind}`, text);
    for (const text of ['we talk about a PRIVATE KEY here', '-----BEGIN PUBLIC KEY-----', 'BEGIN RSA PRIVATE KEY'])
      assert.equal(secretByContent('notes.txt', text), undefined, text);
  });

  it('deny tokens with a recognisable shape, standing alone', () => {
    for (const [kind, token] of Object.entries(TOKENS)) {
      assert.equal(secretByContent('src/x.ts', `const t = "${token}";`), `it holds a ${kind}`, kind);
      assert.equal(secretByContent('src/x.ts', `x${token}`), undefined, `glued: ${kind}`);
      assert.equal(secretByContent('src/x.ts', `${token}x`.replace(/^/, '_')), undefined, `inside a word: ${kind}`);
    }
    assert.equal(secretByContent('x', `github_pat_${alnum(22)}`), 'it holds a GitHub token');
    assert.equal(secretByContent('x', `ASIA${rep('Z9', 8)}`), 'it holds a AWS access key id');
    assert.equal(secretByContent('x', `sk-ant-api03-${alnum(40)}1`), 'it holds a OpenAI or Anthropic key');
    assert.equal(secretByContent('x', `xoxp-${alnum(10)}`), 'it holds a Slack token');
    assert.equal(secretByContent('x', `rk_live_${alnum(16)}`), 'it holds a Stripe key');
    assert.equal(secretByContent('x', `hvb.${alnum(24)}`), 'it holds a Vault token');
    assert.equal(secretByContent('x', `sk-${alnum(40)}1`), 'it holds a OpenAI or Anthropic key');
    assert.equal(secretByContent('x', 'PuTTY-User-Key-File-12: x'), 'it holds a PuTTY private key');
  });

  it('leave look-alikes alone', () => {
    for (const text of [
      'AKIAIOSFODNN7EXAMPLE',
      `AKIA${rep('Q', 15)}`,
      `akia${rep('Q7', 8)}`,
      `ghp_${alnum(35)}`,
      `ghx_${alnum(36)}`,
      `glpat-${alnum(19)}`,
      `npm_${alnum(35)}`,
      `xoxb-${alnum(9)}`,
      `AIza${alnum(34)}`,
      `sk_test_${alnum(24)}`,
      `sk-${rep('abc-', 10)}`,
      `task-management-service-component-wrapper-123`,
      `hf_${alnum(29)}`,
      `hvs.${alnum(23)}`,
      `pypi-${alnum(49)}`,
    ])
      assert.equal(secretByContent('src/x.ts', text), undefined, text);
  });
});

describe('redactSecrets', () => {
  it('replaces every known shape with the placeholder and says what it found', () => {
    const text = `a ${TOKENS['GitHub token']} b ${TOKENS['AWS access key id']} c ${TOKENS['GitHub token']}`;
    assert.deepEqual(redactSecrets(text), {
      text: `a ${REDACTED} b ${REDACTED} c ${REDACTED}`,
      found: [{ kind: 'AWS access key id' }, { kind: 'GitHub token' }, { kind: 'GitHub token' }],
    });
    assert.deepEqual(redactSecrets('nothing here'), { text: 'nothing here', found: [] });
  });

  it('finds tokens after a JSON escape and keeps the body valid JSON', () => {
    for (const [kind, token] of Object.entries(TOKENS)) {
      const body = JSON.stringify({ content: `line\n${token}\ttab` });
      const scrubbed = redactSecrets(body);
      assert.deepEqual(scrubbed.found, [{ kind }], kind);
      assert.equal(JSON.parse(scrubbed.text).content, `line\n${REDACTED}\ttab`, kind);
    }
  });

  it('takes a whole key block, up to its END line, and nothing after it', () => {
    const key =
      `-----BEGIN ${'RSA'} PRIVATE KEY-----\nProc-Type: 4,ENCRYPTED\n` + `MIIE+/abc=\n-----END RSA PRIVATE KEY-----`;
    assert.equal(redactSecrets(`before\n${key}\nafter-text!`).text, `before\n${REDACTED}\nafter-text!`);
    const body = JSON.stringify({ content: `${key}\nafter` });
    assert.equal(JSON.parse(redactSecrets(body).text).content, `${REDACTED}\nafter`);
    assert.equal(redactSecrets(`x -----BEGIN ${''}PRIVATE KEY-----\nMIIE "rest"`).text, `x ${REDACTED}"rest"`);
    const ssh2 =
      `---- BEGIN SSH2 ENCRYPTED ${'PRIVATE'} KEY ----\nComment: "me"\nAAAA\n---- END ` +
      `SSH2 ENCRYPTED PRIVATE KEY ----`;
    assert.equal(redactSecrets(`${ssh2}\ntail`).text, `${REDACTED}\ntail`);
    const putty = 'PuTTY-User-Key-File-2: ssh-rsa\nPrivate-Lines: 1\nAAAA\nPrivate-MAC: 0a1b';
    assert.equal(redactSecrets(`${putty}\ntail`).text, `${REDACTED}\ntail`);
    assert.equal(redactSecrets(`${putty.replace(': 0a1b', ':0a1b')}\ntail`).text, `${REDACTED}\ntail`);
    const bare = `-----BEGIN ${''}PRIVATE KEY-----\nAAA\n-----END PRIVATE KEY-----\ntail`;
    assert.equal(redactSecrets(bare).text, `${REDACTED}\ntail`);
    assert.equal(REDACTED, '[REDACTED SECRET]');
  });

  it('has one global pattern per shape', () => {
    assert.ok(SECRET_SHAPES.length >= 14);
    for (const shape of SECRET_SHAPES) assert.ok(shape.pattern.global, shape.kind);
  });
});
