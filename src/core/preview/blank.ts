/**
 * Whether a screenshot shows anything: decoded pixels, not the DOM's word for it (a canvas
 * exists and is sized whether or not anything was drawn on it).
 */
import { PNG } from 'pngjs';

export interface PixelSummary {
  readonly width: number;
  readonly height: number;
  /** Share of pixels that differ from the most common colour (the background), 0..1. */
  readonly inked: number;
  /** Distinct colours seen, capped at 1,000. */
  readonly colours: number;
}

/** Below this share of non-background pixels a picture counts as blank (anti-aliasing specks, a 1px border). */
export const BLANK_BELOW = 0.002;

export function summarisePng(png: Buffer): PixelSummary {
  const image = PNG.sync.read(png);
  const counts = new Map<number, number>();
  const { data, width, height } = image;
  for (let offset = 0; offset < data.length; offset += 4) {
    // Alpha folded in: a transparent pixel is background whatever its colour bytes say.
    const alpha = data[offset + 3];
    const key = alpha === 0 ? -1 : ((data[offset] << 16) | (data[offset + 1] << 8) | data[offset + 2]) >>> 0;
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  const total = width * height;
  const background = Math.max(0, ...counts.values());
  return { width, height, inked: total === 0 ? 0 : (total - background) / total, colours: Math.min(counts.size, 1000) };
}

export const isBlank = (summary: PixelSummary): boolean => summary.inked < BLANK_BELOW;
