/**
 * A real SMTP server on loopback (the `smtp-server` package) for tests: STARTTLS with a throwaway
 * certificate (its CA is handed to the client, so nothing turns verification off), optional AUTH, and
 * scripted failures. Every accepted message is kept raw and, for assertions, split into subject, text
 * and HTML (7bit, quoted-printable and base64 parts, which is all nodemailer writes).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { SMTPServer } from 'smtp-server';

export type ReceivedMail = {
  from: string;
  to: string[];
  raw: string;
  subject: string;
  text: string;
  html: string;
  /** The session was TLS when the message was sent (after STARTTLS). */
  secure: boolean;
  /** The AUTH user, if the client signed in. */
  user: string | undefined;
};

export interface TestSmtpServer {
  port: number;
  /** PEM of the certificate the server presents (self-signed for 127.0.0.1 and localhost): trust it as `ca`. */
  ca: string;
  messages: ReceivedMail[];
  /** The next `n` messages are refused with `code` (451: try later; 550: mailbox unknown). */
  failNext(n: number, code: number): void;
  /** Messages refused so far (each delivery attempt that reached DATA). */
  refused: number;
  close(): Promise<void>;
}

function selfSignedCert(): { key: string; cert: string } {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'smtp-cert-'));
  try {
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'rsa:2048',
        '-nodes',
        '-days',
        '1',
        '-subj',
        '/CN=localhost',
        '-addext',
        'subjectAltName=IP:127.0.0.1,DNS:localhost',
        '-keyout',
        path.join(dir, 'key.pem'),
        '-out',
        path.join(dir, 'cert.pem'),
      ],
      { stdio: 'ignore' },
    );
    return {
      key: readFileSync(path.join(dir, 'key.pem'), 'utf8'),
      cert: readFileSync(path.join(dir, 'cert.pem'), 'utf8'),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Splits a MIME entity into lower-cased, unfolded headers and its body. */
function splitEntity(raw: string): { headers: Record<string, string>; body: string } {
  const at = raw.indexOf('\r\n\r\n');
  const head = at < 0 ? raw : raw.slice(0, at);
  const body = at < 0 ? '' : raw.slice(at + 4);
  const headers: Record<string, string> = {};
  for (const line of head.replace(/\r\n[ \t]+/g, ' ').split('\r\n')) {
    const colon = line.indexOf(':');
    if (colon > 0) headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  return { headers, body };
}

function decodeBody(body: string, encoding: string | undefined): string {
  switch ((encoding ?? '7bit').toLowerCase()) {
    case 'base64':
      return Buffer.from(body.replace(/\s+/g, ''), 'base64').toString('utf8');
    case 'quoted-printable': {
      const s = body.replace(/=\r\n/g, '');
      const bytes: number[] = [];
      for (let i = 0; i < s.length; i++) {
        const hex = s.slice(i + 1, i + 3);
        if (s[i] === '=' && /^[0-9A-F]{2}$/i.test(hex)) {
          bytes.push(parseInt(hex, 16));
          i += 2;
        } else bytes.push(s.charCodeAt(i));
      }
      return Buffer.from(bytes).toString('utf8');
    }
    default:
      return body;
  }
}

/** Subject, text and HTML of a raw message (single part or multipart/alternative). */
export function parseMail(raw: string): { subject: string; text: string; html: string } {
  const { headers, body } = splitEntity(raw);
  const out = { subject: headers.subject ?? '', text: '', html: '' };
  const type = headers['content-type'] ?? 'text/plain';
  const boundary = /boundary="?([^";]+)"?/i.exec(type)?.[1];
  const parts = boundary
    ? body
        .split(`--${boundary}`)
        .slice(1)
        .filter((p) => !p.startsWith('--'))
        .map((p) => splitEntity(p.replace(/^\r\n/, '')))
    : [{ headers, body }];
  for (const p of parts) {
    const decoded = decodeBody(p.body, p.headers['content-transfer-encoding']).replace(/\r\n$/, '');
    if ((p.headers['content-type'] ?? 'text/plain').startsWith('text/html')) out.html = decoded;
    else out.text = decoded;
  }
  return out;
}

export async function startSmtpServer(opts: { user?: string; password?: string } = {}): Promise<TestSmtpServer> {
  const { key, cert } = selfSignedCert();
  const messages: ReceivedMail[] = [];
  let failures = { left: 0, code: 451 };
  const state = { refused: 0 };
  const server = new SMTPServer({
    key,
    cert,
    authOptional: !opts.user,
    authMethods: ['PLAIN', 'LOGIN'],
    // AUTH only after STARTTLS, as a real submission server: a client that skipped TLS cannot sign in.
    allowInsecureAuth: false,
    disableReverseLookup: true,
    logger: false,
    onAuth(auth, _session, callback) {
      if (auth.username === opts.user && auth.password === opts.password) callback(null, { user: auth.username });
      else callback(Object.assign(new Error('Invalid username or password'), { responseCode: 535 }));
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        if (failures.left > 0) {
          failures.left--;
          state.refused++;
          callback(Object.assign(new Error('Refused by the test'), { responseCode: failures.code }));
          return;
        }
        const raw = Buffer.concat(chunks).toString('utf8');
        messages.push({
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
          to: session.envelope.rcptTo.map((r) => r.address),
          raw,
          ...parseMail(raw),
          secure: session.secure,
          user: typeof session.user === 'string' ? session.user : undefined,
        });
        callback();
      });
    },
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = (server as unknown as { server: { address(): AddressInfo } }).server.address();
  return {
    port,
    ca: cert,
    messages,
    failNext(n, code) {
      failures = { left: n, code };
    },
    get refused() {
      return state.refused;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
