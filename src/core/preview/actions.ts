/** The preview tool's actions: parsed from the model's arguments, bounded, worded back in reports. */

export type PreviewAction =
  | { readonly kind: 'open'; readonly target: string }
  | { readonly kind: 'click'; readonly selector?: string; readonly x?: number; readonly y?: number }
  | { readonly kind: 'type'; readonly selector?: string; readonly text: string }
  | { readonly kind: 'press'; readonly key: string }
  | { readonly kind: 'scroll'; readonly dy: number }
  | { readonly kind: 'wait'; readonly ms: number }
  | { readonly kind: 'evaluate'; readonly expression: string };

/** The longest `wait`: an animation's next frames, not a test of patience. */
export const MAX_WAIT_MS = 5_000;
const MAX_TEXT = 2_000;

const str = (args: Record<string, unknown>, name: string): string | undefined =>
  typeof args[name] === 'string' && (args[name] as string) !== '' ? (args[name] as string) : undefined;
const num = (args: Record<string, unknown>, name: string): number | undefined => {
  const value = typeof args[name] === 'string' ? Number(args[name]) : args[name];
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
};

export function parseAction(
  args: Record<string, unknown>,
): { ok: true; action: PreviewAction } | { ok: false; message: string } {
  const kind = str(args, 'action') ?? 'open';
  const need = (name: string) => ({ ok: false as const, message: `action "${kind}" needs "${name}"` });
  switch (kind) {
    case 'open': {
      const target = str(args, 'target');
      return target ? { ok: true, action: { kind, target } } : need('target');
    }
    case 'click': {
      const selector = str(args, 'selector');
      const x = num(args, 'x');
      const y = num(args, 'y');
      if (selector) return { ok: true, action: { kind, selector } };
      return x !== undefined && y !== undefined
        ? { ok: true, action: { kind, x, y } }
        : need('selector" or "x" and "y');
    }
    case 'type': {
      const text = typeof args.text === 'string' ? args.text.slice(0, MAX_TEXT) : undefined;
      return text !== undefined ? { ok: true, action: { kind, text, selector: str(args, 'selector') } } : need('text');
    }
    case 'press': {
      const key = str(args, 'key');
      return key ? { ok: true, action: { kind, key } } : need('key');
    }
    case 'scroll':
      return { ok: true, action: { kind, dy: Math.max(-10_000, Math.min(10_000, num(args, 'dy') ?? 600)) } };
    case 'wait':
      return { ok: true, action: { kind, ms: Math.max(0, Math.min(MAX_WAIT_MS, num(args, 'ms') ?? 1_000)) } };
    case 'evaluate': {
      const expression = str(args, 'expression');
      return expression ? { ok: true, action: { kind, expression } } : need('expression');
    }
    default:
      return {
        ok: false,
        message: `unknown action "${kind}"; use open, click, type, press, scroll, wait or evaluate`,
      };
  }
}

export function describeAction(action: PreviewAction): string {
  switch (action.kind) {
    case 'open':
      return `opened ${action.target}`;
    case 'click':
      return action.selector ? `clicked ${action.selector}` : `clicked at (${action.x}, ${action.y})`;
    case 'type':
      return `typed ${JSON.stringify(action.text)}${action.selector ? ` into ${action.selector}` : ''}`;
    case 'press':
      return `pressed ${action.key}`;
    case 'scroll':
      return `scrolled by ${action.dy}px`;
    case 'wait':
      return `waited ${action.ms} ms`;
    case 'evaluate':
      return `evaluated ${action.expression}`;
  }
}
