/** Where a server's diagnostics go: one line at a time, stderr in a running server (stdout may be the protocol). */
export type Logger = (line: string) => void;
