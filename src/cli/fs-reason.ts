/**
 * @file Short, lowercase reasons for file-system errors (`no such file`, `it is a directory`), for
 * diagnostics that name a file the user gave. Used by the CLI and by runtime/bind.ts and state.ts.
 */

/** A readable reason from a file-system error (or any thrown value). */
export function fsReason(e: unknown): string {
  const code = (e as NodeJS.ErrnoException | undefined)?.code;
  switch (code) {
    case 'ENOENT': return 'no such file';
    case 'EISDIR': return 'it is a directory';
    case 'EACCES': case 'EPERM': return 'permission denied';
    case 'ENOTDIR': return 'a component of the path is not a directory';
    default: return e instanceof Error ? e.message : String(e);
  }
}

/** True for errors thrown by node:fs (they carry an errno code). */
export const isFsError = (e: unknown): boolean => typeof (e as NodeJS.ErrnoException | undefined)?.code === 'string';
