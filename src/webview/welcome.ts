/**
 * What an empty chat shows once a model is set up: example prompts (a click puts one in the
 * input) and where else QCoder works (Explain, Ctrl+I, Generate Tests).
 */
import { el } from './dom';

const EXAMPLES = [
  'Explain what this project does and where its entry point is',
  'Find where errors are handled and suggest improvements',
  'Write a unit test for the function I have open',
];

const SURFACES: readonly [string, string][] = [
  ['Explain This File', 'right-click a file or use the editor title'],
  ['Ctrl+I', 'select code and describe a change: it streams in as a diff'],
  ['Generate Tests', 'the light bulb on a function or class'],
];

export function welcome(useExample: (text: string) => void): HTMLElement {
  const box = el('section', 'welcome');
  box.setAttribute('aria-label', 'Welcome');
  box.append(el('h2', undefined, 'Ask about your code'));
  const examples = el('ul', 'welcome-examples');
  for (const text of EXAMPLES) {
    const item = el('li');
    const link = el('button', 'example', text);
    link.type = 'button';
    link.addEventListener('click', () => useExample(text));
    item.append(link);
    examples.append(item);
  }
  const surfaces = el('dl', 'welcome-surfaces');
  for (const [name, where] of SURFACES) surfaces.append(el('dt', undefined, name), el('dd', undefined, where));
  box.append(examples, el('p', 'welcome-note', 'Type @ to attach a file, / for commands.'), surfaces);
  return box;
}
