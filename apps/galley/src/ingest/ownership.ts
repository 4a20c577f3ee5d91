/**
 * Who may change a stored resource. Every stored resource records the source that wrote it:
 * `file:<path relative to the config dir>` for the watched directory, anything else (`api` by
 * default, as sent by meshctl) for NATS apply requests.
 *
 * - A file owns its resources exclusively: only that file changes or removes them. The API may not
 *   overwrite or delete them (the file would disagree on its next change); edit the file instead.
 * - A file never takes over a resource another source wrote (the conflict is logged and the
 *   resource left alone); once the owner deletes it, the file's version is applied.
 * - API sources share ownership, like `kubectl apply`: the last writer wins and is recorded.
 */
export function isFileSource(source: string): boolean {
  return source.startsWith('file:');
}

export function mayWrite(owner: string, writer: string): boolean {
  if (owner === writer) return true;
  return !isFileSource(owner) && !isFileSource(writer);
}

export function ownershipMessage(owner: string, writer: string): string {
  return isFileSource(owner)
    ? `owned by ${owner}: change or remove it in that file (${writer} may not)`
    : `owned by source "${owner}": delete it there first (${writer} may not take it over)`;
}
