/**
 * The e-mail channel: one notification event → one message (plain text + simple HTML, every value
 * escaped). Who may read a student's name is decided by the caller (`names`, see routes.ts
 * `mailChannelForRoute`): without it an arrival says "a student", and nothing else ever names one.
 */
import type { MailChannel, MailMessage } from './channels';
import { digestSessionLine, localTime, type NotificationEvent } from './events';

/** Addresses as the API takes them: one mailbox, no display name, no list. */
export const EMAIL_ADDRESS = /^[^\s@<>(),;:"\\[\]]+@[^\s@<>(),;:"\\[\]]+\.[^\s@<>(),;:"\\[\]]+$/;

export const normalEmail = (address: string) => address.trim().toLowerCase();

export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

type Rendered = { subject: string; lines: string[] };

const hhmm = (iso: string, timeZone: string) => `${localTime(iso, timeZone)} (${timeZone})`;

function render(event: NotificationEvent, names: boolean, timeZone: string): Rendered {
  switch (event.type) {
    case 'session.closed': {
      const c = event.counts;
      return {
        subject: `${event.courseCode}: attendance closed, ${c.present} present, ${c.late} late, ${c.absent} absent`,
        lines: [
          `Attendance closed for ${event.courseCode} ${event.courseName}, ${event.startsAt.slice(0, 10)} ${hhmm(event.startsAt, timeZone)}.`,
          `${c.present} present, ${c.late} late, ${c.absent} absent of ${c.enrolled} enrolled.`,
        ],
      };
    }
    case 'camera.offline':
      return {
        subject: `Camera ${event.cameraName} offline`,
        lines: [
          `Camera ${event.cameraName}${event.room ? ` (${event.room})` : ''} has been offline for ${event.minutes} min, last seen ${hhmm(event.lastSeenAt, timeZone)}.`,
        ],
      };
    case 'attendance.arrival': {
      const who = names ? event.studentName : 'A student';
      return {
        subject: `${event.courseCode}: ${names ? `${event.studentName} arrived` : 'arrival'} (${event.status})`,
        lines: [
          `${who} arrived (${event.status}) in ${event.courseCode} at ${hhmm(event.at, timeZone)}.`,
          ...(names
            ? []
            : ["Names are only sent to the course's lecturer and to admins; see the session page for who it was."]),
        ],
      };
    }
    case 'digest.daily':
      return {
        subject: `Attendance summary for ${event.date}: ${event.sessions.length} session${event.sessions.length === 1 ? '' : 's'}`,
        lines: [
          `Your sessions on ${event.date} (times in ${event.timeZone}):`,
          ...event.sessions.map((s) => `- ${digestSessionLine(s, event.timeZone)}`),
        ],
      };
  }
}

/** The message for `event`; `names`: the recipient may read students' names (the course's lecturer or an admin). */
export function renderMail(event: NotificationEvent, to: string, names: boolean, timeZone: string): MailMessage {
  const { subject, lines } = render(event, names, timeZone);
  const footer = 'Sent by the attendance system. Change or remove this notification on the course page.';
  const text = [...lines, '', footer].join('\n');
  const html = [
    '<!doctype html><html><body style="font-family:sans-serif">',
    ...lines.map((l) => `<p>${escapeHtml(l)}</p>`),
    `<p style="color:#666;font-size:small">${escapeHtml(footer)}</p>`,
    '</body></html>',
  ].join('\n');
  // A course name with a line break must not become a header line.
  return { to, subject: subject.replace(/\s+/g, ' '), text, html };
}

export function emailChannel(to: string, opts: { names: boolean; timeZone: string }): MailChannel {
  if (!EMAIL_ADDRESS.test(to)) throw new Error('Not an e-mail address');
  return {
    name: 'email',
    key: `email ${normalEmail(to)}`,
    mail: (event) => renderMail(event, to, opts.names, opts.timeZone),
  };
}
