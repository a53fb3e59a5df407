/** Where a CLI command writes, and the environment it reads: injected so tests run it in-process. */
export interface CliIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  env: NodeJS.ProcessEnv;
  cwd: string;
}

/** A subcommand: takes its arguments, returns the process exit code. */
export type CliCommand = (args: string[], io: CliIo) => Promise<number>;

/** Exit codes: 0 success, 1 the thing checked is bad (invalid policy, broken log), 2 bad usage. */
export const EXIT_OK = 0;
export const EXIT_FAILED = 1;
export const EXIT_USAGE = 2;
