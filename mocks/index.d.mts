// Types of `lofty-calendar/mock` (mocks/index.mjs).

export interface StartMockOptions {
  /** The port on 127.0.0.1 (default: a free one). */
  port?: number;
  /**
   * `false` (the default): the static mock of `npx lofty-calendar-mock`, answering from the spec's examples, with
   * `Prefer` scenarios. `true`: the stateful mock of `npx lofty-calendar-mock --stateful`, a calendar that keeps
   * what is created, with Lofty's rules, refusals and rate limit.
   */
  stateful?: boolean;
  /** Stateful only: load the events from this file at start, save them after each change (MOCK_STATE). */
  stateFile?: string;
  /** Stateful only: requests allowed a minute (default 100, as RATE_LIMIT). */
  rateLimit?: number;
  /** Stateful only: where the reasons of refused requests go (default: stderr). */
  log?: (line: string) => void;
}

export interface RunningMock {
  /** The mock's base URL, e.g. `http://127.0.0.1:40123`: pass it as the SDK's `baseUrl`. */
  url: string;
  /** Stops the mock and ends every process it started; safe to call twice. */
  stop(): Promise<void>;
}

/** Starts the mock; rejects at once, naming the install command, when @stoplight/prism-cli is not installed. */
export declare function startMock(options?: StartMockOptions): Promise<RunningMock>;
