// What an approver's phone gets for their tasks: the form's name, the record's title, the step's
// name and the submitter in the list; the record, the form as the step shows it and the steps so
// far when one is opened — all without a role on the form, and never a field the step hides.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from '../support/harness.js';

describe('an approver without a role on the form works from their task list', () => {
  let h: Harness;
  let approver: string;
  let approverId: string;
  const forms: Record<string, string> = {};

  async function formWithFlow(name: string, fields: Record<string, 'hidden' | 'editable' | 'visible'>) {
    const appId = (await h.call('POST', '/api/apps', { name })).body.id;
    const id = (await h.call('POST', `/api/apps/${appId}/forms`, {
      name: { en: name, zh: `${name}（中文）` },
      fields: [{ key: 'title', type: 'text', label: 'Title' }, { key: 'amount', type: 'number', label: 'Amount' }],
    })).body.id;
    expect((await h.call('POST', `/api/forms/${id}/publish`)).status).toBe(200);
    const flow = {
      nodes: [{ id: 'start', type: 'start' }, { id: 'check', type: 'approval', name: { en: 'Check', zh: '审核' }, assignees: [{ type: 'users', users: [approverId] }], mode: 'any', fields }, { id: 'end', type: 'end' }],
      edges: [{ from: 'start', to: 'check' }, { from: 'check', to: 'end' }],
    };
    expect((await h.call('PUT', `/api/forms/${id}/workflow`, flow)).status).toBe(200);
    expect((await h.call('POST', `/api/forms/${id}/workflow/publish`)).status).toBe(200);
    return id;
  }

  beforeAll(async () => {
    h = await startHarness();
    const u = await h.call('POST', '/api/users', { email: 'ann@example.com', name: 'Ann', password: 'ann-password-1' });
    approverId = u.body.id;
    approver = await h.login('ann@example.com', 'ann-password-1');
    forms.open = await formWithFlow('Trips', { amount: 'editable' });
    forms.secret = await formWithFlow('Bonuses', { title: 'hidden' });
    expect((await h.call('POST', `/api/forms/${forms.open}/records`, { data: { title: 'Berlin fair', amount: 900 } })).status).toBe(201);
    expect((await h.call('POST', `/api/forms/${forms.secret}/records`, { data: { title: 'Bonus for Bob', amount: 5000 } })).status).toBe(201);
  });
  afterAll(() => h.close());

  it('lists each task with its form, title, step and submitter; a title the step hides is null', async () => {
    const items = (await h.as(approver)('GET', '/api/tasks')).body.items as any[];
    expect(items).toHaveLength(2);
    const trip = items.find((t) => t.formId === forms.open);
    const bonus = items.find((t) => t.formId === forms.secret);
    expect(trip).toMatchObject({ formName: { en: 'Trips', zh: 'Trips（中文）' }, title: 'Berlin fair', stepName: { en: 'Check', zh: '审核' }, status: 'open' });
    expect(trip.submitter).toEqual(expect.any(String));
    expect(bonus).toMatchObject({ formName: { en: 'Bonuses' }, title: null, stepName: { en: 'Check', zh: '审核' } });
  });

  it('opens a task with the record and the form as the step shows them, and the steps so far', async () => {
    const items = (await h.as(approver)('GET', '/api/tasks')).body.items as any[];
    const bonus = items.find((t) => t.formId === forms.secret);
    const view = (await h.as(approver)('GET', `/api/tasks/${bonus.id}`)).body;
    expect(view.record.data).toEqual({ amount: 5000 });
    expect(view.form.definition.fields.map((f: any) => f.key)).toEqual(['amount']);
    expect(view.hidden).toEqual(['title']);
    expect(view.task.title).toBeNull();
    expect(view.steps.map((s: any) => s.kind)).toEqual(['started', 'entered']);
    expect(view.steps[1]).toMatchObject({ node: 'check', nodeName: { en: 'Check', zh: '审核' } });

    const trip = items.find((t) => t.formId === forms.open);
    const open = (await h.as(approver)('GET', `/api/tasks/${trip.id}`)).body;
    expect(open.editable).toEqual(['amount']);
    expect(open.form.definition.fields.map((f: any) => f.key)).toEqual(['title', 'amount']);
  });

  it('names the steps in the record timeline and in the workflow status', async () => {
    const trip = ((await h.as(approver)('GET', '/api/tasks')).body.items as any[]).find((t) => t.formId === forms.open);
    expect((await h.as(approver)('POST', `/api/tasks/${trip.id}/approve`, { comment: 'Fine' })).status).toBe(200);
    const timeline = (await h.call('GET', `/api/records/${trip.recordId}/timeline`)).body;
    expect(timeline.workflow.find((s: any) => s.kind === 'approved')).toMatchObject({ node: 'check', nodeName: { en: 'Check', zh: '审核' }, comment: 'Fine' });
    const wf = (await h.call('GET', `/api/records/${trip.recordId}/workflow`)).body;
    expect(wf.nodeNames).toEqual({ check: { en: 'Check', zh: '审核' } });
  });

  it('a task of someone else is not found', async () => {
    const mine = ((await h.as(approver)('GET', '/api/tasks')).body.items as any[])[0];
    expect((await h.call('GET', `/api/tasks/${mine.id}`)).status).toBe(404);
  });
});
