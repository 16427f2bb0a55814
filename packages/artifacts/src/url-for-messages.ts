// A URL shown in an error or a log: without `user:password@` and without its query, where presigned
// URLs and tokens keep their signatures; what is left still says which server and object were meant.
export function urlForMessages(raw: string): string {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    // Not a URL (a git scp-like `user@host:path`): at least the part before `@` goes.
    return raw.replace(/^[^@/]*@/, '');
  }
  url.username = '';
  url.password = '';
  const query = url.search === '' ? '' : '?…';
  url.search = '';
  url.hash = '';
  return url.toString() + query;
}
