/** Inline edit's editor-free core: the request, the cleaned answer, the streaming diff and its review. */
export { cleanAnswer, isProseLine, splitLines, streamingLines, type CleanAnswer } from './clean';
export { lineDiff, type DiffBlock, type LineDiff } from './diff';
export { importLines } from './imports';
export { type Decision, type LineSpan, type RenderedBlock, type RenderedDiff, renderDiff, resolveDiff } from './render';
export {
  END_MARKER,
  INLINE_SYSTEM_PROMPT,
  START_MARKER,
  inlineRequest,
  type InlineProblem,
  type InlineRequest,
  type InlineRequestInput,
} from './request';
export { InlineDiff, type Finished, type InlineState } from './session';
export { smallestReplacement, type Replacement } from './replacement';
export { keepTyping, RegionTrack, type TextChange } from './track';
