/** Node's file-system error codes in words, for one-line messages that name the path. */
const REASONS: Record<string, string> = {
  ENOENT: 'no such file or directory',
  EISDIR: 'is a directory',
  ENOTDIR: 'a parent is not a directory',
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  EROFS: 'read-only file system',
  ENOSPC: 'no space left on device',
  EDQUOT: 'disk quota exceeded',
  EEXIST: 'already exists',
  EMFILE: 'too many open files',
};

/** Why a file operation failed, in a few words (the error's own message for unlisted codes). */
export function fsReason(e: unknown): string {
  const code = (e as { code?: unknown } | null)?.code;
  return (typeof code === 'string' && REASONS[code]) || (e instanceof Error ? e.message : String(e));
}

/** `action()`, or an Error `cannot <verb> <path>: <reason>` (one line) when it fails. */
export function withPath<T>(verb: string, path: string, action: () => T): T {
  try {
    return action();
  } catch (e) {
    throw new Error(`cannot ${verb} ${path}: ${fsReason(e)}`, { cause: e });
  }
}
