/** The context subsystem's public surface: the host and the CLI import from here. */
export { buildContext, type BuiltContext, type ContextRequest } from './context';
export {
  AccessPolicy,
  DEFAULT_MAX_FILE_BYTES,
  FolderRules,
  type AccessDecision,
  type AccessOp,
  type CheckOptions,
  type DecideOptions,
  type PolicyOptions,
  type ReadResult,
  type Verdict,
} from './files/accessPolicy';
export { WRITE_OPS } from './files/decision';
export { nodePathProbe, realLocation, type PathProbe, type RealLocation } from './files/realPath';
export {
  NO_EXTRA_PATTERNS,
  REDACTED,
  SECRET_SHAPES,
  compileSecretPatterns,
  redactSecrets,
  secretByContent,
  secretByName,
  type SecretPatterns,
  type SecretShape,
} from './files/secretRules';
export { HARD_RULES, type DenyRule } from './files/builtinRules';
export { type ListStrategy } from './files/listFiles';
export {
  FolderSet,
  NodeWorkspaceReader,
  type DirEntry,
  type FileLocation,
  type FileStat,
  type WorkspaceFolder,
  type WorkspaceReader,
} from './files/workspace';
export { WorkspaceIndex, type IndexOptions, type IndexStats } from './files/workspaceIndex';
export {
  DEFAULT_RETRIEVED_TOKENS,
  DEFAULT_WINDOW,
  defaultReserve,
  planBudget,
  type BudgetOptions,
  type BudgetPlan,
} from './pack/budget';
export {
  compactHistory,
  historyTokens,
  type CompactionReport,
  type CompactionStep,
  type HistoryMessage,
  type Summariser,
} from './pack/compaction';
export { packContext, type PackedContext, type ShareTotal } from './pack/pack';
export type { SymbolProvider } from './pack/fit';
export { outline, type OutlineSymbol } from './rank/outline';
export { rankContext, type Ranking } from './rank/rank';
export { QWEN_VOCABULARY_FILE, TokenCounters, loadQwenCounter, qwenVocabularyCandidates } from './tokens/qwenTokenizer';
export {
  CachedTokenCounter,
  estimateTokens,
  estimatingCounter,
  tokenizerFamily,
  type TokenCounter,
} from './tokens/tokenCounter';
export type * from './types';
