import {
  applyLogic, nextCronTime, normalizeFilter, parseCron, ruleScope, TrellisError, truthy,
  type Automation, type RecordData,
} from '@trellis/core';
import type { Job, JobQueue } from '../../jobs/port.js';
import type { RecordEntity, Store } from '../../store/port.js';
import type { Caller } from '../access/actor.js';
import type { FormCatalog, PublishedForm } from '../form-catalog.js';
import type { RecordService } from '../record-service.js';
import type { ActionRunner } from './action-runner.js';
import type { FlowEngine, Logger } from './flow-engine.js';

export const AUTOMATION_QUEUE = 'automation';
const ATTEMPTS = 5;
// a scheduled run reaches at most this many records
const SCHEDULE_BATCH = 1000;

/** `by`: the person whose change fired the automation (its actions read them as `$user`) */
interface RunJob { formId: string; automationId: string; recordId: string; by?: string | null }
interface ScheduleJob { formId: string; automationId: string; at: string }

/**
 * Automations outside an approval: on a record created, updated or a field
 * changed, and on a cron schedule over the records matching a filter, run
 * the same actions as workflow action nodes. Each run is a job whose id
 * names the automation, the record and its version, so a retry or a second
 * delivery writes once; a schedule queues its next occurrence as it runs.
 */
export class Automations {
  constructor(
    private readonly store: Store,
    private readonly catalog: FormCatalog,
    private readonly records: RecordService,
    private readonly engine: FlowEngine,
    private readonly jobs: JobQueue,
    private readonly actions: ActionRunner,
    private readonly log: Logger,
    private readonly backoffMs = 1000,
  ) {}

  /** Starts listening to record writes and, on a node that works jobs, runs automations and keeps schedules queued. */
  async attach(work = true): Promise<void> {
    this.records.observe({
      created: async (published, record, caller) => this.onChange(published, null, record, personOf(caller)),
      updated: async (published, previous, record, caller) => this.onChange(published, previous, record, personOf(caller)),
    });
    if (!work) return;
    await this.jobs.work(AUTOMATION_QUEUE, (job) => this.handle(job), { concurrency: 4 });
    // schedules survive restarts as delayed jobs; queueing the next one again is idempotent (same job id)
    for (const wf of await this.store.entities.list('workflow')) await this.schedule(wf.formId).catch((err: unknown) => this.log.error({ err, formId: wf.formId }, 'could not schedule automations'));
  }

  /** Queues the next run of every scheduled automation of the form's published workflow. */
  async schedule(formId: string): Promise<void> {
    const version = await this.engine.publishedAutomations(formId);
    for (const a of version) {
      if (!('schedule' in a.on)) continue;
      await this.queueNext(formId, a, new Date());
    }
  }

  private async queueNext(formId: string, a: Automation, after: Date): Promise<void> {
    if (!('schedule' in a.on)) return;
    const at = nextCronTime(parseCron(a.on.schedule), after);
    if (!at) return;
    await this.jobs.add(AUTOMATION_QUEUE, 'schedule', { formId, automationId: a.id, at: at.toISOString() } satisfies ScheduleJob, {
      jobId: `schedule:${formId}:${a.id}:${at.getTime()}`, delayMs: Math.max(0, at.getTime() - Date.now()), attempts: ATTEMPTS, backoffMs: this.backoffMs,
    });
  }

  private async onChange(published: PublishedForm, previous: RecordEntity | null, record: RecordEntity, by: string | null): Promise<void> {
    let automations: Automation[];
    try {
      automations = await this.engine.publishedAutomations(published.form.id);
    } catch (err) {
      this.log.error({ err }, 'could not read automations');
      return;
    }
    for (const a of automations) {
      if (!fires(a, previous, record)) continue;
      try {
        await this.jobs.add(AUTOMATION_QUEUE, 'run', { formId: published.form.id, automationId: a.id, recordId: record.id, by } satisfies RunJob, {
          jobId: `run:${a.id}:${record.id}:${record.version}`, attempts: ATTEMPTS, backoffMs: this.backoffMs,
        });
      } catch (err) {
        this.log.error({ err, automation: a.id, recordId: record.id }, 'could not queue an automation');
      }
    }
  }

  private async handle(job: Job): Promise<void> {
    if (job.name === 'run') {
      const { formId, automationId, recordId, by } = job.data as RunJob;
      const a = (await this.engine.publishedAutomations(formId)).find((x) => x.id === automationId);
      if (!a) return;
      await this.runActions(a, formId, recordId, job.id, undefined, by ?? null);
      return;
    }
    if (job.name === 'schedule') {
      const { formId, automationId, at } = job.data as ScheduleJob;
      const a = (await this.engine.publishedAutomations(formId)).find((x) => x.id === automationId);
      // removed or no longer scheduled in the published version: the chain stops here
      if (!a || !('schedule' in a.on)) return;
      // a form deleted with its app: the chain stops here too
      const published = await this.catalog.published(formId).catch((e: unknown) => {
        if (e instanceof TrellisError && e.code === 'NOT_FOUND') return null;
        throw e;
      });
      if (!published) return;
      const filter = normalizeFilter(a.on.filter, published.compiled.definition, { now: new Date(at), timeZone: this.records.timeZone });
      const page = await this.store.records.find(formId, { filter, sort: [], limit: SCHEDULE_BATCH, after: null, count: false });
      for (const r of page.items) await this.runActions(a, formId, r.id, `${job.id}.${r.id}`, r.data);
      // after a long stop, runs missed meanwhile are not replayed one by one: the next is the next from now
      await this.queueNext(formId, a, new Date(Math.max(Date.parse(at), Date.now())));
      return;
    }
    this.log.warn({ name: job.name }, 'unknown automation job');
  }

  private async runActions(a: Automation, formId: string, recordId: string, key: string, known?: RecordData, by: string | null = null): Promise<void> {
    const data = known ?? (await this.store.records.get(formId, recordId))?.data;
    if (!data) return;
    const user = await this.actions.userOf(by);
    if (a.condition !== undefined && !truthy(applyLogic(a.condition, ruleScope(data, { user, ...this.records.clock() })))) return;
    for (const [i, action] of a.actions.entries()) await this.actions.run(action, `${key}:${i}`, { formId, recordId }, by);
  }
}

/** The person behind a write: the signed-in user, or the one a system write is done for; nobody for a share link. */
function personOf(caller: Caller): string | null {
  if (caller.kind === 'user') return caller.id;
  if (caller.kind === 'system') return caller.onBehalfOf ?? null;
  return null;
}

/** Whether an automation's trigger fires for this write (`previous` null: created). */
export function fires(a: Automation, previous: RecordEntity | null, record: RecordEntity): boolean {
  const on = a.on;
  if ('schedule' in on) return false;
  if (on.event === 'created') return previous === null;
  if (previous === null) return false;
  if (on.event === 'updated') return true;
  return on.fields.some((k) => JSON.stringify(previous.data[k] ?? null) !== JSON.stringify(record.data[k] ?? null));
}
