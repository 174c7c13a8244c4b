/**
 * URLs often carry credentials (`http://admin:pass@10.0.0.5/stream`, `?token=…`). Every URL that goes
 * into an error message, a log line, /healthz or an audit entry passes through here first. It lives at
 * the bottom of lib/ so lib/data (audit details) can use it too.
 */
const USERINFO = /([a-z][a-z0-9+.-]*:\/\/)[^\s/@]+@/gi;
const SECRET_PARAM = /([?&](?:token|access_token|password|passwd|pass|pwd|key|auth|secret|signature)=)[^&#\s]*/gi;

/** The text with `user:pass@` and secret-looking query values of any URL in it replaced by `***`. */
export function redactCredentials(text: string): string {
  return text.replace(USERINFO, '$1***@').replace(SECRET_PARAM, '$1***');
}
