/** Small DOM builders the chat's modules share (text only: nothing here takes HTML). */

export function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  className?: string,
  text?: string,
): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

/** A button with a text label, or with a codicon and the label for screen readers and the tooltip. */
export function button(label: string, onClick: () => void, options: { icon?: string; className?: string } = {}) {
  const node = el('button', options.className);
  node.type = 'button';
  if (options.icon) {
    node.classList.add('icon');
    node.title = label;
    node.setAttribute('aria-label', label);
    const glyph = el('span', `codicon codicon-${options.icon}`);
    glyph.setAttribute('aria-hidden', 'true');
    node.append(glyph);
  } else node.textContent = label;
  node.addEventListener('click', onClick);
  return node;
}
