/**
 * Argument parsing for `npm run attendance -- <command> [options]`. Pure: the command table is the
 * CLI's contract (other tools call these exact commands and options).
 */
import { parseArgs } from 'node:util';

type OptionSpec = { type: 'string' | 'boolean'; required?: boolean; choices?: readonly string[]; help: string };

export const COMMANDS = {
  'students import': {
    summary:
      'enrol every student folder under DIR (folder name = name; optional student.json), or a roster CSV with photos named by student number (as the dashboard does)',
    options: {
      dir: { type: 'string', help: 'folder with one sub-folder per student' },
      course: { type: 'string', help: 'with --dir: also enrol them into this course code' },
      csv: { type: 'string', help: 'roster CSV: student_number, name, email, courses' },
      photos: { type: 'string', help: 'with --csv: a ZIP or a folder of photos named S1001.jpg, S1001_2.jpg…' },
      'dry-run': { type: 'boolean', help: 'with --csv: only show the per-row problems; write nothing' },
    },
  },
  'students delete-biometrics': {
    summary: "delete a student's photos, templates and stored faces (privacy)",
    options: { student: { type: 'string', required: true, help: 'student id or student number' } },
  },
  'courses add': {
    summary: 'create a course (idempotent on the code)',
    options: {
      code: { type: 'string', required: true, help: 'course code' },
      name: { type: 'string', required: true, help: 'course name' },
    },
  },
  enroll: {
    summary: 'enrol students into a course',
    options: {
      course: { type: 'string', required: true, help: 'course code' },
      all: { type: 'boolean', help: 'every student' },
      student: { type: 'string', help: 'one student (id or number)' },
    },
  },
  'cameras add': {
    summary: 'register a camera; prints its push token once',
    options: {
      name: { type: 'string', required: true, help: 'unique camera name' },
      url: { type: 'string', help: 'MJPEG stream URL (pull cameras)' },
      room: { type: 'string', help: 'room' },
      mode: { type: 'string', choices: ['pull', 'push'], help: 'pull|push (default: pull with --url, else push)' },
      liveness: {
        type: 'string',
        choices: ['off', 'flag', 'block'],
        help: 'photo/screen check: flag (default) records and marks doubtful faces, block holds them for review, off',
      },
    },
  },
  'cameras list': {
    summary: 'every camera with the worker processing it now (its lease) and when that lease runs out',
    options: {},
  },
  'cameras rotate-token': {
    summary: "replace a camera's push token; the old one stops working",
    options: { name: { type: 'string', required: true, help: 'camera name' } },
  },
  'sessions add': {
    summary: 'schedule a class session',
    options: {
      course: { type: 'string', required: true, help: 'course code' },
      camera: { type: 'string', required: true, help: 'camera name' },
      start: { type: 'string', required: true, help: 'ISO start, e.g. 2025-03-01T09:00:00Z' },
      end: { type: 'string', required: true, help: 'ISO end, after the start' },
    },
  },
  'timetable add': {
    summary:
      "create a course's sessions for a term from a weekly pattern (refused whole, listing the dates, if any date clashes)",
    options: {
      course: { type: 'string', required: true, help: 'course code' },
      weekday: { type: 'string', required: true, help: 'mon,tue,wed,thu,fri,sat,sun (comma-separated)' },
      start: { type: 'string', required: true, help: 'local start time, e.g. 09:00' },
      end: { type: 'string', required: true, help: 'local end time, e.g. 10:40' },
      from: { type: 'string', required: true, help: 'first date, e.g. 2027-02-03' },
      to: { type: 'string', required: true, help: 'last date, e.g. 2027-05-30' },
      except: { type: 'string', help: 'dates without a session, comma-separated' },
      camera: { type: 'string', help: 'camera name' },
      room: { type: 'string', help: "room (default: the camera's, else the course's)" },
      tz: { type: 'string', help: 'IANA time zone (default CAMPUS_TIMEZONE)' },
    },
  },
  'timetable list': {
    summary: "a course's timetables",
    options: { course: { type: 'string', required: true, help: 'course code' } },
  },
  'timetable remove': {
    summary: 'delete a timetable and its future, never-run sessions',
    options: { id: { type: 'string', required: true, help: 'timetable id from timetable list' } },
  },
  'attendance list': {
    summary: "a session's attendance",
    options: { session: { type: 'string', required: true, help: 'session id' } },
  },
  'backup create': {
    summary: 'back up students, courses, photo keys and face templates to storage, then prune to BACKUP_KEEP',
    options: {},
  },
  'backup list': {
    summary: 'complete backups, newest first',
    options: {},
  },
  'templates rebuild': {
    summary: 're-embed stored enrollment photos that have no template of the current face model',
    options: {},
  },
  'backup restore': {
    summary: 'restore a backup (default: the newest) into an empty database',
    options: { id: { type: 'string', help: 'backup id from backup list' } },
  },
  'notify add': {
    summary: "send a course's (or a lecturer's, for all their courses) notifications to a channel too",
    options: {
      course: { type: 'string', help: 'course code' },
      user: { type: 'string', help: "lecturer's email (all their courses)" },
      channel: {
        type: 'string',
        required: true,
        choices: ['webhook', 'slack', 'telegram', 'email'],
        help: 'webhook|slack|telegram|email',
      },
      target: { type: 'string', required: true, help: 'webhook / Slack URL, Telegram chat id, or e-mail address' },
      secret: { type: 'string', help: 'webhook HMAC secret (16+ chars) or Telegram bot token' },
      events: {
        type: 'string',
        help: 'comma-separated: session_closed,camera_offline,arrival (default: session_closed,camera_offline)',
      },
      digest: {
        type: 'string',
        choices: ['none', 'daily'],
        help: 'daily: one summary a day instead of session and arrival messages (default none)',
      },
      'digest-hour': {
        type: 'string',
        help: 'local hour (0-23, CAMPUS_TIMEZONE) the daily summary is sent (default 18)',
      },
    },
  },
  'notify list': {
    summary: 'notification routes (secrets masked)',
    options: { course: { type: 'string', help: 'only this course code' } },
  },
  'notify remove': {
    summary: 'remove a notification route',
    options: { id: { type: 'string', required: true, help: 'route id from notify list' } },
  },
  'users add': {
    summary: 'add a dashboard user; without --password-stdin a password is generated and printed once',
    options: {
      email: { type: 'string', required: true, help: 'sign-in email (unique)' },
      role: { type: 'string', required: true, choices: ['admin', 'lecturer'], help: 'admin|lecturer' },
      name: { type: 'string', help: 'display name (default: the part of the email before @)' },
      'password-stdin': { type: 'boolean', help: 'read the password from the first line of stdin' },
    },
  },
  'users list': {
    summary: 'dashboard users with role, status and last sign-in',
    options: {},
  },
  'users disable': {
    summary: 'disable a user: no sign-in, and their open sessions end at the next request',
    options: { email: { type: 'string', required: true, help: "the user's email" } },
  },
  'users enable': {
    summary: 'enable a disabled user again',
    options: { email: { type: 'string', required: true, help: "the user's email" } },
  },
  'demo remove': {
    summary:
      'delete exactly the demo data the seed created (`db:seed -- --demo`): its lecturer, courses, students with their photos, camera and sessions; real rows stay',
    options: {},
  },
  'users reset-password': {
    summary: "set a user's password (generated and printed once unless --password-stdin); ends their sessions",
    options: {
      email: { type: 'string', required: true, help: "the user's email" },
      'password-stdin': { type: 'boolean', help: 'read the password from the first line of stdin' },
    },
  },
} as const satisfies Record<string, { summary: string; options: Record<string, OptionSpec> }>;

export type CommandName = keyof typeof COMMANDS;

export type ParsedCommand = {
  command: CommandName;
  options: Record<string, string | boolean | undefined>;
  json: boolean;
};

export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

export function usage(): string {
  const lines = ['Usage: npm run attendance -- <command> [options] [--json]', '', 'Commands:'];
  for (const [name, spec] of Object.entries(COMMANDS)) {
    const opts = Object.entries(spec.options as Record<string, OptionSpec>)
      .map(([k, o]) => {
        const flag = o.type === 'boolean' ? `--${k}` : `--${k} ${k.toUpperCase()}`;
        return o.required ? flag : `[${flag}]`;
      })
      .join(' ');
    lines.push(`  ${name} ${opts}`, `      ${spec.summary}`);
  }
  lines.push('', 'Every command prints JSON with --json; errors exit non-zero with a one-line message.');
  return lines.join('\n');
}

const ISO_DATETIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:?\d{2})?$/;

/** An ISO 8601 date-time (`2025-03-01T09:00:00Z`; without an offset it is local time). */
export function parseIsoDate(value: string, option: string): Date {
  const d = new Date(value);
  if (!ISO_DATETIME.test(value) || Number.isNaN(d.getTime())) {
    throw new UsageError(`--${option} must be an ISO date-time such as 2025-03-01T09:00:00Z, got "${value}"`);
  }
  return d;
}

export function parseCliArgs(argv: readonly string[]): ParsedCommand {
  const words = argv.slice(0, 2);
  const two = words.join(' ');
  const command = (two in COMMANDS ? two : words[0] in COMMANDS ? words[0] : undefined) as CommandName | undefined;
  if (!command) {
    const given = argv
      .filter((a) => !a.startsWith('-'))
      .slice(0, 2)
      .join(' ');
    throw new UsageError(given ? `unknown command "${given}"` : 'no command given');
  }
  const rest = argv.slice(command.split(' ').length);
  const specs = COMMANDS[command].options as Record<string, OptionSpec>;
  const options = Object.fromEntries(Object.entries(specs).map(([k, o]) => [k, { type: o.type }]));
  let parsed;
  try {
    parsed = parseArgs({
      args: [...rest],
      options: { ...options, json: { type: 'boolean' } },
      strict: true,
      allowPositionals: false,
    });
  } catch (err) {
    throw new UsageError(`${command}: ${(err as Error).message.split('\n')[0]}`);
  }
  const values = parsed.values as Record<string, string | boolean | undefined>;
  for (const [k, o] of Object.entries(specs)) {
    const v = values[k];
    if (o.required && (v === undefined || v === '')) throw new UsageError(`${command}: --${k} is required`);
    if (typeof v === 'string' && o.choices && !o.choices.includes(v))
      throw new UsageError(`${command}: --${k} must be one of ${o.choices.join(', ')}, got "${v}"`);
  }
  if (command === 'students import') {
    if ((values.dir === undefined) === (values.csv === undefined))
      throw new UsageError('students import: --dir is required (or --csv ROSTER.csv [--photos ZIP|DIR] instead)');
    if (values.csv === undefined && (values.photos !== undefined || values['dry-run']))
      throw new UsageError('students import: --photos and --dry-run go with --csv');
    if (values.csv !== undefined && values.course !== undefined)
      throw new UsageError(
        "students import: with --csv the roster's courses column names the courses; --course goes with --dir",
      );
  }
  if (command === 'enroll' && Boolean(values.all) === (values.student !== undefined)) {
    throw new UsageError('enroll: give exactly one of --all or --student ID');
  }
  if (command === 'notify add' && (values.course === undefined) === (values.user === undefined)) {
    throw new UsageError('notify add: give exactly one of --course CODE or --user EMAIL');
  }
  if (command === 'sessions add') {
    const start = parseIsoDate(String(values.start), 'start');
    const end = parseIsoDate(String(values.end), 'end');
    if (end.getTime() <= start.getTime()) throw new UsageError('sessions add: --end must be after --start');
  }
  const { json, ...rest2 } = values;
  return { command, options: rest2, json: json === true };
}
