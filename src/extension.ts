/** Wiring only: builds the parts and connects them. */
import * as vscode from 'vscode';
import { readOnlyTools } from './core/agent/readTools';
import { ToolRunner } from './core/agent/toolRunner';
import { ChatEngine, type ChatEngineDeps } from './core/chat/chatEngine';
import type { HostMessage } from './core/protocol';
import { systemPrompt } from './core/prompts/system';
import { TokenCounters, qwenVocabularyCandidates, redactSecrets } from './core/context';
import { chatContext } from './vscode/context/chatContext';
import type { WorkspaceContext } from './core/chat/workspaceContext';
import { ContextWindows } from './vscode/context/contextWindows';
import { RecentEdits } from './vscode/workspace/editorSignals';
import { WorkspaceIndexService } from './vscode/workspace/indexService';
import { LexicalWorkerService } from './vscode/context/lexicalWorker';
import { TerminalOutputSource } from './vscode/workspace/terminalOutput';
import type { SessionRepository } from './core/session/session';
import { type ChatSessions, turnSessions } from './core/session/cursor';
import { ApiKeys } from './vscode/apiKeys';
import { CHAT_VIEW_ID, ChatViewProvider } from './vscode/chatView';
import type { ChatSurfaces } from './vscode/chatHost';
import { codeBlockHandler } from './vscode/codeBlockActions';
import { registerCommands } from './vscode/commands';
import { ConnectionFactory } from './vscode/connection';
import { onDidChangeSettings } from './vscode/settings';
import { linkReviewToChat, registerReview, type ReviewFeature } from './vscode/review/register';
import { VsCodeWorkspaceAccess } from './vscode/workspaceAccess';
import { AccessService, refusal } from './vscode/workspace/accessService';
import { SecretPatternsSetting } from './vscode/workspace/secretPatterns';
import { redactionNotices } from './vscode/redactionNotice';
import { type IsDenied, workspaceRoots } from './vscode/workspacePaths';
import { UsageMeter } from './core/model/usageMeter';
import { register as registerPresets } from './vscode/presets';
import { createCostMeter } from './vscode/pricing';
import { register as registerStatusBar } from './vscode/statusBar';
import { openSessions, register as registerSessions } from './vscode/sessions';
import { register as registerChatPanels } from './vscode/chatPanel';
import { register as registerExplainFile } from './vscode/features/explainFile';
import { McpService } from './vscode/mcp/mcpService';
import { registerMcpCommands } from './vscode/mcp/commands';
import { McpToolSource } from './vscode/mcp/mcpToolSource';
import { registerCommandTools, type CommandFeature } from './vscode/terminal/register';
import { resolveEndpoint } from './core/model/endpoint';
import { readSettings } from './vscode/settings';
import { InstructionsService } from './vscode/instructions';
import { registerUserInstructions, type SlashDeps, slashCommands } from './vscode/instructionsSlash';
import { gateEdits, isTrusted, TrustBanner } from './vscode/trust';
import { type AgentToolsFeature, registerAgentTools } from './vscode/agent/register';
import { acceptsEditsUnreviewed } from './core/agent/modes';
import { register as registerGenerateTests } from './vscode/features/generateTests';
import { type InlineEditFeature, register as registerInlineEdit } from './vscode/features/inlineEdit/register';
import { type CompletionsFeature, register as registerCompletions } from './vscode/features/completions';
import { type PreviewFeature, registerPreview } from './vscode/preview/register';
import { register as registerCommitMessage } from './vscode/git/generateCommitMessage';
import { deniedInRepository } from './vscode/git/gitAccess';

/** What `activate` returns; integration tests drive the extension through it. */
export interface QCoderApi {
  readonly chat: ChatEngine;
  readonly onDidPostMessage: vscode.Event<HostMessage>;
  /** A webview drew a finished message (its visible text; the session of the surface that drew it). */
  readonly onDidRender: vscode.Event<{ messageId: string; status: string; text: string; sessionId: string }>;
  /** The chat webview has loaded (fires on every load). */
  readonly onDidViewBecomeReady: vscode.Event<void>;
  /** Milliseconds `activate` took. */
  readonly activationMs: number;
  /** The edit service and the review of proposed edits. */
  readonly review: ReviewFeature;
  /** The workspace index behind the chat's context (the tools ask the access service, which needs no index). */
  readonly index: WorkspaceIndexService;
  /** The lexical index's worker thread and its store file. */
  readonly lexicalWorker: LexicalWorkerService;
  /** The chat sessions and their files. */
  readonly sessions: SessionRepository;
  /** The MCP servers and their tools. */
  readonly mcp: McpService;
  /** run_command and its background commands. */
  readonly commands: CommandFeature;
  /** The agent mode, the checklist and the code tools. */
  readonly agent: AgentToolsFeature;
  /** Inline edit (Ctrl+I): its sessions and the messages it showed. */
  readonly inlineEdit: InlineEditFeature;
  /** The status-bar item (model, tokens, estimated cost). */
  readonly statusBar: vscode.StatusBarItem;
  /** Inline completions (fill-in-the-middle ghost text). */
  readonly completions: CompletionsFeature;
  /** preview_page and the Preview panel. */
  readonly preview: PreviewFeature;
  /** Where the extension keeps state and logs (the adversarial suites search them for the API key). */
  readonly storage: Pick<vscode.ExtensionContext, 'globalState' | 'workspaceState' | 'logUri' | 'globalStorageUri'>;
  /** The chat's surfaces (the sidebar and editor tabs), each with its engine. */
  readonly surfaces: ChatSurfaces;
}

export function activate(context: vscode.ExtensionContext): QCoderApi {
  const started = performance.now();
  const log = vscode.window.createOutputChannel('QCoder', { log: true });
  const keys = new ApiKeys(context.secrets);
  const sessions = openSessions(context, log);
  const usage = new UsageMeter();
  const costs = createCostMeter(usage);
  const statusBar = registerStatusBar(usage, process.env, costs);
  const view = new ChatViewProvider(context.extensionUri, log);
  const secrets = new SecretPatternsSetting((line) => log.warn(line));
  // The last guard: every request body is scrubbed of secret shapes just before it is sent, and the user is told.
  // The notice goes under the reply of the chat whose request it was (the turn's session, a tab's or the sidebar's).
  const notices = redactionNotices(
    () => turnSessions(sessions).active,
    (message) => view.post(message),
    (line) => log.warn(line),
  );
  const connections = new ConnectionFactory(keys, (used) => usage.record(used), process.env, {
    redact: (text) => redactSecrets(text, secrets.current),
    onRedacted: notices.onRedacted,
  });
  // Nothing is built here: the index on the first message or
  // tool call, the tokenizer for the first model that needs it.
  const indexService = new WorkspaceIndexService(
    (line) => log.info(line),
    undefined,
    undefined,
    () => secrets.current,
  );
  const lexicalWorker = new LexicalWorkerService(indexService, {
    script: context.asAbsolutePath('dist/indexWorker.js'),
    storage: context.storageUri,
    log: (line) => log.info(line),
  });
  const recent = new RecentEdits();
  const terminal = new TerminalOutputSource();
  const counters = new TokenCounters(qwenVocabularyCandidates(context.asAbsolutePath('dist')));
  // One access decision for the read tools and edits, on the spelled and the real path; it builds no index.
  const access = new AccessService(workspaceRoots, secrets.current);
  const reruled = secrets.onDidChange((patterns) => {
    access.setSecrets(patterns);
    indexService.invalidate();
  });
  const isDenied: IsDenied = async (root, relative, text) =>
    isTrusted()
      ? refusal(await access.decide(root, relative, 'write', text === undefined ? {} : { text }))
      : 'the workspace is not trusted (Restricted Mode): QCoder changes no files here';
  const agent = registerAgentTools({
    context,
    // todo_write from a tab's turn writes that tab's checklist.
    sessions: turnSessions(sessions),
    access,
    post: (message) => view.post(message),
    onDidPostMessage: view.onDidPostMessage,
    onDidViewBecomeReady: view.onDidBecomeReady,
  });
  const review = registerReview({
    context,
    post: (message) => view.post(message),
    isDenied,
    log: (line) => log.info(line),
    autoAccept: () => acceptsEditsUnreviewed(agent.modes.mode),
  });
  // MCP servers: definitions are read when first needed; nothing starts before the agent or the list needs it.
  const mcp = new McpService(context, (line) => log.info(line));
  const commandTools = registerCommandTools({
    counter: () => counters.forModel(resolveEndpoint(readSettings(), process.env).model),
    log: (line) => log.info(line),
    mode: () => agent.modes.mode,
    state: context.workspaceState,
  });
  const instructions = new InstructionsService({
    access,
    roots: workspaceRoots,
    counter: (model) => counters.forModel(model),
    userFolder: context.globalStorageUri,
    isTrusted,
    log: (line) => log.info(line),
  });
  const trustBanner = new TrustBanner({
    post: (message) => view.post(message),
    withheld: () => instructions.withheld(),
    onDidViewBecomeReady: view.onDidBecomeReady,
    log: (line) => log.warn(line),
  });
  const windows = new ContextWindows(keys, (line) => log.info(line));
  const preview = registerPreview({
    extensionUri: context.extensionUri,
    access,
    counter: () => counters.forModel(resolveEndpoint(readSettings(), process.env).model),
    model: () => resolveEndpoint(readSettings(), process.env).model,
    log: (line) => log.info(line),
  });
  const contextDeps = {
    index: indexService,
    counters,
    windows,
    recent,
    terminal,
    mcp,
    costs,
    log: (line: string) => log.info(line),
  };
  const workspaceContext = chatContext(contextDeps);
  const slashDeps: SlashDeps = {
    instructions,
    sessions,
    mcp,
    engine: () => engine,
    connect: () => connections.connect(),
    log: (line) => log.info(line),
  };
  const engineDeps: ChatEngineDeps = {
    sessions,
    context: workspaceContext,
    tools: new ToolRunner(
      [...readOnlyTools, ...agent.tools],
      new VsCodeWorkspaceAccess(access, indexService.rgPath),
      gateEdits(review.edits),
      commandTools.tools,
      [
        new McpToolSource(
          mcp,
          context,
          () => resolveEndpoint(readSettings(), process.env).model,
          (model) => counters.forModel(model),
        ),
        preview.source,
      ],
    ),
    offers: agent.offers,
    limits: agent.limits,
    setMode: (mode) => agent.modes.set(mode),
    connect: () => connections.connect(),
    post: (message) => view.postFrom(engine, message),
    systemPrompt: (model) =>
      instructions.systemPrompt(model, (text) =>
        agent.systemPrompt(systemPrompt({ workspaceName: vscode.workspace.name, tools: true, instructions: text })),
      ),
    slash: slashCommands(slashDeps),
    runCommand: (command) => {
      if (command === 'setApiKey') void vscode.commands.executeCommand('qcoder.setApiKey');
      else if (command === 'manageTrust') void TrustBanner.manage();
      else if (command === 'loadInstructions') {
        instructions.loadAnyway();
        void trustBanner.publish();
      } else void vscode.commands.executeCommand('workbench.action.openSettings', 'qcoder');
    },
    log: (line) => log.info(line),
  };
  const engine: ChatEngine = new ChatEngine(engineDeps);
  // Each surface's pinned items and ledger are its own: the engine's context provider.
  const contexts = new WeakMap<ChatEngine, WorkspaceContext>([[engine, workspaceContext]]);
  // An editor tab's engine: the same parts on the tab's own session and context, its slash commands acting on the tab.
  const tabEngine = (tabSessions: ChatSessions, post: (message: HostMessage) => void): ChatEngine => {
    const context = chatContext(contextDeps);
    const tab: ChatEngine = new ChatEngine({
      ...engineDeps,
      sessions: tabSessions,
      context,
      post,
      slash: slashCommands({ ...slashDeps, sessions: tabSessions, engine: () => tab }),
    });
    contexts.set(tab, context);
    return tab;
  };
  view.attach(engine);
  view.handleReviewActions((message) => review.controller.act(message.reviewId, message.action, message.path));
  view.handleCodeActions(codeBlockHandler({ postFrom: (from, message) => view.postFrom(from, message) }));
  const inlineEdit = registerInlineEdit({
    connect: () => connections.connect(),
    counters,
    windows,
    index: indexService,
    pinned: () => (contexts.get(view.target().engine) ?? workspaceContext).pinnedItems(),
    refusal: async (root, rel, text) => refusal(await access.decide(root, rel, 'mention', { text })),
    state: context.globalState,
    log: (line) => log.info(line),
  });
  const completions = registerCompletions({
    keys,
    access,
    recent,
    counters,
    state: context.globalState,
    redact: (text) => redactSecrets(text, secrets.current),
    log: (line) => log.info(line),
  });
  const republish = () => {
    void engine.publishConnection();
  };
  context.subscriptions.push(
    log,
    secrets,
    reruled,
    access.watch(),
    indexService,
    lexicalWorker,
    recent,
    terminal,
    keys,
    view,
    vscode.window.registerWebviewViewProvider(CHAT_VIEW_ID, view),
    review,
    commandTools,
    agent,
    linkReviewToChat(view.onDidPostMessage, review.controller),
    registerCommands(engine, keys),
    keys.onDidChange(republish),
    onDidChangeSettings(republish),
    registerPresets(keys),
    statusBar,
    costs,
    registerSessions(sessions, engine, view),
    registerChatPanels({
      surfaces: view,
      sessions,
      newEngine: tabEngine,
      extensionUri: context.extensionUri,
      state: context.workspaceState,
      log: (line) => log.info(line),
    }),
    trustBanner,
    registerUserInstructions(instructions),
    mcp,
    registerMcpCommands(mcp, context),
    registerExplainFile({
      chat: () => view.target(),
      refusal: async (root, rel, text) => refusal(await access.decide(root, rel, 'mention', { text })),
    }),
    registerGenerateTests({
      chat: () => view.target(),
      review,
      access: async (root, rel, text) => refusal(await access.decide(root, rel, 'mention', { text })),
    }),
    inlineEdit,
    completions,
    preview,
    registerCommitMessage({
      connect: () => connections.connect(),
      counter: (model) => counters.forModel(model),
      denied: (root, relative) => deniedInRepository(access, root, relative),
      log: (line) => log.info(line),
    }),
  );
  const activationMs = performance.now() - started;
  log.info(`activated in ${activationMs.toFixed(1)} ms`);
  return {
    // The chat the user last worked in (an editor tab), else the sidebar's.
    get chat() {
      return view.target().engine;
    },
    onDidPostMessage: view.onDidPostMessage,
    onDidRender: view.onDidRender,
    onDidViewBecomeReady: view.onDidBecomeReady,
    activationMs,
    review,
    index: indexService,
    lexicalWorker,
    sessions,
    mcp,
    commands: commandTools,
    agent,
    inlineEdit,
    statusBar: statusBar.item,
    completions,
    preview,
    storage: context,
    surfaces: view,
  };
}

export function deactivate(): void {
  // Everything is disposed through context.subscriptions.
}
