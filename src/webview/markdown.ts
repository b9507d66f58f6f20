/**
 * Markdown for model output: no raw HTML, no remote images (a model answer with
 * `![](https://host/?d=…)` must make no request), code highlighted by highlight.js.
 */
import hljs from 'highlight.js/lib/common';
import MarkdownIt from 'markdown-it';

const md: MarkdownIt = new MarkdownIt({
  html: false,
  linkify: true,
  breaks: false,
  highlight: (code, lang) => {
    const language = lang && hljs.getLanguage(lang) ? lang : undefined;
    try {
      const html = language
        ? hljs.highlight(code, { language, ignoreIllegals: true }).value
        : md.utils.escapeHtml(code);
      return `<pre class="code-block" data-lang="${md.utils.escapeHtml(language ?? lang ?? '')}"><code class="hljs">${html}</code></pre>`;
    } catch {
      return '';
    }
  },
});

const SAFE_IMAGE = /^data:image\/(png|gif|jpe?g|webp);/i;

// Images: only inline data images render; anything else becomes its alt text and a link-free note.
md.renderer.rules.image = (tokens, index) => {
  const token = tokens[index];
  const src = token.attrGet('src') ?? '';
  const alt = md.utils.escapeHtml(token.content || 'image');
  if (SAFE_IMAGE.test(src)) return `<img src="${md.utils.escapeHtml(src)}" alt="${alt}">`;
  return `<span class="blocked-image" title="Remote images are not loaded">[image: ${alt}]</span>`;
};

// Links open through VS Code (the host validates the scheme); only http(s) and mailto are kept.
const defaultLinkOpen =
  md.renderer.rules.link_open ?? ((tokens, index, options, _env, self) => self.renderToken(tokens, index, options));
md.renderer.rules.link_open = (tokens, index, options, env, self) => {
  const href = tokens[index].attrGet('href') ?? '';
  if (!/^(https?:|mailto:)/i.test(href)) tokens[index].attrSet('href', '#');
  tokens[index].attrSet('title', href);
  return defaultLinkOpen(tokens, index, options, env, self);
};

export function renderMarkdown(text: string): string {
  return md.render(text);
}
