/**
 * Whether the configured model takes images (`image_url` parts). Servers do not say,
 * so `auto` goes by the model's name; the user can say `on` or `off` when it guesses wrong.
 */
export type VisionSetting = 'auto' | 'on' | 'off';

/** Model names of the vision families users run behind OpenAI-compatible servers. */
const VISION_NAMES = /(^|[^a-z])(vl|vision|omni|llava|pixtral|gemma-?3|gpt-4o|gpt-4\.1|gpt-5|claude|gemini)([^a-z]|$)/i;

export function acceptsImages(model: string, setting: VisionSetting = 'auto'): boolean {
  if (setting !== 'auto') return setting === 'on';
  return VISION_NAMES.test(model);
}
