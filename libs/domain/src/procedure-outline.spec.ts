import { procedureOutline } from './procedure-outline.js';
import { STAGES } from './procedure.js';

describe('procedureOutline', () => {
  const outline = procedureOutline('2026-12-01');

  it('lists the steps in procedure order, without side tasks', () => {
    const types = outline.steps.map((s) => s.type);
    expect(types[0]).toBe('recognize_sympathiser');
    expect(types.indexOf('cell_admission_vote')).toBeLessThan(types.indexOf('superior_admission_decision'));
    expect(types.indexOf('admission_ceremony')).toBeLessThan(types.indexOf('probation_review'));
    expect(types.at(-1)).toBe('superior_recognition_decision');
    expect(types).not.toContain('overdue_escalation');
  });

  it('gives every stage its official Vietnamese and English name', () => {
    expect(outline.stages.map((s) => s.stage)).toEqual([...STAGES]);
    expect(outline.stages.find((s) => s.stage === 'probation')).toEqual({ stage: 'probation', vi: 'Đảng viên dự bị', en: 'Probationary member' });
    expect(outline.stages.find((s) => s.stage === 'official')?.vi).toBe('Đảng viên chính thức');
    for (const s of outline.stages) expect(s.vi && s.en).toBeTruthy();
  });

  it('describes the statutory time limits under the rule set in force', () => {
    const step = (t: string) => outline.steps.find((s) => s.type === t)!;
    expect(outline.ruleSetId).toBe('QD294-2025');
    expect(step('superior_admission_decision').timeLimit).toMatchObject({ clock: 'T3', workingDays: 60, extensionMaxWorkingDays: 30, ruleSetId: 'QD294-2025' });
    expect(step('grassroots_admission_review').timeLimit?.clock).toBe('T3');
    expect(step('superior_admission_decision').timeLimit?.extensionBy).toBe('superior_board');
    expect(step('cell_recognition_vote').timeLimit?.clock).toBe('T6');
    expect(step('superior_recognition_decision').timeLimit?.vi).toContain('gia hạn tối đa 30 ngày làm việc');
    expect(step('cell_admission_vote').timeLimit).toBeNull();
  });

  it('says a late ceremony (T4) needs the direct superior committee, as the workflow enforces it: one extension by its agreement', () => {
    const t4 = outline.steps.find((s) => s.type === 'admission_ceremony')!.timeLimit!;
    expect(t4).toMatchObject({ clock: 'T4', workingDays: 30, extensionMaxWorkingDays: 30, extensionBy: 'direct_superior', anchorEvent: 'admission_decision' });
    expect(t4.vi).toContain('ngày nhận quyết định');
    expect(t4.vi).toContain('cấp ủy cấp trên trực tiếp đồng ý');
    expect(t4.en).toContain('direct superior committee');
  });

  it('puts the probation review on the cell recognition clock (T6, 30 working days from the end of probation)', () => {
    expect(outline.steps.find((s) => s.type === 'probation_review')!.timeLimit).toMatchObject({ clock: 'T6', workingDays: 30, anchorEvent: 'probation_end' });
  });
});
