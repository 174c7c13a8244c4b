import { describe, expect, it } from 'vitest';
import { parseCliArgs, parseIsoDate, usage, UsageError } from './args';

describe('parseCliArgs', () => {
  it('parses two-word commands with options and --json', () => {
    expect(parseCliArgs(['students', 'import', '--dir', '/tmp/x', '--course', 'CS101', '--json'])).toEqual({
      command: 'students import',
      options: { dir: '/tmp/x', course: 'CS101' },
      json: true,
    });
  });

  it('parses one-word commands and --opt=value', () => {
    expect(parseCliArgs(['enroll', '--course=CS101', '--all'])).toEqual({
      command: 'enroll',
      options: { course: 'CS101', all: true },
      json: false,
    });
  });

  it('parses the users commands, with a role from the list only', () => {
    expect(
      parseCliArgs(['users', 'add', '--email', 'a@b.edu', '--role', 'lecturer', '--password-stdin', '--json']),
    ).toEqual({
      command: 'users add',
      options: { email: 'a@b.edu', role: 'lecturer', 'password-stdin': true },
      json: true,
    });
    expect(() => parseCliArgs(['users', 'add', '--email', 'a@b.edu', '--role', 'root'])).toThrow(
      /--role must be one of admin, lecturer, got "root"/,
    );
    expect(() => parseCliArgs(['users', 'add', '--email', 'a@b.edu'])).toThrow(/--role is required/);
    expect(() => parseCliArgs(['users', 'disable'])).toThrow(/--email is required/);
    expect(() => parseCliArgs(['users', 'reset-password', '--email', 'a@b.edu', '--password', 'x'])).toThrow(
      /Unknown option '--password'/,
    );
  });

  it('accepts a camera mode from the list only', () => {
    expect(parseCliArgs(['cameras', 'add', '--name', 'c1', '--mode', 'push']).options.mode).toBe('push');
    expect(() => parseCliArgs(['cameras', 'add', '--name', 'c1', '--mode', 'rtsp'])).toThrow(
      /--mode must be one of pull, push/,
    );
  });

  it.each([
    [[], /no command given/],
    [['frobnicate'], /unknown command "frobnicate"/],
    [['students'], /unknown command "students"/],
    [['students', 'import'], /--dir is required/],
    [['students', 'import', '--dir'], /argument missing|--dir/],
    [['students', 'import', '--dir', 'x', '--bogus'], /Unknown option '--bogus'/],
    [['students', 'import', '--dir', 'x', '--csv', 'r.csv'], /--dir is required \(or --csv/],
    [['students', 'import', '--dir', 'x', '--photos', 'p.zip'], /--photos and --dry-run go with --csv/],
    [
      ['students', 'import', '--csv', 'r.csv', '--course', 'CS101'],
      /with --csv the roster's courses column names the courses/,
    ],
    [['courses', 'add', '--code', 'A'], /--name is required/],
    [['enroll', '--course', 'A'], /exactly one of --all or --student/],
    [['enroll', '--course', 'A', '--all', '--student', 'S1'], /exactly one of --all or --student/],
    [
      ['sessions', 'add', '--course', 'A', '--camera', 'c', '--start', 'tomorrow', '--end', '2025-01-01T10:00Z'],
      /--start must be an ISO date-time/,
    ],
    [
      [
        'sessions',
        'add',
        '--course',
        'A',
        '--camera',
        'c',
        '--start',
        '2025-01-01T10:00Z',
        '--end',
        '2025-01-01T09:00Z',
      ],
      /--end must be after --start/,
    ],
    [['attendance', 'list', 'extra'], /Unexpected argument|attendance list/],
  ])('%j is a usage error', (argv, message) => {
    expect(() => parseCliArgs(argv)).toThrow(UsageError);
    expect(() => parseCliArgs(argv)).toThrow(message);
  });

  it('parses ISO date-times with and without offsets', () => {
    expect(parseIsoDate('2025-03-01T09:00:00Z', 'start').toISOString()).toBe('2025-03-01T09:00:00.000Z');
    expect(parseIsoDate('2025-03-01T09:00:00+02:00', 'start').toISOString()).toBe('2025-03-01T07:00:00.000Z');
    expect(() => parseIsoDate('1700000000', 'start')).toThrow(UsageError);
  });

  it('usage lists every command', () => {
    for (const c of [
      'students import',
      'students delete-biometrics',
      'courses add',
      'enroll',
      'cameras add',
      'cameras rotate-token',
      'sessions add',
      'attendance list',
      'users add',
      'users list',
      'users disable',
      'users enable',
      'users reset-password',
    ]) {
      expect(usage()).toContain(c);
    }
  });
});
