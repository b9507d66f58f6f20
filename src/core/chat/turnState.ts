/**
 * One turn at a time. A turn is an answer, or a tool call QCoder runs for the user (a code
 * block's Run, Generate Tests' own call); while it runs the view shows the chat busy, Stop
 * aborts its signal, and nothing else starts. Its end frees the chat and saves the session.
 */
import type { ChatEngineDeps } from './chatEngineDeps';

/** A turn under way: the signal Stop aborts, and `end`, called once when its work is over. */
export interface Turn {
  readonly signal: AbortSignal;
  end(): Promise<void>;
}

export class TurnState {
  private current: { readonly controller: AbortController; readonly done: Promise<void> } | undefined;

  constructor(private readonly deps: Pick<ChatEngineDeps, 'sessions' | 'post'>) {}

  get busy(): boolean {
    return this.current !== undefined;
  }

  /** Starts a turn; the caller has checked `busy` and promises to call `end`. */
  begin(): Turn {
    const controller = new AbortController();
    let release: () => void = () => undefined;
    this.current = { controller, done: new Promise<void>((resolve) => (release = resolve)) };
    this.deps.post({ type: 'busy', busy: true });
    return {
      signal: controller.signal,
      end: async () => {
        this.current = undefined;
        this.deps.post({ type: 'busy', busy: false });
        await this.deps.sessions.save();
        release();
      },
    };
  }

  stop(): void {
    this.current?.controller.abort();
  }

  /** Resolves when the turn in flight (if any) has ended and its session is saved. */
  async idle(): Promise<void> {
    await this.current?.done;
  }
}
