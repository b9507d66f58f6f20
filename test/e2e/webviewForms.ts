/**
 * Remote-resource forms a model answer might carry, each aimed at `remote` (a loopback
 * server that counts hits) under its own path `/f<N>`. Rendered in the chat webview, none
 * may cause a request. The list covers markdown, raw HTML, SVG, CSS and URL obfuscations.
 */
export interface Form {
  readonly name: string;
  readonly markdown: string;
}

const b64 = (text: string) => Buffer.from(text, 'utf8').toString('base64');
const entities = (text: string) => [...text].map((c) => `&#${c.charCodeAt(0)};`).join('');

export function remoteForms(remote: string): Form[] {
  const u = (n: number, suffix = '') => `${remote}/f${n}${suffix}`;
  const host = remote.replace(/^http:/, '');
  const svg = (n: number) => `<svg xmlns="http://www.w3.org/2000/svg"><image href="${u(n)}"/></svg>`;
  const forms: Array<[string, (n: number) => string]> = [
    ['markdown image', (n) => `![a](${u(n, '.png')})`],
    ['markdown image with title', (n) => `![t](${u(n, '.png')} "title")`],
    ['reference-style image', (n) => `![b][ref${n}]\n\n[ref${n}]: ${u(n, '.png')}`],
    ['protocol-relative image', (n) => `![p](${host}/f${n}.png)`],
    ['markdown SVG image', (n) => `![s](${u(n, '.svg')})`],
    ['autolink', (n) => `<${u(n)}>`],
    ['linkified bare URL', (n) => `see ${u(n)} here`],
    ['raw <img>', (n) => `<img src="${u(n, '.png')}">`],
    ['raw <img> with onerror', (n) => `<img src="x" onerror="fetch('${u(n)}')">`],
    ['raw <img srcset>', (n) => `<img srcset="${u(n, '.png')} 1x, ${u(n, '-2x.png')} 2x">`],
    ['<picture><source srcset>', (n) => `<picture><source srcset="${u(n, '.png')}"><img alt="p"></picture>`],
    ['raw <iframe>', (n) => `<iframe src="${u(n)}"></iframe>`],
    ['<iframe srcdoc>', (n) => `<iframe srcdoc="<img src='${u(n)}'>"></iframe>`],
    ['raw <object>', (n) => `<object data="${u(n)}"></object>`],
    ['<embed>', (n) => `<embed src="${u(n)}">`],
    ['<link rel=stylesheet>', (n) => `<link rel="stylesheet" href="${u(n, '.css')}">`],
    ['<link rel=prefetch>', (n) => `<link rel="prefetch" href="${u(n)}">`],
    ['<style> @import', (n) => `<style>@import url("${u(n, '.css')}");</style>`],
    ['<style> background url()', (n) => `<style>body { background: url(${u(n, '.png')}); }</style>`],
    ['inline style url()', (n) => `<div style="background-image: url('${u(n, '.png')}')">styled</div>`],
    ['<svg><image href>', (n) => svg(n)],
    ['<svg><use href>', (n) => `<svg><use href="${u(n, '.svg')}#x"></use></svg>`],
    ['<svg><foreignObject><img>', (n) => `<svg><foreignObject><img src="${u(n)}"></foreignObject></svg>`],
    ['data: SVG image (base64)', (n) => `![d](data:image/svg+xml;base64,${b64(svg(n))})`],
    ['data: SVG image (url-encoded)', (n) => `![e](data:image/svg+xml,${encodeURIComponent(svg(n))})`],
    [
      '<object> of data: SVG',
      (n) => `<object type="image/svg+xml" data="data:image/svg+xml;base64,${b64(svg(n))}"></object>`,
    ],
    ['<video poster>', (n) => `<video src="${u(n, '.mp4')}" poster="${u(n, '.png')}"></video>`],
    ['<audio>', (n) => `<audio src="${u(n, '.mp3')}" autoplay></audio>`],
    ['<script src>', (n) => `<script src="${u(n, '.js')}"></script>`],
    ['<meta refresh>', (n) => `<meta http-equiv="refresh" content="0;url=${u(n)}">`],
    ['<base href> + relative image', (n) => `<base href="${u(n)}/"><img src="rel.png">`],
    ['<input type=image>', (n) => `<input type="image" src="${u(n, '.png')}">`],
    ['<body background>', (n) => `<table background="${u(n, '.png')}"><tr><td>t</td></tr></table>`],
    ['javascript: link', (n) => `[j](javascript:fetch('${u(n)}'))`],
    ['mixed-case javascript: link', (n) => `[k](JaVaScRiPt:fetch('${u(n)}'))`],
    ['entity-encoded javascript: link', (n) => `[l](&#106;avascript:fetch('${u(n)}'))`],
    ['javascript&colon; link', (n) => `[m](javascript&colon;fetch('${u(n)}'))`],
    ['tab-split javascript: link', (n) => `<a href="java\tscript:fetch('${u(n)}')">n</a>`],
    ['raw <a href=javascript:>', (n) => `<a href="javascript:fetch('${u(n)}')">o</a>`],
    ['entity-encoded http scheme in <img>', (n) => `<img src="${entities('http:')}${host}/f${n}.png">`],
    ['entity-encoded http scheme in markdown image', (n) => `![q](h&#116;tp:${host}/f${n}.png)`],
    ['percent-encoded scheme image', (n) => `![r](%68ttp:${host}/f${n}.png)`],
    ['HTML in a fenced code block', (n) => `\`\`\`html\n<img src="${u(n, '.png')}">\n\`\`\``],
    [
      '<form action> with autofocus',
      (n) => `<form action="${u(n)}"><input autofocus onfocus="this.form.submit()"></form>`,
    ],
  ];
  return forms.map(([name, make], index) => ({ name, markdown: make(index + 1) }));
}

/** One answer holding every form, each under a visible marker so the test can see it was drawn. */
export function answerWith(forms: readonly Form[]): string {
  return (
    forms.map((form, index) => `Form ${index + 1} (${form.name}):\n\n${form.markdown}\n`).join('\n') + '\nEND-OF-FORMS'
  );
}
