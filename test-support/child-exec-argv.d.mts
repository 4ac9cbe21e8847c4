/** Node flags for a test's child process that runs workspace TypeScript sources. */
export declare const workspaceExecArgv: readonly string[];
