/** A progress line of the soak, to stderr: stdout carries only the figures printed last. */
export const say = (line: string) => process.stderr.write(`soak: ${line}\n`);
