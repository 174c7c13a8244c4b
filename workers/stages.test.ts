import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { startStages, type Stage } from './stages';

const log = pino({ level: 'silent' });

describe('startStages', () => {
  it('starts in order and stops in reverse', async () => {
    const events: string[] = [];
    const stage = (name: string): Stage => ({
      name,
      async start() {
        events.push(`start ${name}`);
        return () => void events.push(`stop ${name}`);
      },
    });
    const running = await startStages(
      [stage('db'), stage('models'), stage('cameras')],
      new AbortController().signal,
      log,
    );
    await running.stop();
    await running.stop();
    expect(events).toEqual(['start db', 'start models', 'start cameras', 'stop cameras', 'stop models', 'stop db']);
  });

  it('stops what already started when a stage fails, then rethrows', async () => {
    const events: string[] = [];
    const stages: Stage[] = [
      { name: 'db', start: async () => () => void events.push('stop db') },
      {
        name: 'models',
        start: async () => {
          throw new Error('no weights');
        },
      },
      { name: 'cameras', start: async () => void events.push('start cameras') },
    ];
    await expect(startStages(stages, new AbortController().signal, log)).rejects.toThrow('no weights');
    expect(events).toEqual(['stop db']);
  });

  it('passes the shared signal to every stage', async () => {
    const controller = new AbortController();
    let seen: AbortSignal | undefined;
    await startStages([{ name: 'a', start: async (s) => void (seen = s) }], controller.signal, log);
    controller.abort();
    expect(seen?.aborted).toBe(true);
  });
});
