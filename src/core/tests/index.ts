/** Generate Tests, editor-free: framework detection, placement, import merging, the request and the run command. */
export { extractTestCode, hasTests, type TestCode } from './answer';
export { detectFramework, type Detection, type ProjectFiles } from './detect';
export {
  FRAMEWORK_NAMES,
  type Framework,
  isTestFile,
  type Language,
  languageOf,
  PROJECT_MARKERS,
  projectRootOf,
} from './frameworks';
export { insertTests, type Insertion } from './insert';
export { mergeImports, splitImports } from './imports';
export { placeTests, type Placement } from './placement';
export { chooseExample, planTests, refusalFor, relativeSpecifier, type PlanResult, type TestPlan } from './plan';
export { exampleExcerpt, exampleTitle, type Subject, testsPrompt } from './prompt';
export { runCommand, type RunCommand, shellQuote, testNames } from './runCommand';
export { type CodeSymbol, definitions, enclosingSymbol } from './symbols';
export {
  failedLine,
  type FixRequest,
  fixPrompt,
  notRunLine,
  passedLine,
  runOutcome,
  testRunCall,
  type TestRunOutcome,
} from './verify';
