import pino from 'pino';
import { describe, expect, it, vi } from 'vitest';
import { AppError } from '../errors.js';
import { defineSaga, SagaFailedError, type SagaLogger, type SagaStep } from './saga.js';

/** Steps that write what happens to a shared journal, to check order. */
function recordingSteps(names: string[], fail: Partial<Record<string, 'run' | 'compensate'>> = {}) {
  const journal: string[] = [];
  const steps: SagaStep<unknown>[] = names.map((name) => ({
    name,
    run: async () => {
      journal.push(`run ${name}`);
      if (fail[name] === 'run') throw new Error(`${name} failed`);
    },
    compensate: async () => {
      journal.push(`undo ${name}`);
      if (fail[name] === 'compensate') throw new Error(`undo ${name} failed`);
    },
  }));
  return { journal, steps };
}

const silentLogger = (): SagaLogger => ({ info: vi.fn(), warn: vi.fn(), error: vi.fn() });

describe('defineSaga', () => {
  it('runs every step in order and compensates nothing when all succeed', async () => {
    const { journal, steps } = recordingSteps(['a', 'b', 'c']);
    const result = await defineSaga('all-good', steps).run({});
    expect(journal).toEqual(['run a', 'run b', 'run c']);
    expect(result).toEqual({ saga: 'all-good', status: 'completed', aborted: false, compensated: [], compensationErrors: [] });
  });

  it('compensates the completed steps in reverse order when a middle step fails', async () => {
    const { journal, steps } = recordingSteps(['a', 'b', 'c', 'd'], { c: 'run' });
    const result = await defineSaga('middle-fails', steps).run({});
    // c threw, so only a and b completed; d never starts.
    expect(journal).toEqual(['run a', 'run b', 'run c', 'undo b', 'undo a']);
    expect(result.status).toBe('compensated');
    expect(result.failedStep).toBe('c');
    expect((result.error as Error).message).toBe('c failed');
    expect(result.compensated).toEqual(['b', 'a']);
    expect(result.compensationErrors).toEqual([]);
  });

  it('skips steps that have nothing to undo', async () => {
    const { journal, steps } = recordingSteps(['a', 'b', 'c'], { c: 'run' });
    delete steps[1]!.compensate;
    const result = await defineSaga('no-undo', steps).run({});
    expect(journal).toEqual(['run a', 'run b', 'run c', 'undo a']);
    expect(result.compensated).toEqual(['a']);
  });

  it('records a failing compensation and still runs the remaining ones', async () => {
    const { journal, steps } = recordingSteps(['a', 'b', 'c'], { b: 'compensate', c: 'run' });
    const logger = silentLogger();
    const result = await defineSaga('undo-fails', steps).run({}, { logger });
    expect(journal).toEqual(['run a', 'run b', 'run c', 'undo b', 'undo a']);
    expect(result.status).toBe('compensation_failed');
    expect(result.compensated).toEqual(['a']);
    expect(result.compensationErrors).toHaveLength(1);
    expect(result.compensationErrors[0]!.step).toBe('b');
    expect((result.compensationErrors[0]!.error as Error).message).toBe('undo b failed');
    expect(logger.error).toHaveBeenCalledWith(expect.objectContaining({ saga: 'undo-fails', step: 'b' }), expect.any(String));
  });

  it('stops before the next step when aborted, and compensates what ran', async () => {
    const controller = new AbortController();
    const { journal, steps } = recordingSteps(['a', 'b', 'c']);
    const abortingB = steps[1]!;
    steps[1] = {
      ...abortingB,
      run: async (ctx, signal) => {
        await abortingB.run(ctx, signal);
        controller.abort(new Error('user cancelled'));
      },
    };
    const result = await defineSaga('aborted', steps).run({}, { signal: controller.signal });
    expect(journal).toEqual(['run a', 'run b', 'undo b', 'undo a']);
    expect(result).toMatchObject({ status: 'compensated', aborted: true, failedStep: 'c', compensated: ['b', 'a'] });
    expect((result.error as Error).message).toBe('user cancelled');
  });

  it('runs nothing when the signal is already aborted', async () => {
    const { journal, steps } = recordingSteps(['a', 'b']);
    const result = await defineSaga('pre-aborted', steps).run({}, { signal: AbortSignal.abort() });
    expect(journal).toEqual([]);
    expect(result).toMatchObject({ status: 'compensated', aborted: true, failedStep: 'a', compensated: [] });
  });

  it('throws only when asked, keeping an AppError code and hiding anything else', async () => {
    const conflict: SagaStep<unknown> = {
      name: 'conflict',
      run: async () => {
        throw new AppError('ERR-USER-0001', 'username taken', { field: 'username' });
      },
    };
    const saga = defineSaga('throws', [conflict]);
    expect((await saga.run({})).status).toBe('compensated');
    const thrown = await saga.run({}, { throwOnFailure: true }).catch((e: unknown) => e);
    expect(thrown).toBeInstanceOf(SagaFailedError);
    expect(thrown).toBeInstanceOf(AppError);
    expect(thrown).toMatchObject({ code: 'ERR-USER-0001', statusCode: 409, message: 'username taken', details: { field: 'username' } });
    expect((thrown as SagaFailedError).result.failedStep).toBe('conflict');

    const { steps } = recordingSteps(['a', 'b'], { b: 'run' });
    const internal = await defineSaga('internal', steps).run({}, { throwOnFailure: true }).catch((e: unknown) => e);
    expect(internal).toMatchObject({ code: 'ERR-COMMON-0007', statusCode: 500, message: 'Something went wrong on our side. Please try again later.' });
    expect((internal as SagaFailedError).cause).toBeInstanceOf(Error);
  });

  it('rejects two steps with the same name', () => {
    const { steps } = recordingSteps(['a', 'a']);
    expect(() => defineSaga('dup', steps)).toThrow('Saga "dup" has two steps named "a"');
  });

  it('logs through pino', async () => {
    const logger: SagaLogger = pino({ level: 'silent' });
    const { steps } = recordingSteps(['a'], { a: 'run' });
    expect((await defineSaga('pino', steps).run({}, { logger })).status).toBe('compensated');
  });
});

describe('example: create users and assign their courses', () => {
  interface NewUser {
    username: string;
    courses: string[];
  }
  interface Ctx {
    input: NewUser[];
    createdIds: string[];
  }

  /** Stands in for the users table. */
  class UserStore {
    readonly users = new Map<string, string>();
    private seq = 0;
    async create(username: string): Promise<string> {
      const id = `u${++this.seq}`;
      this.users.set(id, username);
      return id;
    }
    async remove(id: string): Promise<void> {
      this.users.delete(id);
    }
  }

  /** Stands in for another module (courses) that cannot share our transaction. */
  class CourseAssignments {
    readonly assigned = new Map<string, string[]>();
    constructor(private readonly rejectUser: string) {}
    async assign(userId: string, username: string, courses: string[]): Promise<void> {
      if (username === this.rejectUser) throw new Error(`course service rejected ${username}`);
      this.assigned.set(userId, courses);
    }
    async unassign(userId: string): Promise<void> {
      this.assigned.delete(userId);
    }
  }

  function createUsersSaga(store: UserStore, courses: CourseAssignments) {
    return defineSaga<Ctx>('users.create-with-courses', [
      {
        name: 'create-users',
        run: async (ctx) => {
          for (const u of ctx.input) ctx.createdIds.push(await store.create(u.username));
        },
        compensate: async (ctx) => {
          for (const id of ctx.createdIds) await store.remove(id);
        },
      },
      {
        name: 'assign-courses',
        run: async (ctx) => {
          const done: string[] = [];
          try {
            for (const [i, id] of ctx.createdIds.entries()) {
              await courses.assign(id, ctx.input[i]!.username, ctx.input[i]!.courses);
              done.push(id);
            }
          } catch (error) {
            // A failing step is not compensated by the saga, so it undoes its own partial work.
            for (const id of done) await courses.unassign(id);
            throw error;
          }
        },
        compensate: async (ctx) => {
          for (const id of ctx.createdIds) await courses.unassign(id);
        },
      },
    ]);
  }

  const input: NewUser[] = [
    { username: 'zhang.san', courses: ['安全生产'] },
    { username: 'li.si', courses: ['安全生产', '客户服务'] },
    { username: 'wang.wu', courses: ['客户服务'] },
  ];

  it('creates the users and assigns their courses when every call succeeds', async () => {
    const store = new UserStore();
    const courses = new CourseAssignments('nobody');
    const ctx: Ctx = { input, createdIds: [] };
    const result = await createUsersSaga(store, courses).run(ctx);
    expect(result.status).toBe('completed');
    expect([...store.users.values()]).toEqual(['zhang.san', 'li.si', 'wang.wu']);
    expect(courses.assigned.size).toBe(3);
  });

  it('removes the users again when one assignment fails', async () => {
    const store = new UserStore();
    const courses = new CourseAssignments('li.si');
    const ctx: Ctx = { input, createdIds: [] };
    const result = await createUsersSaga(store, courses).run(ctx);
    expect(result).toMatchObject({ status: 'compensated', failedStep: 'assign-courses', compensated: ['create-users'] });
    expect((result.error as Error).message).toBe('course service rejected li.si');
    expect(store.users.size).toBe(0);
    expect(courses.assigned.size).toBe(0);
  });
});
