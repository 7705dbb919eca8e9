/**
 * What a command may touch of its surroundings. The real process in main.ts, a capture in
 * tests, so commands never reach for `process` directly.
 */
export interface CliIO {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  env: Readonly<Record<string, string | undefined>>;
  cwd: string;
  /** Whether stdout is a terminal (progress lines, colours). */
  isTTY: boolean;
  /** Reads all of standard input (for `--password-stdin`). */
  readStdin: () => Promise<string>;
  /** A command's result when it is not plain success (e.g. some items failed). */
  setExitCode?: (code: number) => void;
  /** Asks for a secret on the terminal without echo; undefined when there is no terminal. */
  promptSecret?: (question: string) => Promise<string>;
}

/** Options every command understands (commander's global options). */
export interface GlobalOptions {
  config?: string;
  json?: boolean;
  verbose?: boolean;
}
